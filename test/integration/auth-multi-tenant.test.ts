/**
 * Multi-tenant queries (`X-Scope-OrgID: a|b` with multi_tenant_queries_enabled) replayed against
 * the answers Loki 3.7.6 gave to the same pushes (test/fixtures/multi-tenant), then the same
 * through API tokens, which reach several tenants only when made for them.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fixture from '../fixtures/multi-tenant/loki-3.7.6.json'
import { ADMIN_TOKEN, authCall, basic, bearer, createToken, pushBody } from '../auth-support'

interface Answer {
  path: string
  params?: Record<string, string>
  orgId: string
  status: number
  json?: unknown
  text?: string
}

const MULTI = { auth_enabled: 'true', multi_tenant_queries_enabled: 'true', reject_old_samples: 'false' }
const TOKENS = { ...MULTI, auth_tokens: 'true', ADMIN_TOKEN }
const answers = fixture.answers as unknown as Answer[]
const corpus = fixture.corpus as unknown as Record<string, Array<{ stream: Record<string, string>; values: Array<[string, string]> }>>
/**
 * Loki's query frontend answers a metric query whose selector matches `__tenant_id__` positively
 * with no series (its shard planning looks the matcher up in each tenant's index); edgeloki
 * chooses the tenants as Loki's querier does for log queries, and this case is checked below.
 */
const FRONTEND_QUIRK = 'sum by (owner) (count_over_time({app="mt", __tenant_id__="tf"}[1m]))'
const reads = answers.filter((a) => a.path !== '/loki/api/v1/push' && a.params?.query !== FRONTEND_QUIRK)

function withoutStats(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'data' in body) {
    const data = (body as { data: unknown }).data
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      const { stats: _, ...rest } = data as Record<string, unknown>
      return { ...body, data: rest }
    }
  }
  return body
}

async function replay(a: Answer, headers: Record<string, string>, vars: Record<string, string>): Promise<[number, unknown]> {
  const res = await authCall(`${a.path}?${new URLSearchParams(a.params ?? {})}`, { headers, vars })
  const text = await res.text()
  return [res.status, a.json === undefined ? text : withoutStats(JSON.parse(text))]
}

const expected = (a: Answer): [number, unknown] => [a.status, a.json ?? a.text]

beforeAll(async () => {
  for (const [tenant, streams] of Object.entries(corpus)) {
    const res = await authCall('/loki/api/v1/push', {
      headers: { 'X-Scope-OrgID': tenant, 'Content-Type': 'application/json' },
      body: pushBody(streams),
      vars: MULTI,
    })
    expect(res.status).toBe(204)
  }
})

describe('multi-tenant queries as Loki 3.7.6 answers them', () => {
  it.each(reads)('$orgId $path $params.query', async (a) => {
    expect(await replay(a, { 'X-Scope-OrgID': a.orgId }, MULTI)).toEqual(expected(a))
  })

  it('refuses a push to several tenants', async () => {
    const res = await authCall('/loki/api/v1/push', {
      headers: { 'X-Scope-OrgID': 'te|tf', 'Content-Type': 'application/json' },
      body: pushBody([{ stream: { app: 'x' }, values: [[fixture.startNs, 'x']] }]),
      vars: MULTI,
    })
    expect([res.status, (await res.text()).trim()]).toEqual([400, 'multiple org IDs present'])
  })

  it('choose tenants by __tenant_id__ in metric queries too', async () => {
    const params = new URLSearchParams({ query: FRONTEND_QUIRK, start: fixture.startNs, end: (BigInt(fixture.startNs) + 60_000_000_000n).toString(), step: '30' })
    const res = await authCall(`/loki/api/v1/query_range?${params}`, { headers: { 'X-Scope-OrgID': 'te|tf' }, vars: MULTI })
    const body = (await res.json()) as { data: { result: Array<{ metric: Record<string, string>; values: unknown[] }> } }
    expect(body.data.result.map((r) => [r.metric, r.values.length])).toEqual([[{ owner: 'tf' }, 2]])
  })

  it('are refused when multi_tenant_queries_enabled is off', async () => {
    for (const path of ['/loki/api/v1/query_range', '/loki/api/v1/labels', '/loki/api/v1/series']) {
      const res = await authCall(`${path}?query=${encodeURIComponent('{app="mt"}')}&start=${fixture.startNs}`, { headers: { 'X-Scope-OrgID': 'te|tf' }, vars: { auth_enabled: 'true' } })
      expect([res.status, await res.text()]).toEqual([400, 'multiple org IDs present'])
    }
  })

  it.each(['/loki/api/v1/index/stats', '/loki/api/v1/index/volume', '/loki/api/v1/detected_labels', '/loki/api/v1/patterns'])(
    'are refused on %s, which answers for one tenant',
    async (path) => {
      const res = await authCall(`${path}?query=${encodeURIComponent('{app="mt"}')}&start=${fixture.startNs}`, { headers: { 'X-Scope-OrgID': 'te|tf' }, vars: MULTI })
      expect([res.status, await res.text()]).toEqual([400, 'multiple org IDs present'])
    },
  )
})

describe('multi-tenant queries with API tokens', () => {
  let both = ''
  let onlyTe = ''
  beforeAll(async () => {
    both = (await createToken('te|tf', ['query'])).token
    onlyTe = (await createToken('te', ['query'])).token
  })

  it.each(reads.filter((a) => a.status === 200 && a.orgId.split('|').every((t) => t === 'te' || t === 'tf')))(
    'a token made for te|tf gets $orgId $path $params.query',
    async (a) => {
      expect(await replay(a, { Authorization: bearer(both), 'X-Scope-OrgID': a.orgId }, TOKENS)).toEqual(expected(a))
      expect(await replay(a, { Authorization: basic(a.orgId, both) }, TOKENS)).toEqual(expected(a))
    },
  )

  it('without a header, a token made for te|tf reads both', async () => {
    const a = reads[0] as Answer
    expect(await replay(a, { Authorization: bearer(both) }, TOKENS)).toEqual(expected(a))
  })

  it("a token made for te alone cannot add tf", async () => {
    for (const org of ['te|tf', 'tf|te', 'te|te|tf']) {
      const res = await authCall(`/loki/api/v1/labels?start=${fixture.startNs}`, { headers: { Authorization: bearer(onlyTe), 'X-Scope-OrgID': org }, vars: TOKENS })
      expect([res.status, await res.text()]).toEqual([403, "tenant 'tf' is not allowed for this token"])
    }
  })

  it('a token made for te|tf cannot push without naming one tenant', async () => {
    const pusher = (await createToken('te|tf', ['push'])).token
    const push = (headers: Record<string, string>): Promise<Response> =>
      authCall('/loki/api/v1/push', {
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: pushBody([{ stream: { app: 'mt-push' }, values: [[fixture.startNs, 'x']] }]),
        vars: TOKENS,
      })
    expect((await push({ Authorization: bearer(pusher) })).status).toBe(400)
    expect((await push({ Authorization: bearer(pusher), 'X-Scope-OrgID': 'te|tf' })).status).toBe(400)
    expect((await push({ Authorization: basic('tf', pusher) })).status).toBe(204)
  })
})
