import { beforeAll, describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, json, pushJson } from '../helpers'
import { replaceOverrides } from '../../src/overrides/overrides'
import { DEFAULT_RETENTION, runRetention } from '../../src/compactor/retention'
import { runDeletes } from '../../src/compactor/delete-execution'
import { renderMetrics } from '../../src/metrics/registry'

const VARS = { auth_enabled: 'true', retention_enabled: 'true' }
const NOW = Date.now()
const DAY = 24 * 3_600_000

function headers(tenant: string): Record<string, string> {
  return { 'X-Scope-OrgID': tenant }
}

function values(atMs: number, n: number, text: string): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [(BigInt(atMs + i * 1000) * 1_000_000n).toString(), `${text} ${i}`])
}

async function push(tenant: string, app: string, atMs: number, n: number): Promise<void> {
  const res = await pushJson([{ stream: { job: 'ret', app }, values: values(atMs, n, app) }], { vars: VARS, headers: headers(tenant) })
  expect(res.status).toBe(204)
}

async function flush(): Promise<void> {
  expect((await call('/flush', { method: 'POST' })).status).toBe(204)
}

async function series(tenant: string): Promise<string[]> {
  const q = new URLSearchParams({ 'match[]': '{job="ret"}', start: String(Math.floor((NOW - 8 * DAY) / 1000)), end: String(Math.ceil(NOW / 1000) + 60) })
  const body = await json<{ data: Array<Record<string, string>> }>(await call(`/loki/api/v1/series?${q}`, { vars: VARS, headers: headers(tenant) }))
  return body.data.map((s) => s.app ?? '').sort()
}

async function appValues(tenant: string): Promise<string[]> {
  const q = new URLSearchParams({ start: String(Math.floor((NOW - 8 * DAY) / 1000)), end: String(Math.ceil(NOW / 1000) + 60) })
  const body = await json<{ data?: string[] }>(await call(`/loki/api/v1/label/app/values?${q}`, { vars: VARS, headers: headers(tenant) }))
  return body.data ?? []
}

async function lineCount(tenant: string, app: string): Promise<number> {
  const q = new URLSearchParams({ query: `{app="${app}"}`, start: String(Math.floor((NOW - 8 * DAY) / 1000)), end: String(Math.ceil(NOW / 1000) + 60), limit: '5000' })
  const body = await json<{ data: { result: Array<{ values: unknown[] }> } }>(await call(`/loki/api/v1/query_range?${q}`, { vars: VARS, headers: headers(tenant) }))
  return body.data.result.reduce((n, s) => n + s.values.length, 0)
}

async function chunkCount(tenant: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM chunks WHERE tenant = ?').bind(tenant).first<{ n: number }>())?.n ?? 0
}

function meter(name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(renderMetrics())
  return m ? Number(m[1]) : 0
}

const METERS = ['edgeloki_r2_class_a_operations_total', 'edgeloki_r2_class_b_operations_total', 'edgeloki_d1_queries_total', 'edgeloki_d1_rows_read_total', 'edgeloki_d1_rows_written_total', 'edgeloki_do_requests_total']

async function metered<T>(work: () => Promise<T>): Promise<{ result: T; ops: Record<string, number> }> {
  const before = METERS.map(meter)
  const result = await work()
  return { result, ops: Object.fromEntries(METERS.map((m, i) => [m.replace(/^edgeloki_|_total$/g, ''), meter(m) - before[i]!])) }
}

describe('retention', () => {
  beforeAll(async () => {
    await replaceOverrides(
      env.DB,
      {
        'ret-a': { retention_period: '30d', retention_stream: [{ selector: '{app="short"}', priority: 1, period: '3d' }, { selector: '{app=~"sh.*"}', priority: 0, period: '24h' }] },
        'ret-partial': { retention_period: '4d' },
        'ret-page': { retention_period: '132h', retention_stream: [{ selector: '{app="keep"}', priority: 1, period: '30d' }] },
      },
      NOW,
    )
    // ret-a: two streams flushed to chunks, one stream still in its head; ret-b keeps forever.
    await push('ret-a', 'short', NOW - 60_000, 10)
    await push('ret-a', 'long', NOW - 60_000, 10)
    await push('ret-b', 'short', NOW - 60_000, 10)
    // ret-partial: entries 6 days old in one chunk, recent ones in another.
    await push('ret-partial', 'mixed', NOW - 6 * DAY, 10)
    await flush()
    await push('ret-partial', 'mixed', NOW - 60_000, 10)
    await flush()
    // ret-page: three old chunks kept 30 days, then a younger one kept 5.5 days.
    for (let i = 0; i < 3; i++) {
      await push('ret-page', 'keep', NOW - 6 * DAY + i * 60_000, 5)
      await flush()
    }
    await push('ret-page', 'drop', NOW - 5 * DAY, 5)
    await flush()
    await push('ret-a', 'headonly', NOW - 30_000, 5)
  })

  it('drops only the expired chunk of a stream and keeps the stream; nothing else before its period', async () => {
    expect(await lineCount('ret-partial', 'mixed')).toBe(20)
    const chunksA = await chunkCount('ret-a')
    const r = await runRetention(env, NOW + DAY / 2)
    expect(r.chunksDeleted).toBe(1)
    expect(r.streamsForgotten).toBe(0)
    expect(await lineCount('ret-partial', 'mixed')).toBe(10)
    expect(await series('ret-partial')).toEqual(['mixed'])
    expect(await chunkCount('ret-a')).toBe(chunksA)
    expect(await series('ret-a')).toEqual(['headonly', 'long', 'short'])
  })

  it('pages past older chunks kept longer to reach the expired ones behind them', async () => {
    const r = await runRetention(env, NOW + DAY, { ...DEFAULT_RETENTION, pageSize: 1, maxCandidates: 10 })
    expect(r.chunksDeleted).toBe(1)
    expect(await lineCount('ret-page', 'keep')).toBe(15)
    expect(await lineCount('ret-page', 'drop')).toBe(0)
    expect(await series('ret-page')).toEqual(['keep'])
  })

  it('drops a stream by its highest-priority rule, then forgets it; other streams and tenants untouched', async () => {
    const chunksBefore = await chunkCount('ret-a')
    const { result: r, ops } = await metered(() => runRetention(env, NOW + 3 * DAY + 3_600_000))
    console.log('retention pass ops', JSON.stringify({ report: r, ops }))
    // {app="short"} matches both rules; priority 1 (3d) wins over the 24h rule.
    expect(r.chunksDeleted).toBe(1)
    expect(r.streamsForgotten).toBe(1)
    expect(await chunkCount('ret-a')).toBe(chunksBefore - 1)
    expect(await series('ret-a')).toEqual(['headonly', 'long'])
    expect(await appValues('ret-a')).toEqual(['headonly', 'long'])
    expect(await lineCount('ret-a', 'short')).toBe(0)
    expect(await lineCount('ret-a', 'long')).toBe(10)
    expect(await lineCount('ret-b', 'short')).toBe(10)
    expect(await series('ret-b')).toEqual(['short'])
    expect(ops.r2_class_a_operations).toBe(0)
  })

  it('after the tenant period drops the rest, keeps a stream whose head still holds entries, and deletes objects after the delay', async () => {
    const r = await runRetention(env, NOW + 31 * DAY)
    expect(r.chunksDeleted).toBeGreaterThanOrEqual(1)
    expect(await chunkCount('ret-a')).toBe(0)
    expect(await series('ret-a')).toEqual(['headonly'])
    expect(await lineCount('ret-a', 'headonly')).toBe(5)
    expect(await lineCount('ret-b', 'short')).toBe(10)
    const pending = await env.DB.prepare('SELECT COUNT(*) AS n FROM pending_deletes WHERE delete_after_ms > ?').bind(NOW + 31 * DAY).first<{ n: number }>()
    expect(pending?.n).toBeGreaterThanOrEqual(1)
  })

  it('refuses a retention_stream period below 24h with Loki\'s text', async () => {
    await expect(replaceOverrides(env.DB, { 'ret-bad': { retention_stream: [{ selector: '{app="x"}', priority: 1, period: '1h' }] } }, NOW)).rejects.toThrow('retention period must be >= 24h was 1h')
  })

  it('measures a delete pass and a retention pass over ten chunks', async () => {
    const apps = Array.from({ length: 10 }, (_, i) => `m${i}`)
    for (const app of apps) await push('ret-meter', app, NOW - 120_000, 50)
    await flush()
    // Every stream's lines "<app> 1" and "<app> 10".."<app> 19": 11 of 50 per chunk.
    const q = new URLSearchParams({ query: '{job="ret"} |~ " 1[0-9]?$"', start: String(Math.floor((NOW - 200_000) / 1000)), end: String(Math.floor(NOW / 1000)) })
    expect((await call(`/loki/api/v1/delete?${q}`, { method: 'POST', vars: VARS, headers: headers('ret-meter') })).status).toBe(204)
    const del = await metered(() => runDeletes(env, NOW + DAY + 3_600_000))
    console.log('delete pass, 10 chunks', JSON.stringify(del))
    expect(del.result.linesDeleted).toBe(110)
    expect(del.result.chunksRewritten).toBe(10)
    // Per rewritten chunk: one R2 put, one read of the (small) chunk.
    expect(del.ops.r2_class_a_operations).toBe(10)
    expect(del.ops.r2_class_b_operations).toBeLessThanOrEqual(20)
    await replaceOverrides(env.DB, { 'ret-meter': { retention_period: '24h' } }, NOW)
    const ret = await metered(() => runRetention(env, NOW + 2 * DAY))
    console.log('retention pass, 10 chunks', JSON.stringify(ret))
    expect(ret.result.streamsForgotten).toBe(10)
    expect(ret.ops.r2_class_a_operations).toBe(0)
    expect(await series('ret-meter')).toEqual([])
  })
})
