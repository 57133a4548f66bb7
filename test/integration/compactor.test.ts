import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, json, pushJson } from '../helpers'
import { runCompaction } from '../../src/compactor/compact'

const BASE = BigInt(Date.now() - 30 * 60_000) * 1_000_000n
const EVAL_TIME = String(Math.floor(Date.now() / 1000) + 1)

function values(app: string, from: number, n: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [(BASE + BigInt((from + i) * 1_000_000_000)).toString(), `${app} entry ${from + i} level=${i % 3 ? 'info' : 'error'}`])
}

async function logs(): Promise<string[]> {
  const q = new URLSearchParams({ query: '{job="compact"}', since: '1h', limit: '1000', direction: 'forward' })
  const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(await call(`/loki/api/v1/query_range?${q}`))
  return body.data.result.flatMap((s) => s.values.map((v) => `${v[0]} ${v[1]}`)).sort()
}

async function counts(): Promise<string> {
  const q = new URLSearchParams({ query: 'sum by (app) (count_over_time({job="compact"} |= "error" [1h]))', time: EVAL_TIME })
  const res = await call(`/loki/api/v1/query?${q}`)
  return JSON.stringify((await json<{ data: { result: unknown[] } }>(res)).data.result)
}

describe('compactor', () => {
  it('merges small chunks into one object and answers the same before, during and after', async () => {
    for (const round of [0, 1]) {
      for (const app of ['c1', 'c2', 'c3']) {
        expect((await pushJson([{ stream: { job: 'compact', app }, values: values(app, round * 20, 20) }])).status).toBe(204)
      }
      expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    }
    const logsBefore = await logs()
    const countsBefore = await counts()
    expect(logsBefore).toHaveLength(120)

    const [report, logsDuring] = await Promise.all([
      json<{ chunksMerged: number; objectsWritten: number }>(await call('/compactor/run', { method: 'POST' })),
      logs(),
    ])
    expect(logsDuring).toEqual(logsBefore)
    expect(report.chunksMerged).toBeGreaterThanOrEqual(6)
    expect(report.objectsWritten).toBeGreaterThanOrEqual(1)

    const compacted = await env.CHUNKS.list({ prefix: 'compacted/fake/' })
    expect(compacted.objects.length).toBeGreaterThanOrEqual(1)
    expect(await logs()).toEqual(logsBefore)
    expect(await counts()).toBe(countsBefore)

    // Replaced objects survive the grace period, then go; answers never change.
    const stillThere = await env.CHUNKS.list({ prefix: 'chunks/fake/' })
    expect(stillThere.objects.length).toBeGreaterThan(0)
    const later = await runCompaction(env, Date.now() + 3_600_000)
    expect(later.objectsDeleted).toBeGreaterThanOrEqual(6)
    const after = await env.CHUNKS.list({ prefix: 'chunks/fake/' })
    expect(after.objects.length).toBeLessThan(stillThere.objects.length)
    expect(await logs()).toEqual(logsBefore)
    expect(await counts()).toBe(countsBefore)

    // A second run finds nothing left to merge among compacted chunks.
    const again = await runCompaction(env, Date.now() + 3_600_000)
    expect(again.objectsWritten).toBe(0)
  })
})
