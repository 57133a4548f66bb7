import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, json, pushJson } from '../helpers'
import { tenantReads } from './delete-queries'
import { runCompaction } from '../../src/compactor/compact'
import { runDeletes, DEFAULT_DELETE_RUN, type DeleteStepHook } from '../../src/compactor/delete-execution'
import { replaceOverrides } from '../../src/overrides/overrides'

const VARS = { auth_enabled: 'true', retention_enabled: 'true' }
const BASE_MS = Date.now() - 50 * 60_000
const EVAL_TIME = String(Math.floor(Date.now() / 1000) + 1)
/** The compactor's clock: a day and an hour after the requests were made. */
const LATER = Date.now() + 25 * 3_600_000

function headers(tenant: string): Record<string, string> {
  return { 'X-Scope-OrgID': tenant }
}

function line(app: string, k: number): string {
  return k % 4 === 0 ? `${app} ${k} token=secret${k}` : `${app} ${k} fine`
}

function values(app: string, from: number, n: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [(BigInt(BASE_MS + (from + i) * 1000) * 1_000_000n).toString(), line(app, from + i)])
}

const { lines, count } = tenantReads(VARS, EVAL_TIME)

/**
 * Entries 0-39 of two streams go to chunks in two flushes, merged into a compacted object;
 * entries 40-49 stay in the heads.
 */
async function seed(tenant: string, apps: readonly string[]): Promise<void> {
  for (const round of [0, 1]) {
    for (const app of apps) {
      expect((await pushJson([{ stream: { job: 'exec', app }, values: values(app, round * 20, 20) }], { vars: VARS, headers: headers(tenant) })).status).toBe(204)
    }
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
  }
  await runCompaction(env, Date.now())
  for (const app of apps) {
    expect((await pushJson([{ stream: { job: 'exec', app }, values: values(app, 40, 10) }], { vars: VARS, headers: headers(tenant) })).status).toBe(204)
  }
}

async function requestDelete(tenant: string, query: string, fromK: number, toK: number): Promise<string> {
  const q = new URLSearchParams({ query, start: String(Math.floor((BASE_MS + fromK * 1000) / 1000)), end: String(Math.ceil((BASE_MS + toK * 1000) / 1000)) })
  const res = await call(`/loki/api/v1/delete?${q}`, { method: 'POST', vars: VARS, headers: headers(tenant) })
  expect(res.status).toBe(204)
  return res.headers.get('X-Delete-Request-Id')!
}

/** Forgets the tenant's requests, so reads show only what is stored. */
async function forgetRequests(tenant: string): Promise<void> {
  await env.DB.prepare('DELETE FROM delete_requests WHERE tenant = ?').bind(tenant).run()
}

async function chunkRefs(tenant: string): Promise<string[]> {
  const rows = await env.DB.prepare('SELECT object_key, byte_offset FROM chunks WHERE tenant = ? ORDER BY object_key, byte_offset').bind(tenant).all<{ object_key: string; byte_offset: number }>()
  return rows.results.map((r) => `${r.object_key}@${r.byte_offset}`)
}

/** What a1 holds once the secrets inside entries [start, end] s are gone. */
function expectedA1(fromK: number, toK: number): string[] {
  return Array.from({ length: 50 }, (_, k) => k)
    .filter((k) => !(k % 4 === 0 && k >= fromK && k <= toK))
    .map((k) => line('a1', k))
    .sort()
}

describe('delete requests executed by the compactor', () => {
  it('rewrites chunks, compacted objects and heads without the matched lines; other streams and tenants untouched', async () => {
    await seed('exec-a', ['a1', 'a2'])
    await seed('exec-b', ['a1'])
    const refsB = await chunkRefs('exec-b')
    expect((await chunkRefs('exec-a')).some((r) => r.startsWith('compacted/'))).toBe(true)

    await requestDelete('exec-a', '{app="a1"} |= "token=secret"', 0, 47)
    const want = expectedA1(0, 47)
    expect(await lines('exec-a', '{app="a1"}')).toEqual(want)

    // Not before the cancel period is over.
    const early = await runDeletes(env, Date.now())
    expect(early.shardsProcessed).toBe(0)

    const report = await runDeletes(env, LATER)
    expect(report.shardsProcessed).toBe(1)
    expect(report.linesDeleted).toBe(12)
    expect(report.chunksRewritten).toBeGreaterThanOrEqual(2)
    const listed = await json<Array<{ status: string }>>(await call('/loki/api/v1/delete', { vars: VARS, headers: headers('exec-a') }))
    expect(listed.map((r) => r.status)).toEqual(['processed'])

    await forgetRequests('exec-a')
    expect(await lines('exec-a', '{app="a1"}')).toEqual(want)
    expect(await count('exec-a', '{app="a1"}')).toBe(String(want.length))
    expect(await lines('exec-a', '{app="a2"}')).toHaveLength(50)
    expect(await lines('exec-b', '{app="a1"}')).toHaveLength(50)
    expect(await chunkRefs('exec-b')).toEqual(refsB)

    // A second run finds nothing left to do.
    const again = await runDeletes(env, LATER)
    expect(again.shardsProcessed).toBe(0)
    expect(again.chunksRead).toBe(0)
  })

  it('drops whole chunks of a request without filters without reading them', async () => {
    await seed('exec-whole', ['w1'])
    await requestDelete('exec-whole', '{app="w1"}', -10, 100)
    const report = await runDeletes(env, LATER)
    expect(report.shardsProcessed).toBe(1)
    expect(report.chunksRead).toBe(0)
    expect(report.chunksDropped).toBeGreaterThanOrEqual(1)
    await forgetRequests('exec-whole')
    expect(await lines('exec-whole', '{app="w1"}')).toEqual([])
    expect(await chunkRefs('exec-whole')).toEqual([])
  })

  it('changes nothing for a cancelled request, nor for a filter-only tenant', async () => {
    await seed('exec-cancel', ['c1'])
    const id = await requestDelete('exec-cancel', '{app="c1"} |= "token"', 0, 47)
    const before = await chunkRefs('exec-cancel')
    expect((await call(`/loki/api/v1/delete?request_id=${id}`, { method: 'DELETE', vars: VARS, headers: headers('exec-cancel') })).status).toBe(204)
    const report = await runDeletes(env, LATER)
    expect(report.linesDeleted).toBe(0)
    expect(await chunkRefs('exec-cancel')).toEqual(before)
    expect(await lines('exec-cancel', '{app="c1"}')).toHaveLength(50)
  })

  it('never rewrites a filter-only tenant, whose due requests do not hold back the others', async () => {
    await replaceOverrides(env.DB, { 'exec-fo': { deletion_mode: 'filter-only' } }, Date.now())
    await seed('exec-fo', ['f1'])
    await seed('exec-fd', ['f1'])
    const before = await chunkRefs('exec-fo')
    for (let i = 0; i < 3; i++) await requestDelete('exec-fo', `{app="f1"} |= "secret${i * 4}"`, 0, 47)
    await requestDelete('exec-fd', '{app="f1"} |= "token=secret"', 0, 47)
    const report = await runDeletes(env, LATER, { ...DEFAULT_DELETE_RUN, maxShards: 2 })
    expect(report.shardsProcessed).toBe(1)
    expect(await chunkRefs('exec-fo')).toEqual(before)
    // Filtered at read time: secret0; secret4, secret40, secret44; secret8.
    expect(await lines('exec-fo', '{app="f1"}')).toHaveLength(45)
    const listed = await json<Array<{ status: string }>>(await call('/loki/api/v1/delete', { vars: VARS, headers: headers('exec-fo') }))
    expect(listed.map((r) => r.status)).toEqual(['received', 'received', 'received'])
    await forgetRequests('exec-fd')
    expect(await lines('exec-fd', '{app="f1"} |= "token=secret"')).toEqual(['f1 48 token=secret48'])
    await forgetRequests('exec-fo')
    await replaceOverrides(env.DB, {}, Date.now())
  })

  it('resumes a shard in bounded runs', async () => {
    await seed('exec-bounded', ['b1', 'b2'])
    await requestDelete('exec-bounded', '{job="exec"} |= "token=secret"', 0, 47)
    const runs = []
    for (let i = 0; i < 20; i++) {
      const r = await runDeletes(env, LATER, { ...DEFAULT_DELETE_RUN, maxChunks: 1 })
      runs.push(r)
      if (!r.more) break
    }
    expect(runs.length).toBeGreaterThan(2)
    expect(runs.every((r) => r.chunksRead + r.chunksDropped <= 1)).toBe(true)
    expect(runs.reduce((n, r) => n + r.linesDeleted, 0)).toBe(24)
    await forgetRequests('exec-bounded')
    // Entry 48 of each stream lies past the request's end.
    expect(await lines('exec-bounded', '{job="exec"} |= "token=secret"')).toEqual(['b1 48 token=secret48', 'b2 48 token=secret48'])
    expect(await count('exec-bounded', '{job="exec"}')).toBe('76')
  })

  it('runs from POST /compactor/run once the cancel period is over', async () => {
    await seed('exec-route', ['r1'])
    await requestDelete('exec-route', '{app="r1"} |= "token=secret"', 0, 47)
    const vars = { ...VARS, delete_request_cancel_period: '0s' }
    await new Promise((r) => setTimeout(r, 5))
    const res = await call('/compactor/run', { method: 'POST', vars })
    expect(res.status).toBe(200)
    const report = await json<{ deletes: { shardsProcessed: number; linesDeleted: number }; retention: { chunksDeleted: number } }>(res)
    expect(report.deletes.shardsProcessed).toBe(1)
    expect(report.deletes.linesDeleted).toBe(12)
    expect(report.retention.chunksDeleted).toBe(0)
    await forgetRequests('exec-route')
    expect(await lines('exec-route', '{app="r1"} |= "token=secret"')).toEqual(['r1 48 token=secret48'])
  })

  it.each(['heads-flushed', 'stored', 'swapped', 'processed'] as const)('loses nothing and deletes nothing unasked when a run crashes after %s', async (step) => {
    const tenant = `exec-crash-${step}`
    await seed(tenant, ['a1'])
    await requestDelete(tenant, '{app="a1"} |= "token=secret"', 0, 47)
    const want = expectedA1(0, 47)
    let crashed = false
    const crash: DeleteStepHook = (s) => {
      if (s === step && !crashed) {
        crashed = true
        throw new Error(`injected crash after ${s}`)
      }
    }
    // The whole queue shares one run; only this tenant's request is due at this clock.
    await expect(runDeletes(env, LATER, DEFAULT_DELETE_RUN, crash)).rejects.toThrow('injected crash')
    expect(await lines(tenant, '{app="a1"}')).toEqual(want)
    expect(await count(tenant, '{app="a1"}')).toBe(String(want.length))
    await runDeletes(env, LATER)
    const listed = await json<Array<{ status: string }>>(await call('/loki/api/v1/delete', { vars: VARS, headers: headers(tenant) }))
    expect(listed.map((r) => r.status)).toEqual(['processed'])
    await forgetRequests(tenant)
    expect(await lines(tenant, '{app="a1"}')).toEqual(want)
    expect(await count(tenant, '{app="a1"}')).toBe(String(want.length))
  })
})
