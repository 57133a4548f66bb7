/**
 * JSON v1 push bodies (`/loki/api/v1/push`):
 * `{"streams":[{"stream":{"k":"v"},"values":[["<ns>","<line>",{"<sm>":"<v>"}?]]}]}`, decoded with
 * the rules of Loki 3.x's `LogProtoStream.UnmarshalJSON` (buger/jsonparser): label values may be any
 * JSON value and are taken as text, timestamps must be strings of digits, the line a string, the
 * optional third element an object of strings whose names and values are kept raw (escapes as
 * sent); further elements are ignored. The label object becomes Loki's label string
 * (`{a="b", c="d"}`, names sorted, values Go-quoted), parsed and validated later like a protobuf
 * push. The native `JSON.parse` does the work; only a malformed body triggers the positional scan
 * that reproduces Loki's error text. Legacy v0 bodies are in legacy-json.ts.
 */

import { PushError } from './errors'
import { goQuote } from '../go/strconv'
import { iterContext, JP, STREAM_PREFIX, streamElements, topLevelError } from './json-errors'
import { decodeLegacyJson } from './legacy-json'
import type { LabelPair, PushEntry, PushRequest, PushStream } from './types'

const decoder = new TextDecoder()

class StreamError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** jsonparser hands over the bytes of a non-string value; `ParseString` keeps them as text. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null) return 'null'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/

/** A string as jsonparser's raw bytes: escapes stay escaped. */
function raw(v: string): string {
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v).slice(1, -1) : v
}

const INT64 = /^-?\d{1,19}$/
const INT64_MIN = -9223372036854775808n
const INT64_MAX = 9223372036854775807n

/** Loki's `LabelSet.String()`: sorted names, Go-quoted values. */
export function labelMapToString(m: Record<string, unknown>): string {
  const keys = Object.keys(m).sort()
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (i > 0) out += ', '
    out += k + '=' + goQuote(asText(m[k]))
  }
  return out + '}'
}

function entry(v: unknown): PushEntry {
  if (!Array.isArray(v)) throw new StreamError(JP.array)
  const ts = v[0]
  const line = v.length > 1 ? v[1] : ''
  if (v.length > 0 && typeof ts !== 'string') throw new StreamError(JP.string)
  if (typeof line !== 'string') throw new StreamError(JP.string)
  let nanos = 0n
  if (typeof ts === 'string') {
    if (!INT64.test(ts)) {
      if (/^-?\d+$/.test(ts)) throw new StreamError(JP.overflow)
      throw new StreamError(JP.value)
    }
    nanos = BigInt(ts)
    if (nanos > INT64_MAX || nanos < INT64_MIN) throw new StreamError(JP.overflow)
  }
  const out: PushEntry = { ts: nanos, line }
  if (v.length > 2) {
    const sm: unknown = v[2]
    if (!isObject(sm)) throw new StreamError(JP.object)
    const metadata: LabelPair[] = []
    for (const k in sm) {
      const val = sm[k]
      if (typeof val !== 'string') throw new StreamError(JP.string)
      metadata.push([raw(k), raw(val)])
    }
    if (metadata.length > 0) out.metadata = metadata
  }
  return out
}

function stream(s: unknown): PushStream {
  if (!isObject(s)) throw new StreamError(JP.object)
  let labels = '{}'
  let entries: PushEntry[] = []
  for (const key in s) {
    const v = s[key]
    if (key === 'stream') {
      if (!isObject(v)) throw new StreamError(JP.object)
      labels = labelMapToString(v)
    } else if (key === 'values') {
      if (v === null) continue
      if (!Array.isArray(v)) throw new StreamError(JP.array)
      entries = []
      for (const e of v) if (e !== null) entries.push(entry(e))
    }
  }
  return { labels, entries }
}

function streamsField(root: Record<string, unknown>): unknown {
  if ('streams' in root) return root.streams
  for (const k of Object.keys(root)) if (k.toLowerCase() === 'streams') return root[k]
  return undefined
}

/** Loki's text for a body that `JSON.parse` rejected or whose shape is wrong. */
function malformed(text: string, bytes: Uint8Array): PushError {
  const spans = streamElements(text)
  if (spans) {
    for (const span of spans) {
      let value: unknown
      try {
        value = JSON.parse(text.slice(span.start, span.end))
      } catch {
        return new PushError(400, `${STREAM_PREFIX}unmarshalerDecoder: ${JP.object}, ${iterContext(bytes, span.byteEnd)}`)
      }
      try {
        stream(value)
      } catch (err) {
        if (!(err instanceof StreamError)) throw err
        return new PushError(400, `${STREAM_PREFIX}unmarshalerDecoder: ${err.message}, ${iterContext(bytes, span.byteEnd)}`)
      }
    }
  }
  return new PushError(400, topLevelError(text, bytes))
}

/** Decodes a JSON push body (`legacy` selects the v0 format of `/api/prom/push`). */
export function decodeJsonPushRequest(bytes: Uint8Array, legacy = false): PushRequest {
  const text = decoder.decode(bytes)
  if (legacy) return decodeLegacyJson(text)
  if (text.trim() === '') throw new PushError(400, 'EOF')
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch {
    throw malformed(text, bytes)
  }
  if (root === null) return { streams: [] }
  if (!isObject(root)) throw malformed(text, bytes)
  const list = streamsField(root)
  if (list === undefined || list === null) return { streams: [] }
  if (!Array.isArray(list)) throw malformed(text, bytes)
  const streams: PushStream[] = []
  try {
    for (const s of list) streams.push(stream(s))
  } catch (err) {
    if (err instanceof StreamError) throw malformed(text, bytes)
    throw err
  }
  return { streams }
}
