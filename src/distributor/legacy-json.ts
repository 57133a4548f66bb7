/**
 * The legacy v0 push body of `/api/prom/push`, which Loki decodes with Go's `encoding/json` into
 * `logproto.PushRequest`: `{"streams":[{"labels":"{a=\"b\"}","entries":[{"ts":"<RFC3339>",
 * "line":"...","structuredMetadata":[{"name":"k","value":"v"}]}]}]}`. Keys match
 * case-insensitively, only the first JSON value of the body is read, and errors carry
 * `encoding/json`'s texts (`invalid character 'x' looking for beginning of value`, `unexpected
 * EOF`, `json: cannot unmarshal number into Go struct field PushRequest.streams.labels of type
 * string`, `Time.UnmarshalJSON: input is not a JSON string`, `parsing time ...`).
 */

import { PushError } from './errors'
import { goQuote } from '../go/strconv'
import type { LabelPair, PushEntry, PushRequest, PushStream } from './types'

class GoJsonError extends Error {}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''"
  if (c === '"') return `'"'`
  return `'${goQuote(c).slice(1, -1)}'`
}

/** Go's JSON scanner, reduced to finding the end of the first value or its first syntax error. */
/** encoding/json's limit on nested arrays and objects. */
const MAX_NESTING_DEPTH = 10_000

class GoScan {
  i = 0
  constructor(readonly s: string) {}

  bad(context: string): never {
    if (this.i >= this.s.length) throw new GoJsonError('unexpected EOF')
    throw new GoJsonError(`invalid character ${quoteChar(String.fromCodePoint(this.s.codePointAt(this.i)!))} ${context}`)
  }
  ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++
  }
  /** One JSON value, checked as Go's scanner checks it; nesting kept on an explicit stack. */
  value(): void {
    const open: Array<'{' | '['> = []
    for (;;) {
      this.ws()
      const c = this.s[this.i]
      if (c === '{' || c === '[') {
        if (open.length >= MAX_NESTING_DEPTH) this.bad('exceeded max depth')
        this.i++
        this.ws()
        const close = c === '{' ? '}' : ']'
        if (this.s[this.i] === close) {
          this.i++
        } else {
          open.push(c)
          if (c === '{') this.key()
          continue
        }
      } else this.scalar()
      // After a value: close what is complete, or move on to the next element or member.
      for (;;) {
        const top = open[open.length - 1]
        if (top === undefined) return
        this.ws()
        const next = this.s[this.i]
        if (next === ',') {
          this.i++
          if (top === '{') {
            this.ws()
            this.key()
          }
          break
        }
        if (next === (top === '{' ? '}' : ']')) {
          this.i++
          open.pop()
          continue
        }
        this.bad(top === '{' ? 'after object key:value pair' : 'after array element')
      }
    }
  }
  /** An object key and its colon. */
  key(): void {
    this.ws()
    if (this.s[this.i] !== '"') this.bad('looking for beginning of object key string')
    this.string()
    this.ws()
    if (this.s[this.i] !== ':') this.bad('after object key')
    this.i++
  }
  scalar(): void {
    const c = this.s[this.i]
    if (c === '"') return this.string()
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        this.i++
        for (let k = 1; k < lit.length; k++, this.i++) {
          if (this.s[this.i] !== lit[k]) this.bad(`in literal ${lit} (expecting ${quoteChar(lit[k]!)})`)
        }
        return
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number()
    this.bad('looking for beginning of value')
  }
  string(): void {
    this.i++
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i)
      if (c === 34) {
        this.i++
        return
      }
      if (c < 0x20) this.bad('in string literal')
      if (c === 92) {
        this.i++
        const e = this.s[this.i]
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            this.i++
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) this.bad('in \\u hexadecimal character escape')
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) this.bad('in string escape code')
      }
      this.i++
    }
    this.bad('in string literal')
  }
  number(): void {
    const s = this.s
    if (s[this.i] === '-') {
      this.i++
      if (!/[0-9]/.test(s[this.i] ?? '')) this.bad('in numeric literal')
    }
    if (s[this.i] === '0') this.i++
    else while (/[0-9]/.test(s[this.i] ?? '')) this.i++
    if (s[this.i] === '.') {
      this.i++
      if (!/[0-9]/.test(s[this.i] ?? '')) this.bad('after decimal point in numeric literal')
      while (/[0-9]/.test(s[this.i] ?? '')) this.i++
    }
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      this.i++
      if (s[this.i] === '+' || s[this.i] === '-') this.i++
      if (!/[0-9]/.test(s[this.i] ?? '')) this.bad('in exponent of numeric literal')
      while (/[0-9]/.test(s[this.i] ?? '')) this.i++
    }
  }
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (v === null) return 'null'
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v
}

function typeError(v: unknown, path: string, type: string): GoJsonError {
  return new GoJsonError(`json: cannot unmarshal ${jsonType(v)} into Go struct field PushRequest.${path} of type ${type}`)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `encoding/json` matches struct fields exactly first, then case-insensitively. */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name]
  const lower = name.toLowerCase()
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k]
  return undefined
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** RFC 3339 (with optional fraction) to Unix nanoseconds. */
export function parseRfc3339Nano(s: string): bigint | null {
  const m = RFC3339.exec(s)
  if (!m) return null
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  if (Number.isNaN(ms)) return null
  let ns = BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0')
  if (m[9]) {
    const off = BigInt((+m[10]! * 60 + +m[11]!) * 60) * 1_000_000_000n
    ns = m[9] === '+' ? ns - off : ns + off
  }
  return ns
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return ''
  if (typeof v !== 'string') throw typeError(v, path, 'string')
  return v
}

function entry(e: Record<string, unknown>): PushEntry {
  const ts = field(e, 'ts')
  let nanos = 0n
  if (ts !== undefined && ts !== null) {
    if (typeof ts !== 'string') throw new GoJsonError('Time.UnmarshalJSON: input is not a JSON string')
    const parsed = parseRfc3339Nano(ts)
    if (parsed === null) {
      throw new GoJsonError(`parsing time ${JSON.stringify(ts)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(ts)} as "2006"`)
    }
    nanos = parsed
  }
  const out: PushEntry = { ts: nanos, line: str(field(e, 'line'), 'streams.entries.line') }
  const sm = field(e, 'structuredMetadata')
  if (sm !== undefined && sm !== null) {
    if (!Array.isArray(sm)) throw typeError(sm, 'streams.entries.structuredMetadata', 'push.LabelsAdapter')
    const pairs: LabelPair[] = []
    for (const p of sm) {
      if (p === null) continue
      if (!isObject(p)) throw typeError(p, 'streams.entries.structuredMetadata', 'push.LabelAdapter')
      pairs.push([str(field(p, 'name'), 'streams.entries.structuredMetadata.name'), str(field(p, 'value'), 'streams.entries.structuredMetadata.value')])
    }
    if (pairs.length > 0) out.metadata = pairs
  }
  return out
}

function stream(s: Record<string, unknown>): PushStream {
  const entries = field(s, 'entries')
  const out: PushStream = { labels: str(field(s, 'labels'), 'streams.labels'), entries: [] }
  if (entries === undefined || entries === null) return out
  if (!Array.isArray(entries)) throw typeError(entries, 'streams.entries', '[]push.Entry')
  for (const e of entries) {
    if (e === null) continue
    if (!isObject(e)) throw typeError(e, 'streams.entries', 'push.Entry')
    out.entries.push(entry(e))
  }
  return out
}

/** Decodes a legacy v0 JSON push body (already UTF-8 decoded). */
export function decodeLegacyJson(text: string): PushRequest {
  try {
    if (text.trim() === '') throw new GoJsonError('EOF')
    const sc = new GoScan(text)
    sc.value()
    const root: unknown = JSON.parse(text.slice(0, sc.i))
    if (root === null) return { streams: [] }
    if (!isObject(root)) throw new GoJsonError(`json: cannot unmarshal ${jsonType(root)} into Go value of type push.PushRequest`)
    const raw = field(root, 'streams')
    if (raw === undefined || raw === null) return { streams: [] }
    if (!Array.isArray(raw)) throw typeError(raw, 'streams', '[]push.Stream')
    const streams: PushStream[] = []
    for (const s of raw) {
      if (s === null) continue
      if (!isObject(s)) throw typeError(s, 'streams', 'push.Stream')
      streams.push(stream(s))
    }
    return { streams }
  } catch (err) {
    if (err instanceof GoJsonError) throw new PushError(400, err.message)
    throw err
  }
}
