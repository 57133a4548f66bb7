import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, json, pushJson } from '../helpers'
import { runDeletes } from '../../src/compactor/delete-execution'
import { cancelDeleteRequest } from '../../src/compactor/delete-requests'
import { replaceOverrides } from '../../src/overrides/overrides'
import recorded from '../fixtures/delete/processed-loki-3.7.6.json'

// The scenario of test/fixtures/delete/record-processed.mjs (delete_request_cancel_period 30s),
// with the compactor's clock moved past the cancel period instead of waiting for it.
const CANCEL_PERIOD = { delete_request_cancel_period: '30s' }
const VARS = { auth_enabled: 'true', retention_enabled: 'true', ...CANCEL_PERIOD }
const BASE_MS = Math.floor(Date.now() / 1000) * 1000 - 40 * 60_000

interface Answer {
  readonly status: number
  readonly body: string
}

const rec = recorded as {
  delete: { query: string; fromS: number; toS: number }
  processedList: Array<Record<string, unknown>>
  cancelProcessed: Answer
  cancelProcessedForced: Answer
  linesAfter: string[]
  filterOnlyList: string[]
  cancelPastDeadline: Answer
  cancelPastDeadlineForced: Answer
}

function entryLine(app: string, k: number): string {
  return k % 3 === 0 ? `${app} ${k} password=secret${k}` : `${app} ${k} ok`
}

async function seed(tenant: string): Promise<void> {
  const streams = ['p1', 'p2'].map((app) => ({
    stream: { job: 'proc', app },
    values: Array.from({ length: 30 }, (_, k): [string, string] => [String(BigInt(BASE_MS + k * 1000) * 1_000_000n), entryLine(app, k)]),
  }))
  expect((await pushJson(streams, { vars: VARS, headers: { 'X-Scope-OrgID': tenant } })).status).toBe(204)
  expect((await call('/flush', { method: 'POST' })).status).toBe(204)
}

async function request(method: string, tenant: string, params: Record<string, string>): Promise<Response> {
  return call(`/loki/api/v1/delete?${new URLSearchParams(params)}`, { method, vars: VARS, headers: { 'X-Scope-OrgID': tenant } })
}

describe('delete requests after the compactor acted, as Loki 3.7.6', () => {
  const range = { query: rec.delete.query, start: String(BASE_MS / 1000 + rec.delete.fromS), end: String(BASE_MS / 1000 + rec.delete.toS) }

  it('lists an executed request as processed and refuses to cancel it, forced or not', async () => {
    await seed('proc-a')
    const accepted = await request('POST', 'proc-a', range)
    expect(accepted.status).toBe(204)
    const id = accepted.headers.get('X-Delete-Request-Id')!
    const report = await runDeletes({ ...env, ...CANCEL_PERIOD }, Date.now() + 31_000)
    expect(report.shardsProcessed).toBe(1)
    const listed = await json<Array<Record<string, unknown>>>(await request('GET', 'proc-a', {}))
    expect(listed.map((r) => ({ ...r, request_id: '<id>', start_time: (r.start_time as number) - BASE_MS / 1000, end_time: (r.end_time as number) - BASE_MS / 1000, created_at: null }))).toEqual(rec.processedList)
    for (const [params, want] of [[{ request_id: id }, rec.cancelProcessed], [{ request_id: id, force: 'true' }, rec.cancelProcessedForced]] as const) {
      const res = await request('DELETE', 'proc-a', params)
      expect({ status: res.status, body: await res.text() }).toEqual({ status: want.status, body: want.body })
    }
    const q = new URLSearchParams({ query: '{job="proc"}', start: String(BigInt(BASE_MS) * 1_000_000n - 1n), end: String(BigInt(BASE_MS + 3_600_000) * 1_000_000n), limit: '1000', direction: 'forward' })
    const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(await call(`/loki/api/v1/query_range?${q}`, { vars: VARS, headers: { 'X-Scope-OrgID': 'proc-a' } }))
    expect(body.data.result.flatMap((s) => s.values.map((v) => v[1])).sort()).toEqual(rec.linesAfter)
  })

  it('keeps a filter-only tenant\'s request received and cancels it past the period only when forced', async () => {
    await replaceOverrides(env.DB, { 'proc-f': { deletion_mode: 'filter-only' } }, Date.now())
    await seed('proc-f')
    const accepted = await request('POST', 'proc-f', range)
    const id = accepted.headers.get('X-Delete-Request-Id')!
    await runDeletes({ ...env, ...CANCEL_PERIOD }, Date.now() + 31_000)
    const listed = await json<Array<{ status: string }>>(await request('GET', 'proc-f', {}))
    expect(listed.map((r) => r.status)).toEqual(rec.filterOnlyList)
    const later = Date.now() + 31_000
    const refused = await cancelDeleteRequest(env.DB, 'proc-f', id, false, 30_000, later).then(
      () => null,
      (err: Error & { status: number }) => ({ status: err.status, body: `${err.message}\n` }),
    )
    expect(refused).toEqual({ status: rec.cancelPastDeadline.status, body: rec.cancelPastDeadline.body })
    await cancelDeleteRequest(env.DB, 'proc-f', id, true, 30_000, later)
    expect(rec.cancelPastDeadlineForced.status).toBe(204)
    expect(await (await request('GET', 'proc-f', {})).text()).toBe('[]\n')
  })
})
