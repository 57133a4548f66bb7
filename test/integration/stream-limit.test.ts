/**
 * max_global_streams_per_user: pushes replayed from test/fixtures/stream-limit (Loki 3.7.6 with a
 * limit of 3) get Loki's statuses and texts; flushed streams give their slots back; pushes to
 * active streams cost no extra object call and no D1 write.
 */
import { describe, expect, it } from 'vitest'
import fixture from '../fixtures/stream-limit/loki-3.7.6.json'
import { call, json } from '../helpers'

interface Push {
  streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>
  status: number
  text: string
}

const LIMITED = { auth_enabled: 'true', max_global_streams_per_user: '3', reject_old_samples: 'false' }

function push(tenant: string, streams: Push['streams'], vars: Record<string, string> = LIMITED): Promise<Response> {
  return call('/loki/api/v1/push', {
    headers: { 'X-Scope-OrgID': tenant, 'Content-Type': 'application/json' },
    body: JSON.stringify({ streams }),
    vars,
  })
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await call('/metrics')).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `))
  return Number(line?.split(' ')[1] ?? '0')
}

/** Series over the 30 days up to `endNs` (the recorded pushes' or now), inside max_query_length. */
async function seriesApps(tenant: string, endNs = BigInt(Date.now()) * 1_000_000n): Promise<string[]> {
  const range = `start=${endNs - 30n * 86_400_000_000_000n}&end=${endNs + 1n}`
  const res = await call(`/loki/api/v1/series?match[]=${encodeURIComponent('{app=~".+"}')}&${range}`, { headers: { 'X-Scope-OrgID': tenant }, vars: LIMITED })
  return (await json<{ data: Array<{ app: string }> }>(res)).data.map((s) => s.app).sort()
}

const now = (): string => `${Date.now()}000000`

describe('max_global_streams_per_user', () => {
  it('answers as Loki 3.7.6 for a tenant at its limit', async () => {
    for (const p of fixture.pushes as unknown as Push[]) {
      const res = await push(fixture.tenant, p.streams)
      expect([res.status, await res.text()]).toEqual([p.status, p.text])
    }
    const newest = (fixture.pushes as unknown as Push[]).flatMap((p) => p.streams.flatMap((s) => s.values.map((v) => BigInt(v[0]))))
    expect(await seriesApps(fixture.tenant, newest.reduce((a, b) => (b > a ? b : a)))).toEqual(['s1', 's2', 's3'])
    const discarded = await metric('loki_discarded_samples_total', `{reason="stream_limit",tenant="${fixture.tenant}"}`)
    expect(discarded).toBe(Number(fixture.discarded[0]?.split(' ').pop()))
  })

  it('keeps other tenants apart', async () => {
    for (const app of ['a', 'b', 'c']) expect((await push('sl-other-1', [{ stream: { app }, values: [[now(), 'x']] }])).status).toBe(204)
    expect((await push('sl-other-2', [{ stream: { app: 'a' }, values: [[now(), 'x']] }])).status).toBe(204)
    expect((await push('sl-other-1', [{ stream: { app: 'd' }, values: [[now(), 'x']] }])).status).toBe(429)
  })

  it('frees the slots of streams flushed empty', async () => {
    for (const app of ['f1', 'f2', 'f3']) expect((await push('sl-flush', [{ stream: { app }, values: [[now(), 'x']] }])).status).toBe(204)
    expect((await push('sl-flush', [{ stream: { app: 'f4' }, values: [[now(), 'x']] }])).status).toBe(429)
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    expect((await push('sl-flush', [{ stream: { app: 'f4' }, values: [[now(), 'y']] }])).status).toBe(204)
    expect((await push('sl-flush', [{ stream: { app: 'f1' }, values: [[now(), 'z']] }])).status).toBe(204)
    expect((await push('sl-flush', [{ stream: { app: 'f5' }, values: [[now(), 'x']] }])).status).toBe(204)
    const res = await push('sl-flush', [{ stream: { app: 'f6' }, values: [[now(), 'x']] }])
    expect(res.status).toBe(429)
  })

  it('costs active streams no limiter call and no D1 write', async () => {
    expect((await push('sl-cost', [{ stream: { app: 'c1' }, values: [[now(), 'first']] }])).status).toBe(204)
    const calls = await metric('edgeloki_do_requests_total')
    const d1Writes = await metric('edgeloki_d1_rows_written_total')
    for (let i = 0; i < 3; i++) expect((await push('sl-cost', [{ stream: { app: 'c1' }, values: [[now(), `again ${i}`]] }])).status).toBe(204)
    expect((await metric('edgeloki_do_requests_total')) - calls).toBe(3)
    expect(await metric('edgeloki_d1_rows_written_total')).toBe(d1Writes)
  })

  it('is off at 0', async () => {
    const vars = { ...LIMITED, max_global_streams_per_user: '0' }
    const streams = ['z1', 'z2', 'z3', 'z4', 'z5'].map((app) => ({ stream: { app }, values: [[now(), 'x']] as Array<[string, string]> }))
    expect((await push('sl-off', streams, vars)).status).toBe(204)
  })
})
