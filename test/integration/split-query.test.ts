/**
 * With split_metric_queries, range metric queries longer than split_queries_by_interval (1h) are
 * cut into one part per interval, each evaluated by a QueryExecutor object; the merged answer
 * must equal the one-pass answer.
 */
import { describe, expect, it } from 'vitest'
import { call, json, pushJson } from '../helpers'

interface MatrixBody {
  status: string
  data: {
    resultType: string
    result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>
    stats: { summary: { splits: number; totalLinesProcessed: number; totalEntriesReturned: number } }
  }
}

const HOUR_MS = 3_600_000
const NOW_MS = Date.now()
const START_MS = NOW_MS - 3 * HOUR_MS
const SPLIT = { split_metric_queries: 'true' }
const UNSPLIT = { split_metric_queries: 'false' }

/** One entry every 90 s over the last three hours, alternating levels and two pods. */
function entries(app: string, from = 0, to = 120): Array<{ stream: Record<string, string>; values: Array<[string, string]> }> {
  const byPod = new Map<string, Array<[string, string]>>()
  for (let i = from; i < to; i++) {
    const pod = `p${i % 2}`
    const ts = BigInt(START_MS + i * 90_000 + 7) * 1_000_000n
    const list = byPod.get(pod) ?? []
    list.push([ts.toString(), `level=${i % 3 ? 'info' : 'error'} latency_ms=${(i * 37) % 500} msg="req ${i}"`])
    byPod.set(pod, list)
  }
  return [...byPod].map(([pod, values]) => ({ stream: { app, pod }, values }))
}

function rangePath(query: string, stepS = 300): string {
  const q = new URLSearchParams({
    query,
    start: String(START_MS / 1000 - 60),
    end: String(NOW_MS / 1000),
    step: String(stepS),
  })
  return `/loki/api/v1/query_range?${q}`
}

async function both(query: string, headers: Record<string, string> = {}, vars: Record<string, string> = {}) {
  const split = await call(rangePath(query), { headers, vars: { ...vars, ...SPLIT } })
  const whole = await call(rangePath(query), { headers, vars: { ...vars, ...UNSPLIT } })
  return { split, whole }
}

describe('split range queries', () => {
  it('answer as the unsplit query, over chunks and heads, and count their splits', async () => {
    expect((await pushJson(entries('split-a', 0, 70))).status).toBe(204)
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    expect((await pushJson(entries('split-a', 70, 120))).status).toBe(204)
    for (const query of [
      'sum by (pod) (count_over_time({app="split-a"}[10m]))',
      'sum(rate({app="split-a"} |= "error" [5m]))',
      'max_over_time({app="split-a"} | logfmt | unwrap latency_ms [15m]) by (pod)',
      'topk(1, sum by (level) (count_over_time({app="split-a"} | logfmt [30m])))',
      'sum(count_over_time({app="split-a"}[5m])) / sum(count_over_time({app="split-a"}[5m] offset 5m))',
    ]) {
      const { split, whole } = await both(query)
      expect(split.status, query).toBe(200)
      const a = await json<MatrixBody>(split)
      const b = await json<MatrixBody>(whole)
      expect(a.data.result, query).toEqual(b.data.result)
      expect(a.data.result.length, query).toBeGreaterThan(0)
      // 3 h and a minute, cut at hour boundaries: four parts (five when a boundary falls just so).
      expect(a.data.stats.summary.splits, query).toBeGreaterThanOrEqual(4)
      expect(b.data.stats.summary.splits, query).toBe(0)
      expect(a.data.stats.summary.totalEntriesReturned).toBe(a.data.result.length)
    }
    const counted = await json<MatrixBody>(await call(rangePath('sum(count_over_time({app="split-a"}[5m]))'), { vars: SPLIT }))
    expect(counted.data.result[0]!.values.reduce((n, [, v]) => n + Number(v), 0)).toBe(120)
  })

  it('does not split a range inside one interval, nor an expression that reads no logs', async () => {
    const q = new URLSearchParams({ query: 'sum(count_over_time({app="split-a"}[1m]))', start: String(NOW_MS / 1000 - 1800), end: String(NOW_MS / 1000), step: '60' })
    const short = await json<MatrixBody>(await call(`/loki/api/v1/query_range?${q}`, { vars: SPLIT }))
    expect(short.data.stats.summary.splits).toBeLessThanOrEqual(2)
    const literal = await json<MatrixBody>(await call(rangePath('vector(1) + 1'), { vars: SPLIT }))
    expect(literal.data.stats.summary.splits).toBe(0)
    expect(literal.data.result[0]!.values[0]![1]).toBe('2')
  })

  it('fails a part\'s error with the status and text of the unsplit query', async () => {
    await pushJson(entries('split-err'))
    const cases: Array<[string, Record<string, string>]> = [
      ['sum by (pod) (count_over_time({app="split-err"}[5m]))', { max_query_series: '1' }],
      ['sum_over_time({app="split-err"} | logfmt | unwrap msg [5m])', {}],
    ]
    for (const [query, vars] of cases) {
      const { split, whole } = await both(query, {}, vars)
      expect(whole.status, query).toBe(400)
      expect(split.status, query).toBe(400)
      expect(await split.text()).toBe(await whole.text())
    }
  })

  it('keeps each part to the tenant of the query', async () => {
    const auth = { auth_enabled: 'true', ...SPLIT }
    await pushJson(entries('split-tenant'), { headers: { 'X-Scope-OrgID': 'split-t1' }, vars: auth })
    const query = 'sum(count_over_time({app="split-tenant"}[10m]))'
    const own = await json<MatrixBody>(await call(rangePath(query), { headers: { 'X-Scope-OrgID': 'split-t1' }, vars: auth }))
    const other = await json<MatrixBody>(await call(rangePath(query), { headers: { 'X-Scope-OrgID': 'split-t2' }, vars: auth }))
    expect(own.data.stats.summary.splits).toBeGreaterThanOrEqual(4)
    expect(own.data.result.length).toBe(1)
    expect(other.data.stats.summary.splits).toBeGreaterThanOrEqual(4)
    expect(other.data.result).toEqual([])
  })
})
