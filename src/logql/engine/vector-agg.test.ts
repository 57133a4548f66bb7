/**
 * Vector aggregations at one step: grouping, topk/bottomk, sort and NaN handling.
 */
import { describe, expect, it } from 'vitest'
import type { VectorOp } from '../syntax/ast'
import { agg, by, vec, without } from '../../../test/support/engine-ast'
import { aggregateStep } from './vector-agg'
import type { Grouping } from '../syntax/ast'

const input = [
  { labels: { app: 'a', env: 'prod' }, value: 1 },
  { labels: { app: 'b', env: 'prod' }, value: 4 },
  { labels: { app: 'c', env: 'dev' }, value: 2 },
  { labels: { app: 'd', env: 'dev' }, value: 8 },
]

function run(op: VectorOp, grouping: Grouping | null = null, param: number | null = null) {
  return aggregateStep(agg(op, vec(0), grouping, param), input).map((s) => [s.labels, s.value])
}

describe('vector aggregations', () => {
  it.each([
    ['sum', 15],
    ['avg', 3.75],
    ['min', 1],
    ['max', 8],
    ['count', 4],
    ['stdvar', 7.1875],
    ['stddev', Math.sqrt(7.1875)],
  ] as const)('%s over everything', (op, want) => {
    const out = run(op)
    expect(out).toHaveLength(1)
    expect(out[0]?.[0]).toEqual({})
    expect(out[0]?.[1]).toBeCloseTo(want, 12)
  })
  it('sum by (env)', () => {
    expect(run('sum', by('env'))).toEqual([[{ env: 'prod' }, 5], [{ env: 'dev' }, 10]])
  })
  it('max without (app)', () => {
    expect(run('max', without('app'))).toEqual([[{ env: 'prod' }, 4], [{ env: 'dev' }, 8]])
  })
  it('by a missing label groups under {}', () => {
    expect(run('count', by('nope'))).toEqual([[{}, 4]])
  })
  it('topk keeps the original labels, largest first', () => {
    expect(run('topk', null, 2)).toEqual([[{ app: 'd', env: 'dev' }, 8], [{ app: 'b', env: 'prod' }, 4]])
  })
  it('topk by (env)', () => {
    expect(run('topk', by('env'), 1)).toEqual([[{ app: 'b', env: 'prod' }, 4], [{ app: 'd', env: 'dev' }, 8]])
  })
  it('bottomk', () => {
    expect(run('bottomk', null, 1)).toEqual([[{ app: 'a', env: 'prod' }, 1]])
  })
  it('topk with k < 1 is empty', () => {
    expect(run('topk', null, 0)).toEqual([])
  })
  it('sort and sort_desc order by value', () => {
    expect(run('sort').map((x) => x[1])).toEqual([1, 2, 4, 8])
    expect(run('sort_desc').map((x) => x[1])).toEqual([8, 4, 2, 1])
  })
  it('max prefers a number to NaN', () => {
    const out = aggregateStep(agg('max', vec(0)), [
      { labels: {}, value: NaN },
      { labels: { a: '1' }, value: 3 },
    ])
    expect(out[0]?.value).toBe(3)
  })
})
