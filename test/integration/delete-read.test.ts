import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, json, pushJson } from '../helpers'
import { tenantReads } from './delete-queries'
import { replaceOverrides } from '../../src/overrides/overrides'

const VARS = { auth_enabled: 'true', retention_enabled: 'true' }
const BASE_MS = Date.now() - 40 * 60_000
const EVAL_TIME = String(Math.floor(Date.now() / 1000) + 1)

function headers(tenant: string): Record<string, string> {
  return { 'X-Scope-OrgID': tenant }
}

/** n entries one second apart from BASE_MS + from s; every third carries a secret. */
function values(app: string, from: number, n: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i
    return [(BigInt(BASE_MS + k * 1000) * 1_000_000n).toString(), k % 3 === 0 ? `${app} ${k} password=secret${k}` : `${app} ${k} ok`]
  })
}

const { lines, count } = tenantReads(VARS, EVAL_TIME)

async function deleteRequest(tenant: string, query: string, startMs: number, endMs: number): Promise<Response> {
  const q = new URLSearchParams({ query, start: String(Math.floor(startMs / 1000)), end: String(Math.ceil(endMs / 1000)) })
  return call(`/loki/api/v1/delete?${q}`, { method: 'POST', vars: VARS, headers: headers(tenant) })
}

/** Pushes 30 entries per app, flushes the first 20 to chunks, keeps 10 in the head. */
async function seed(tenant: string, apps: readonly string[]): Promise<void> {
  for (const app of apps) {
    expect((await pushJson([{ stream: { job: 'del', app }, values: values(app, 0, 20) }], { vars: VARS, headers: headers(tenant) })).status).toBe(204)
  }
  expect((await call('/flush', { method: 'POST' })).status).toBe(204)
  for (const app of apps) {
    expect((await pushJson([{ stream: { job: 'del', app }, values: values(app, 20, 10) }], { vars: VARS, headers: headers(tenant) })).status).toBe(204)
  }
}

describe('delete requests filter reads from the moment they are accepted', () => {
  it('drops matching lines of chunks and heads in log and metric queries; other streams and tenants untouched', async () => {
    await seed('del-read', ['d1', 'd2'])
    await seed('del-other', ['d1'])
    const chunks = await env.DB.prepare("SELECT COUNT(*) AS n FROM chunks WHERE tenant = 'del-read'").first<{ n: number }>()
    expect(chunks?.n).toBeGreaterThanOrEqual(2)
    expect(await lines('del-read', '{job="del"}')).toHaveLength(60)

    const accepted = await deleteRequest('del-read', '{app="d1"} |= "password="', BASE_MS, BASE_MS + 25_000)
    expect(accepted.status).toBe(204)

    const d1 = await lines('del-read', '{app="d1"}')
    // Entries 0, 3, ..., 24 carry a secret: 9 of them fall inside the range, 27 and none after stay.
    expect(d1).toHaveLength(21)
    expect(d1.filter((l) => l.includes('password='))).toEqual(['d1 27 password=secret27'])
    expect(await lines('del-read', '{app="d2"}')).toHaveLength(30)
    expect(await count('del-read', '{job="del"}')).toBe('51')
    expect(await count('del-read', '{job="del"} |= "password"')).toBe('11')
    // The other tenant's stream of the same labels keeps every line.
    expect(await lines('del-other', '{app="d1"}')).toHaveLength(30)
    expect(await count('del-other', '{app="d1"}')).toBe('30')
  })

  it('drops every line of the range for a request without filters, in instant and backward reads', async () => {
    await seed('del-range', ['r1'])
    expect((await deleteRequest('del-range', '{app="r1"}', BASE_MS + 10_000, BASE_MS + 24_000)).status).toBe(204)
    const kept = await lines('del-range', '{app="r1"}')
    expect(kept).toHaveLength(15)
    const q = new URLSearchParams({ query: '{app="r1"}', since: '2h', limit: '5', direction: 'backward' })
    const res = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(
      await call(`/loki/api/v1/query_range?${q}`, { vars: VARS, headers: headers('del-range') }),
    )
    expect(res.data.result[0]!.values.map((v) => v[1])).toEqual(['r1 29 ok', 'r1 28 ok', 'r1 27 password=secret27', 'r1 26 ok', 'r1 25 ok'])
    expect(await count('del-range', '{app="r1"}')).toBe('15')
  })

  it('filters in filter-only mode too, and stops filtering once the request is cancelled', async () => {
    await replaceOverrides(env.DB, { 'del-cancel': { deletion_mode: 'filter-only' } }, Date.now())
    await seed('del-cancel', ['k1'])
    const accepted = await deleteRequest('del-cancel', '{app="k1"} |~ "secret[0-9]+"', BASE_MS, BASE_MS + 60_000)
    expect(accepted.status).toBe(204)
    expect(await lines('del-cancel', '{app="k1"}')).toHaveLength(20)
    const id = accepted.headers.get('X-Delete-Request-Id')!
    const cancelled = await call(`/loki/api/v1/delete?request_id=${id}`, { method: 'DELETE', vars: VARS, headers: headers('del-cancel') })
    expect(cancelled.status).toBe(204)
    expect(await lines('del-cancel', '{app="k1"}')).toHaveLength(30)
  })

  it('does not filter while the tenant\'s deletion_mode is disabled, as Loki answers no requests then', async () => {
    await seed('del-mode', ['m1'])
    expect((await deleteRequest('del-mode', '{app="m1"} |= "password="', BASE_MS, BASE_MS + 60_000)).status).toBe(204)
    expect(await lines('del-mode', '{app="m1"}')).toHaveLength(20)
    await replaceOverrides(env.DB, { 'del-mode': { deletion_mode: 'disabled' } }, Date.now())
    expect(await lines('del-mode', '{app="m1"}')).toHaveLength(30)
    await replaceOverrides(env.DB, {}, Date.now())
    expect(await lines('del-mode', '{app="m1"}')).toHaveLength(20)
  })
})
