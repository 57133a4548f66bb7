/**
 * JSON push bodies. v1 (`/loki/api/v1/push`):
 * `{"streams":[{"stream":{"k":"v"},"values":[["<ns>","<line>",{"<sm>":"<v>"}?]]}]}`; the label
 * object becomes Loki's label string (`{a="b", c="d"}`, names sorted, values Go-quoted), to be
 * parsed and validated like a protobuf push. Legacy v0 (`/api/prom/push`):
 * `{"streams":[{"labels":"{a=\"b\"}","entries":[{"ts":"<RFC3339>","line":"..."}]}]}` (see legacy-json.ts).
 * The native `JSON.parse` does the work; only when the body is malformed does a positional
 * re-scan produce Loki's error text.
 */

import { PushError } from './errors'
import { goQuote } from './go-quote'
import { locateJsonError } from './json-errors'
import { decodeLegacyJson } from './legacy-json'
import type { LabelPair, PushEntry, PushRequest, PushStream } from './types'

const decoder = new TextDecoder()

class Malformed extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name]
  for (const k of Object.keys(o)) if (k.toLowerCase() === name) return o[k]
  return undefined
}

const INT64 = /^[+-]?\d{1,19}$/

/** Loki's `LabelSet.String()`: sorted names, Go-quoted values. */
export function labelMapToString(m: Record<string, unknown>): string {
  const keys = Object.keys(m).sort()
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = m[k]
    if (v === null) continue
    if (typeof v !== 'string') throw new Malformed()
    if (out.length > 1) out += ', '
    out += k + '=' + goQuote(v)
  }
  return out + '}'
}

function entryV1(v: unknown): PushEntry {
  if (!Array.isArray(v) || v.length < 1 || v.length > 3) throw new Malformed()
  const [ts, line = '', sm] = v as [unknown, unknown, unknown]
  if (typeof ts !== 'string' || typeof line !== 'string' || !INT64.test(ts)) throw new Malformed()
  const nanos = BigInt(ts)
  if (nanos > 9223372036854775807n || nanos < -9223372036854775808n) throw new Malformed()
  const entry: PushEntry = { ts: nanos, line }
  if (v.length === 3 && sm !== null) {
    if (!isObject(sm)) throw new Malformed()
    const metadata: LabelPair[] = []
    for (const k in sm) {
      const val = sm[k]
      if (typeof val !== 'string') throw new Malformed()
      metadata.push([k, val])
    }
    if (metadata.length > 0) entry.metadata = metadata
  }
  return entry
}

function streamV1(s: unknown): PushStream | null {
  if (s === null) return null
  if (!isObject(s)) throw new Malformed()
  const labels = field(s, 'stream')
  const values = field(s, 'values')
  if (labels !== undefined && labels !== null && !isObject(labels)) throw new Malformed()
  if (values !== undefined && values !== null && !Array.isArray(values)) throw new Malformed()
  const entries: PushEntry[] = []
  if (Array.isArray(values)) {
    for (const v of values) if (v !== null && !(Array.isArray(v) && v.length === 0)) entries.push(entryV1(v))
  }
  return { labels: labelMapToString(isObject(labels) ? labels : {}), entries }
}

/** Decodes a JSON push body (`legacy` selects the v0 format of `/api/prom/push`). */
export function decodeJsonPushRequest(bytes: Uint8Array, legacy = false): PushRequest {
  const text = decoder.decode(bytes)
  if (legacy) return decodeLegacyJson(text)
  const fail = (): never => {
    const located = locateJsonError(text, bytes)
    throw new PushError(400, located ?? 'loghttp.PushRequest.ReadObjectCB: object not ended with }')
  }
  if (text.trim() === '') throw new PushError(400, 'EOF')
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch {
    return fail()
  }
  if (root === null) return { streams: [] }
  try {
    if (!isObject(root)) throw new Malformed()
    const raw = field(root, 'streams')
    if (raw === undefined || raw === null) return { streams: [] }
    if (!Array.isArray(raw)) throw new Malformed()
    const streams: PushStream[] = []
    for (const s of raw) {
      const st = streamV1(s)
      if (st) streams.push(st)
    }
    return { streams }
  } catch (err) {
    if (err instanceof Malformed) return fail()
    throw err
  }
}
