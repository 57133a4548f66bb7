import { describe, expect, it } from 'vitest'
import { call, json, pushJson } from '../helpers'

const MINUTE_NS = 60_000_000_000n
/** A minute boundary ten minutes ago; every entry lies in the three minutes after it. */
const T0 = ((BigInt(Date.now() - 600_000) * 1_000_000n) / MINUTE_NS) * MINUTE_NS
const ts = (sec: number): string => (T0 + BigInt(sec) * 1_000_000_000n).toString()
const RANGE = { start: T0.toString(), end: (T0 + 3n * MINUTE_NS).toString() }
const AUTH = { auth_enabled: 'true' }

const utf8 = (s: string): number => new TextEncoder().encode(s).length

function url(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params)}`
}

async function get<T>(path: string, params: Record<string, string>, headers?: Record<string, string>): Promise<T> {
  const res = await call(url(path, params), { headers })
  expect(res.status).toBe(200)
  return json<T>(res)
}

async function errorText(path: string, params: Record<string, string>): Promise<[number, string]> {
  const res = await call(url(path, params))
  return [res.status, await res.text()]
}

const API_LINES = [
  '{"level":"info","msg":"ok","status":200,"latency_ms":12.5,"user":{"id":"u1","premium":true},"service":{"name":"x"},"size":"12KB","took":"15ms"}',
  '{"level":"error","msg":"boom","status":500,"latency_ms":40.25,"user":{"id":"u2","premium":false},"service":{"name":"x"},"size":"3KB","took":"1.5s"}',
  '{"level":"info","msg":"ok","status":201,"latency_ms":7.75,"user":{"id":"u1","premium":true},"service":{"name":"x"},"size":"1KB","took":"2ms"}',
]
const WORKER_LINES = ['level=info queue=emails attempts=1', 'level=warn queue=billing attempts=3', 'level=info queue=emails attempts=2']

async function seed(app: string, headers?: Record<string, string>, vars?: Record<string, string>): Promise<void> {
  const res = await pushJson(
    [
      { stream: { app, env: 'prod', cluster: 'eu' }, values: API_LINES.map((l, i) => [ts(i * 10), l, { trace_id: `t${i}` }] as [string, string, Record<string, string>]) },
      { stream: { app, env: 'dev', cluster: 'eu' }, values: [[ts(100), API_LINES[0] as string]] },
      { stream: { app: `${app}-worker`, env: 'prod', cluster: 'us' }, values: WORKER_LINES.map((l, i) => [ts(20 + i * 40), l] as [string, string]) },
    ],
    { headers, vars },
  )
  expect(res.status, await res.clone().text()).toBe(204)
}

interface Stats {
  streams: number
  chunks: number
  bytes: number
  entries: number
}

interface VolumeBody {
  status: string
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> }
}

interface Field {
  label: string
  type: string
  cardinality: number
  parsers: string[] | null
  jsonPath?: string[]
}

describe('index/stats', () => {
  it('{app="st"} counts unflushed heads exactly: line bytes plus 8 bytes per metadata pair', async () => {
    await seed('st')
    const s = await get<Stats>('/loki/api/v1/index/stats', { query: '{app="st"}', ...RANGE })
    // Every entry carries detected_level; the prod entries also trace_id.
    const bytes = API_LINES.reduce((n, l) => n + utf8(l) + 16, 0) + utf8(API_LINES[0] as string) + 8
    expect(s).toEqual({ streams: 2, chunks: 2, bytes, entries: 4 })
  })

  it('{app="st2"} after a flush counts chunks in whole KiB with the same entries', async () => {
    await seed('st2')
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    const s = await get<Stats>('/loki/api/v1/index/stats', { query: '{app="st2"}', ...RANGE })
    expect(s.streams).toBe(2)
    expect(s.entries).toBe(4)
    expect(s.bytes % 1024).toBe(0)
  })

  it('{app="st3"} over the first half of the range prorates by time', async () => {
    await seed('st3')
    const s = await get<Stats>('/loki/api/v1/index/stats', { query: '{app="st3"}', start: ts(0), end: ts(15) })
    // The prod head spans 0..20 s: 3 entries × 15/20 → 2; the dev head (at 100 s) is outside.
    expect(s.streams).toBe(1)
    expect(s.entries).toBe(2)
  })

  it('{app="nope"} is all zeros', async () => {
    expect(await get<Stats>('/loki/api/v1/index/stats', { query: '{app="nope"}', ...RANGE })).toEqual({ streams: 0, chunks: 0, bytes: 0, entries: 0 })
  })

  it.each([
    [{ query: '{app=~".*"}' }, 'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will'],
    [{ query: '{app="a"}', limit: '0' }, 'limit must be a positive value'],
    [{ query: '{app="a"}', limit: 'x' }, 'strconv.Atoi: parsing "x": invalid syntax'],
    [{ query: '{app="a"}', start: '20', end: '10' }, 'end timestamp must not be before or equal to start time'],
    [{ query: '{app="a"}', step: '0' }, 'zero or negative query resolution step widths are not accepted. Try a positive integer'],
  ])('%j is a 400', async (params, text) => {
    expect(await errorText('/loki/api/v1/index/stats', { ...RANGE, ...params })).toEqual([400, text])
  })

  it('POST form-encoded parameters work like GET', async () => {
    await seed('st4')
    const res = await call('/loki/api/v1/index/stats', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: '{app="st4"}', ...RANGE }).toString(),
    })
    expect(res.status).toBe(200)
    expect((await json<Stats>(res)).entries).toBe(4)
  })
})

describe('index/volume', () => {
  it('{app=~"vo.*"} by service_name: one sample per service at end, bytes as strings', async () => {
    await seed('vo')
    const body = await get<VolumeBody>('/loki/api/v1/index/volume', { query: '{app=~"vo.*"}', targetLabels: 'service_name', ...RANGE })
    expect(body.data.resultType).toBe('vector')
    const endSec = Number(BigInt(RANGE.end) / 1_000_000n) / 1000
    const byService = Object.fromEntries(body.data.result.map((r) => [r.metric.service_name, r.value]))
    expect(Object.keys(byService).sort()).toEqual(['vo', 'vo-worker'])
    expect(byService['vo-worker']).toEqual([endSec, String(WORKER_LINES.reduce((n, l) => n + utf8(l) + 8, 0))])
    expect(body.data.result[0]?.metric.service_name).toBe('vo')
  })

  it('{app="vo2"} targetLabels=env,cluster limit=1 keeps the largest series', async () => {
    await seed('vo2')
    const body = await get<VolumeBody>('/loki/api/v1/index/volume', { query: '{app="vo2"}', targetLabels: 'env,cluster', limit: '1', ...RANGE })
    expect(body.data.result.map((r) => r.metric)).toEqual([{ cluster: 'eu', env: 'prod' }])
  })

  it('{app="vo3"} aggregateBy=labels sums bytes per label name', async () => {
    await seed('vo3')
    const body = await get<VolumeBody>('/loki/api/v1/index/volume', { query: '{app="vo3"}', aggregateBy: 'labels', ...RANGE })
    const names = body.data.result.map((r) => Object.keys(r.metric)[0]).sort()
    expect(names).toEqual(['app', 'cluster', 'env', 'service_name'])
    expect(body.data.result.every((r) => Object.values(r.metric)[0] === '')).toBe(true)
  })

  it('limit=0 means the default limit', async () => {
    await seed('vo4')
    const body = await get<VolumeBody>('/loki/api/v1/index/volume', { query: '{app=~"vo4.*"}', limit: '0', ...RANGE })
    expect(body.data.result.map((r) => r.metric.app).sort()).toEqual(['vo4', 'vo4-worker'])
  })

  it.each([
    [{ limit: '-1' }, 'limit must be a positive value'],
    [{ aggregateBy: 'pods' }, 'invalid aggregation option'],
  ])('%j is a 400', async (params, text) => {
    expect(await errorText('/loki/api/v1/index/volume', { query: '{app="a"}', ...RANGE, ...params })).toEqual([400, text])
  })

  it('volume_range puts buckets 1 ms before each step boundary and the last at end', async () => {
    await seed('vr')
    // The worker's entries span 20 s to 100 s: both buckets of [0 s, 90 s] hold some of them.
    const body = await get<VolumeBody>('/loki/api/v1/index/volume_range', { query: '{app="vr-worker"}', step: '60', start: ts(0), end: ts(90) })
    expect(body.data.resultType).toBe('matrix')
    const t0 = Number(T0 / 1_000_000n)
    expect(body.data.result.map((r) => r.metric)).toEqual([{ app: 'vr-worker' }])
    expect(body.data.result[0]?.values?.map((v) => v[0])).toEqual([(t0 + 59_999) / 1000, (t0 + 90_000) / 1000])
  })
})

describe('detected_fields', () => {
  it('{app="df"} finds json fields with types, paths and parsers, metadata without parsers', async () => {
    await seed('df')
    const body = await get<{ fields: Field[]; limit: number }>('/loki/api/v1/detected_fields', { query: '{app="df"}', ...RANGE })
    expect(body.limit).toBe(1000)
    const f = Object.fromEntries(body.fields.map((x) => [x.label, x]))
    expect(f.status).toEqual({ label: 'status', type: 'int', cardinality: 3, parsers: ['json'], jsonPath: ['status'] })
    expect(f.latency_ms?.type).toBe('float')
    expect(f.user_premium).toEqual({ label: 'user_premium', type: 'boolean', cardinality: 2, parsers: ['json'], jsonPath: ['user', 'premium'] })
    expect(f.size?.type).toBe('bytes')
    expect(f.took?.type).toBe('duration')
    expect(f.service_name_extracted?.jsonPath).toEqual(['service', 'name'])
    expect(f.trace_id).toEqual({ label: 'trace_id', type: 'string', cardinality: 3, parsers: null })
    expect(f.detected_level?.parsers).toBeNull()
    expect(f.app).toBeUndefined()
  })

  it('{app="df2-worker"} finds logfmt fields without a json path', async () => {
    await seed('df2')
    const body = await get<{ fields: Field[] }>('/loki/api/v1/detected_fields', { query: '{app="df2-worker"}', ...RANGE })
    const queue = body.fields.find((x) => x.label === 'queue')
    expect(queue).toEqual({ label: 'queue', type: 'string', cardinality: 2, parsers: ['logfmt'] })
    expect(body.fields.find((x) => x.label === 'attempts')?.type).toBe('int')
  })

  it('line_limit=1 reads only the newest line', async () => {
    await seed('df3')
    const body = await get<{ fields: Field[] }>('/loki/api/v1/detected_fields', { query: '{app="df3", env="prod"}', line_limit: '1', ...RANGE })
    expect(body.fields.find((x) => x.label === 'status')?.cardinality).toBe(1)
  })

  it('limit=2 keeps two fields', async () => {
    await seed('df4')
    const body = await get<{ fields: Field[]; limit: number }>('/loki/api/v1/detected_fields', { query: '{app="df4"}', limit: '2', ...RANGE })
    expect(body.fields).toHaveLength(2)
    expect(body.limit).toBe(2)
  })

  it.each([
    [{ query: 'sum(rate({app="a"}[1m]))' }, 'only log selector is supported'],
    [{ query: '{app="a"}', line_limit: '0' }, 'limit must be a positive value'],
    [{ query: '{app="a"}', line_limit: '6000' }, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)'],
  ])('%j is a 400', async (params, text) => {
    expect(await errorText('/loki/api/v1/detected_fields', { ...RANGE, ...params })).toEqual([400, text])
  })

  it('detected_field/queue/values lists the distinct values', async () => {
    await seed('dv')
    const body = await get<{ values: string[]; limit: number }>('/loki/api/v1/detected_field/queue/values', { query: '{app="dv-worker"}', ...RANGE })
    expect(body.values.sort()).toEqual(['billing', 'emails'])
    expect(body.limit).toBe(1000)
  })
})

describe('detected_labels', () => {
  it('{app="dl"} counts distinct values, drops numeric-only labels except static ones', async () => {
    const res = await pushJson([
      { stream: { app: 'dl', build: '101', pod: '7', region: 'x' }, values: [[ts(1), 'a']] },
      { stream: { app: 'dl', build: '102', pod: '8', region: 'y' }, values: [[ts(2), 'b']] },
    ])
    expect(res.status).toBe(204)
    const body = await get<{ detectedLabels: Array<{ label: string; cardinality: number }> }>('/loki/api/v1/detected_labels', { query: '{app="dl"}', ...RANGE })
    expect(body.detectedLabels).toEqual([
      { label: 'app', cardinality: 1 },
      { label: 'pod', cardinality: 2 },
      { label: 'region', cardinality: 2 },
      { label: 'service_name', cardinality: 1 },
    ])
  })
})

describe('patterns and drilldown-limits', () => {
  it('patterns answers success with no data', async () => {
    expect(await get('/loki/api/v1/patterns', { query: '{app="x"}', step: '15s', ...RANGE })).toEqual({ status: 'success', data: [] })
  })

  it('drilldown-limits publishes the limits from the settings', async () => {
    const res = await call('/loki/api/v1/drilldown-limits', { headers: { 'X-Scope-OrgID': 'tenant-a' }, vars: { max_entries_limit_per_query: '2000' } })
    const body = await json<{ limits: Record<string, unknown>; pattern_ingester_enabled: boolean; version: string }>(res)
    expect(body.pattern_ingester_enabled).toBe(false)
    expect(body.limits.max_entries_limit_per_query).toBe(2000)
    expect(body.limits.max_query_length).toBe('30d1h')
    expect(body.limits.volume_enabled).toBe(true)
    expect(body.limits.discover_service_name).toContain('app')
    expect(typeof body.version).toBe('string')
  })
})

describe('tenancy', () => {
  it("one tenant's data is invisible to another in stats, volume, fields and labels", async () => {
    await seed('tn', { 'X-Scope-OrgID': 'tenant-a' }, AUTH)
    const q = { query: '{app="tn"}', ...RANGE }
    const asB = { 'X-Scope-OrgID': 'tenant-b' }
    const statsA = await json<Stats>(await call(url('/loki/api/v1/index/stats', q), { vars: AUTH, headers: { 'X-Scope-OrgID': 'tenant-a' } }))
    expect(statsA.entries).toBe(4)
    const statsB = await json<Stats>(await call(url('/loki/api/v1/index/stats', q), { vars: AUTH, headers: asB }))
    expect(statsB).toEqual({ streams: 0, chunks: 0, bytes: 0, entries: 0 })
    const vol = await json<VolumeBody>(await call(url('/loki/api/v1/index/volume', q), { vars: AUTH, headers: asB }))
    expect(vol.data.result).toEqual([])
    const fields = await json<{ fields: Field[] }>(await call(url('/loki/api/v1/detected_fields', q), { vars: AUTH, headers: asB }))
    expect(fields.fields).toEqual([])
    const labels = await json<{ detectedLabels: unknown[] }>(await call(url('/loki/api/v1/detected_labels', q), { vars: AUTH, headers: asB }))
    expect(labels.detectedLabels).toEqual([])
  })

  it('a missing org id is a 401 when auth is enabled', async () => {
    const res = await call(url('/loki/api/v1/index/stats', { query: '{app="tn"}' }), { vars: AUTH })
    expect(res.status).toBe(401)
  })
})
