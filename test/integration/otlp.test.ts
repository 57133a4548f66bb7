/**
 * `POST /otlp/v1/logs` replayed from the answers a real Loki 3.7.6 gave to the same bytes
 * (test/fixtures/otlp/recorded.json): the push status, Content-Type and `google.rpc.Status` body,
 * then what query_range (categorize-labels) and series return over each case's minute.
 */
import { describe, expect, it } from 'vitest'
import defaults from '../fixtures/otlp/recorded.json'
import ignoreDefaults from '../fixtures/otlp/recorded-ignore-defaults.json'
import limits from '../fixtures/otlp/recorded-limits.json'
import rules from '../fixtures/otlp/recorded-rules.json'
import { call, json } from '../helpers'

interface RecordedSet {
  otlpConfig: string
  /** Settings Loki ran with, as edgeloki vars. */
  vars?: Record<string, string>
  selector: string
  cases: RecordedCase[]
}

interface RecordedCase {
  name: string
  request: { headers: Record<string, string>; body: string }
  push: { status: number; contentType: string | null; body: string }
  window?: { start: string; end: string }
  query?: { status: number; result: unknown }
  series?: { status: number; data: unknown }
}

const SETS: Array<[string, RecordedSet]> = [
  ['default mapping', defaults as RecordedSet],
  ['otlp_config rules', rules as RecordedSet],
  ['otlp_config ignore_defaults', ignoreDefaults as RecordedSet],
  ['body size limits', limits as RecordedSet],
]

function bytes(b64: string): Uint8Array {
  const bin = atob(b64)
  return Uint8Array.from(bin, (c) => c.charCodeAt(0))
}

/** A `google.rpc.Status` body as {code, message}, or null when the body is empty. */
function status(body: Uint8Array): { code: number; message: string } | null {
  if (body.length === 0) return null
  let i = 0
  const varint = (): number => {
    let n = 0
    let shift = 0
    for (;;) {
      const b = body[i++]!
      n |= (b & 0x7f) << shift
      shift += 7
      if (b < 0x80) return n
    }
  }
  const out = { code: 0, message: '' }
  while (i < body.length) {
    const tag = varint()
    if (tag === 0x08) out.code = varint()
    else {
      expect(tag).toBe(0x12)
      const len = varint()
      out.message = new TextDecoder().decode(body.subarray(i, i + len))
      i += len
    }
  }
  return out
}

type Stream = { stream: Record<string, string>; values: unknown[] }

function sortStreams(result: unknown): Stream[] {
  return [...(result as Stream[])].sort((a, b) => JSON.stringify(a.stream).localeCompare(JSON.stringify(b.stream)))
}

function sortSeries(data: unknown): string[] {
  return (data as Record<string, string>[]).map((s) => JSON.stringify(Object.fromEntries(Object.entries(s).sort()))).sort()
}

describe.each(SETS)('OTLP push answers as Loki 3.7.6: %s', (_set, recorded) => {
  // Each case in its own tenant, so reads see only that case's streams.
  // The recorded times are those of the recording: neither too old nor too new whenever this runs.
  const VARS = { reject_old_samples: 'false', creation_grace_period: '87600h', auth_enabled: 'true', otlp_config: recorded.otlpConfig, ...recorded.vars }
  it.each(recorded.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const tenant = { 'X-Scope-OrgID': `otlp-${c.name}` }
    const res = await call('/otlp/v1/logs', { method: 'POST', headers: { ...c.request.headers, ...tenant }, body: bytes(c.request.body), vars: VARS })
    const body = new Uint8Array(await res.arrayBuffer())
    expect(res.status).toBe(c.push.status)
    expect(status(body)).toEqual(status(bytes(c.push.body)))
    if (c.push.status !== 204) expect(res.headers.get('Content-Type')).toBe(c.push.contentType)
    if (!c.window || !c.query || !c.series) return

    const q = new URLSearchParams({ query: recorded.selector, start: c.window.start, end: c.window.end, direction: 'forward', limit: '1000' })
    const qr = await call(`/loki/api/v1/query_range?${q}`, { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels', ...tenant }, vars: VARS })
    expect(qr.status).toBe(c.query.status)
    const got = await json<{ data: { result: unknown } }>(qr)
    expect(sortStreams(got.data.result)).toEqual(sortStreams(c.query.result))

    const s = new URLSearchParams({ 'match[]': recorded.selector, start: c.window.start, end: c.window.end })
    const sr = await call(`/loki/api/v1/series?${s}`, { headers: tenant, vars: VARS })
    expect(sr.status).toBe(c.series.status)
    expect(sortSeries((await json<{ data: unknown }>(sr)).data)).toEqual(sortSeries(c.series.data))
  })
})
