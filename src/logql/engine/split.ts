/**
 * Cutting a metric range query into sub-queries and merging their matrices, as Loki's query
 * frontend does with `split_queries_by_interval` (1h). After step alignment the steps are cut
 * into consecutive groups; each sub-query evaluates its own steps (its windows still reach back
 * before its start), so the merged matrix equals the unsplit one.
 */
import { seriesLimitError } from './errors'
import { compareLabels, labelsKey } from './labels'
import type { RangeQueryParams } from './metric-query'
import { rangeGrid } from './metric-query'
import type { MatrixSeries, MetricResult } from './value'

/**
 * Sub-queries, in time order, each holding the steps of one `splitMs` interval (intervals are
 * aligned to multiples of `splitMs` since the epoch, as Loki's frontend aligns them). A step
 * longer than the interval still gives one sub-query per step.
 */
export function splitRangeQuery(params: RangeQueryParams, splitMs: number): RangeQueryParams[] {
  const grid = rangeGrid(params.start, params.end, params.stepMs)
  const out: RangeQueryParams[] = []
  let first = 0
  for (let i = 1; i <= grid.times.length; i++) {
    const ended =
      i === grid.times.length || Math.floor((grid.timesMs[i] as number) / splitMs) !== Math.floor((grid.timesMs[first] as number) / splitMs)
    if (!ended) continue
    out.push({ start: grid.times[first] as bigint, end: grid.times[i - 1] as bigint, stepMs: params.stepMs })
    first = i
  }
  return out
}

/** Concatenates the matrices of consecutive sub-queries into one, sorted by labels. */
export function mergeMatrixResults(parts: readonly MetricResult[], maxSeries = 0): MetricResult {
  const byKey = new Map<string, { metric: MatrixSeries['metric']; values: Array<readonly [number, number]> }>()
  for (const p of parts) {
    if (p.resultType !== 'matrix') throw new TypeError(`cannot merge a ${p.resultType} into a matrix`)
    for (const s of p.result) {
      const k = labelsKey(s.metric)
      let m = byKey.get(k)
      if (!m) {
        m = { metric: s.metric, values: [] }
        byKey.set(k, m)
      }
      m.values.push(...s.values)
    }
  }
  if (maxSeries > 0 && byKey.size > maxSeries) throw seriesLimitError(maxSeries)
  const result = [...byKey.values()]
  for (const s of result) s.values.sort((a, b) => a[0] - b[0])
  result.sort((a, b) => compareLabels(a.metric, b.metric))
  return { resultType: 'matrix', result }
}
