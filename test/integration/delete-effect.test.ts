import { describe, expect, it } from 'vitest'
import { call, json, pushJson } from '../helpers'
import recorded from '../fixtures/delete/effect-loki-3.7.6.json'

// The scenario of test/fixtures/delete/record-effect.mjs, replayed with half of the entries
// flushed to chunks and half in the heads; the answers must be the ones Loki 3.7.6 gave.
const VARS = { auth_enabled: 'true', retention_enabled: 'true' }
const HEADERS = { 'X-Scope-OrgID': 'effect' }
const BASE_MS = Math.floor(Date.now() / 1000) * 1000 - 40 * 60_000

interface Answer {
  readonly query: string
  readonly status: number
  readonly result: unknown
}

const { delete: del, answers } = recorded as { delete: { query: string; fromS: number; toS: number }; answers: Answer[] }

function entryLine(app: string, k: number): string {
  return k % 3 === 0 ? `${app} ${k} password=secret${k}` : `${app} ${k} ok`
}

function values(app: string, from: number, to: number): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let k = from; k < to; k++) out.push([String(BigInt(BASE_MS + k * 1000) * 1_000_000n), entryLine(app, k)])
  return out
}

describe('what queries show once a delete request is accepted, as Loki 3.7.6', () => {
  it('matches the recorded answers over chunks and heads', async () => {
    for (const [from, to] of [[0, 15], [15, 30]] as const) {
      const streams = ['e1', 'e2'].map((app) => ({ stream: { job: 'eff', app }, values: values(app, from, to) }))
      expect((await pushJson(streams, { vars: VARS, headers: HEADERS })).status).toBe(204)
      if (from === 0) expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    }
    const q = new URLSearchParams({ query: del.query, start: String(BASE_MS / 1000 + del.fromS), end: String(BASE_MS / 1000 + del.toS) })
    expect((await call(`/loki/api/v1/delete?${q}`, { method: 'POST', vars: VARS, headers: HEADERS })).status).toBe(204)
    for (const a of answers) {
      const metric = a.query.startsWith('sum')
      const params = metric
        ? new URLSearchParams({ query: a.query, time: String(Math.floor(Date.now() / 1000)) })
        : new URLSearchParams({ query: a.query, start: String(BigInt(BASE_MS) * 1_000_000n - 1n), end: String(BigInt(BASE_MS + 3_600_000) * 1_000_000n), limit: '1000', direction: 'forward' })
      const res = await call(`/loki/api/v1/${metric ? 'query' : 'query_range'}?${params}`, { vars: VARS, headers: HEADERS })
      const body = await json<{ data: { result: Array<{ metric: Record<string, string>; value: [number, string]; values: Array<[string, string]> }> } }>(res)
      const result = metric
        ? body.data.result.map((s) => ({ metric: s.metric, value: s.value[1] }))
        : body.data.result.flatMap((s) => s.values.map((v) => v[1])).sort()
      expect({ query: a.query, status: res.status, result }).toEqual(a)
    }
  })
})
