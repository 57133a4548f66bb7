/**
 * Splitting range queries into step-aligned sub-queries and merging their matrices.
 */
import { describe, expect, it } from 'vitest'
import { MemorySource } from '../../../test/support/memory-source'
import { evaluateRangeQuery } from './metric-query'
import { mergeMatrixResults, splitRangeQuery } from './split'
import { agg, by, range, sel } from '../../../test/support/engine-ast'
import { testPipelines } from '../../../test/support/engine-pipelines'

const S = 1_000_000_000n

describe('splitting range queries', () => {
  it('cuts aligned steps at multiples of the split interval', () => {
    const parts = splitRangeQuery({ start: 10n * S, end: 7200n * S, stepMs: 1_800_000 }, 3_600_000)
    expect(parts.map((p) => [p.start / S, p.end / S])).toEqual([[0n, 1800n], [3600n, 5400n], [7200n, 7200n]])
  })
  it('starts a new sub-query at each interval boundary, not at the query start', () => {
    const parts = splitRangeQuery({ start: 3000n * S, end: 7500n * S, stepMs: 300_000 }, 3_600_000)
    expect(parts.map((p) => [p.start / S, p.end / S])).toEqual([[3000n, 3300n], [3600n, 6900n], [7200n, 7500n]])
  })
  it('a range inside one interval is not split', () => {
    expect(splitRangeQuery({ start: 3700n * S, end: 7000n * S, stepMs: 60_000 }, 3_600_000)).toHaveLength(1)
  })
  it('a step longer than the split still makes progress', () => {
    expect(splitRangeQuery({ start: 0n, end: 7200n * S, stepMs: 7_200_000 }, 3_600_000)).toHaveLength(2)
  })
  it('merged sub-query matrices equal the unsplit answer', async () => {
    const entries = Array.from({ length: 400 }, (_, i) => ({ ts: BigInt(i * 37) * S, line: `l${i}`, metadata: [['k', String(i % 3)]] as Array<[string, string]> }))
    const src = new MemorySource([{ labels: { app: 'a' }, entries }])
    const expr = agg('sum', range('count_over_time', sel({ app: 'a' }), 900_000), by('k'))
    const params = { start: 0n, end: 14_800n * S, stepMs: 600_000 }
    const opts = { pipelines: testPipelines() }
    const whole = await evaluateRangeQuery(expr, params, src, {}, opts)
    const parts = await Promise.all(splitRangeQuery(params, 3_600_000).map((p) => evaluateRangeQuery(expr, p, src, {}, opts)))
    expect(mergeMatrixResults(parts)).toEqual(whole)
  })
  it('the merged series count is checked against the limit', () => {
    const part = { resultType: 'matrix' as const, result: [{ metric: { a: '1' }, values: [[0, 1] as const] }, { metric: { a: '2' }, values: [[0, 1] as const] }] }
    expect(() => mergeMatrixResults([part], 1)).toThrow('maximum number of series (1)')
  })
})
