import { describe, expect, it } from 'vitest'
import { call, nowNs, pushJson } from '../helpers'
import { authCall, bearer, createToken, TOKEN_VARS } from '../auth-support'

// One request per 1000 s: the bucket does not refill while the test runs.
const LIMITED = { auth_enabled: 'true', query_rate_limit: '0.001', query_burst_size: '3' }
const text = (tenant: string): string =>
  `query rate limit exceeded for user ${tenant} (limit: 0.001 requests/sec), reduce the query rate or contact your administrator to see if the limit can be increased`

async function labels(tenant: string, vars: Record<string, string> = LIMITED): Promise<[number, string]> {
  const res = await call('/loki/api/v1/labels', { headers: { 'X-Scope-OrgID': tenant }, vars })
  return [res.status, await res.text()]
}

describe('query_rate_limit', () => {
  it('refuses a tenant\'s reads past the burst with 429, other tenants and pushes unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await labels('qr-a'))[0]).toBe(200)
    expect(await labels('qr-a')).toEqual([429, text('qr-a')])
    const q = await call(`/loki/api/v1/query_range?query=${encodeURIComponent('{app="x"}')}`, { headers: { 'X-Scope-OrgID': 'qr-a' }, vars: LIMITED })
    expect(q.status).toBe(429)
    expect((await labels('qr-b'))[0]).toBe(200)
    const push = await pushJson([{ stream: { app: 'qr' }, values: [[nowNs(-1000), 'x']] }], { headers: { 'X-Scope-OrgID': 'qr-a' }, vars: LIMITED })
    expect(push.status).toBe(204)
    expect((await call('/ready', { vars: LIMITED })).status).toBe(200)
  })

  it('counts the token\'s tenant', async () => {
    const t = await createToken('qr-token', ['query'])
    const vars = { ...TOKEN_VARS, query_rate_limit: '0.001', query_burst_size: '2' }
    const get = (): Promise<Response> => authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(t.token) }, vars })
    expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(429)
  })

  it('is off at 0 (the default)', async () => {
    for (let i = 0; i < 10; i++) expect((await labels('qr-c', { auth_enabled: 'true' }))[0]).toBe(200)
  })
})
