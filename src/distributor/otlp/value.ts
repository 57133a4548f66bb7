/**
 * pdata's `Value.AsString`, which Loki uses for log bodies and attribute values: strings as they
 * are, booleans and integers as Go prints them, doubles as ECMAScript prints numbers (`NaN`,
 * `Infinity`, `-0` kept), bytes as standard base64, maps and arrays as the JSON Go's
 * `encoding/json` writes for their raw form (keys sorted, no HTML escaping, later duplicate keys
 * win). A map or array holding NaN or an infinity cannot be encoded and gives `""`, as in Go.
 */

import type { KeyValue, OtlpValue } from './model'

const HEX = '0123456789abcdef'

class Unencodable extends Error {}

/** Go `encoding/json` string encoding with `SetEscapeHTML(false)`. */
function jsonString(s: string): string {
  let out = '"'
  let from = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let esc: string | null = null
    if (c < 0x20) {
      if (c === 0x0a) esc = '\\n'
      else if (c === 0x0d) esc = '\\r'
      else if (c === 0x09) esc = '\\t'
      else if (c === 0x08) esc = '\\b'
      else if (c === 0x0c) esc = '\\f'
      else esc = '\\u00' + HEX[c >> 4]! + HEX[c & 15]!
    } else if (c === 0x22) esc = '\\"'
    else if (c === 0x5c) esc = '\\\\'
    else if (c === 0x2028) esc = '\\u2028'
    else if (c === 0x2029) esc = '\\u2029'
    if (esc !== null) {
      out += s.slice(from, i) + esc
      from = i + 1
    }
  }
  return out + s.slice(from) + '"'
}

/** ECMAScript number formatting as Go's `float64AsString` and `encoding/json` do it. */
function formatDouble(f: number): string {
  if (Object.is(f, -0)) return '-0'
  return String(f)
}

/** Standard base64 with padding (Go's `base64.StdEncoding`). */
export function base64(b: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < b.length; i += 0x8000) bin += String.fromCharCode(...b.subarray(i, i + 0x8000))
  return btoa(bin)
}

/** Code point order, which is the byte order of UTF-8 that Go sorts map keys by. */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys) return xs ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

function jsonMap(kvs: readonly KeyValue[]): string {
  const last = new Map<string, OtlpValue>()
  for (const kv of kvs) last.set(kv.key, kv.value)
  const keys = [...last.keys()].sort(compareUtf8)
  return '{' + keys.map((k) => jsonString(k) + ':' + jsonValue(last.get(k)!)).join(',') + '}'
}

function jsonValue(v: OtlpValue): string {
  switch (v.kind) {
    case 'empty':
      return 'null'
    case 'string':
      return jsonString(v.value)
    case 'bool':
      return v.value ? 'true' : 'false'
    case 'int':
      return v.value.toString()
    case 'double':
      if (!Number.isFinite(v.value)) throw new Unencodable()
      return formatDouble(v.value)
    case 'bytes':
      return jsonString(base64(v.value))
    case 'array':
      return '[' + v.value.map(jsonValue).join(',') + ']'
    case 'kvlist':
      return jsonMap(v.value)
  }
}

function encodeOrEmpty(v: OtlpValue): string {
  try {
    return jsonValue(v)
  } catch (err) {
    if (err instanceof Unencodable) return ''
    throw err
  }
}

export function valueAsString(v: OtlpValue): string {
  switch (v.kind) {
    case 'empty':
      return ''
    case 'string':
      return v.value
    case 'bool':
      return v.value ? 'true' : 'false'
    case 'int':
      return v.value.toString()
    case 'double':
      return formatDouble(v.value)
    case 'bytes':
      return base64(v.value)
    case 'array':
    case 'kvlist':
      return encodeOrEmpty(v)
  }
}
