/**
 * Range-vector functions as per-step accumulators, quantile interpolation and Loki's
 * extrapolated rate.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extrapolatedRate, newAccumulator, quantile } from './range-functions'
import type { RangeOp } from '../syntax/ast'

describe('quantile', () => {
  it.each([
    { q: 0.5, values: [1, 2, 3, 4], want: 2.5 },
    { q: 0.99, values: [10, 20, 30], want: 29.8 },
    { q: 0, values: [5, 1, 3], want: 1 },
    { q: 1, values: [5, 1, 3], want: 5 },
    { q: 0.5, values: [7], want: 7 },
    { q: -1, values: [1, 2], want: -Infinity },
    { q: 2, values: [1, 2], want: Infinity },
  ])('quantile($q, $values) = $want', ({ q, values, want }) => {
    expect(quantile(q, values)).toBeCloseTo(want, 12)
  })
  it('of no values is NaN', () => {
    expect(quantile(0.5, [])).toBeNaN()
  })
})

describe('extrapolatedRate (Loki range iterator units)', () => {
  const s = (sec: number, v: number) => ({ ts: BigInt(sec) * 1_000_000_000n, v })
  it('fewer than two samples give 0', () => {
    expect(extrapolatedRate([s(1, 5)], 60_000, true, true)).toBe(0)
  })
  it('a steadily growing counter', () => {
    // sampledInterval = 60e9/1000 = 6e7; start distance = 60 (range in ms / 1000) < threshold → added.
    const got = extrapolatedRate([s(0, 0), s(30, 30), s(60, 60)], 60_000, true, true)
    const sampled = 6e7
    expect(got).toBeCloseTo(((60 * (sampled + 0)) / sampled) / 60, 9)
  })
  it('counter resets add the previous value', () => {
    const got = extrapolatedRate([s(0, 10), s(30, 2), s(60, 5)], 60_000, true, false)
    // result = 5 - 10 + 10 (reset) = 5, durationToZero = 6e7 * 10/5 > 60 → durationToStart stays 60
    expect(got).toBeCloseTo((5 * (6e7 + 60)) / 6e7, 9)
  })
})

describe('step accumulators', () => {
  const spec = (op: RangeOp, param: number | null = null) => ({ op, rangeMs: 10_000, hasUnwrap: true, param })
  const run = (op: RangeOp, values: number[], param: number | null = null) => {
    const acc = newAccumulator(spec(op, param), 1)
    values.forEach((v, i) => acc.add(0, BigInt(i + 1), v))
    return acc.value(0)
  }
  it.each([
    { op: 'count_over_time', values: [3, 4, 5], want: 3 },
    { op: 'sum_over_time', values: [3, 4, 5], want: 12 },
    { op: 'rate', values: [3, 4, 5], want: 1.2 },
    { op: 'bytes_rate', values: [10, 10], want: 2 },
    { op: 'avg_over_time', values: [3, 4, 5], want: 4 },
    { op: 'min_over_time', values: [3, -4, 5], want: -4 },
    { op: 'max_over_time', values: [3, 4, 5], want: 5 },
    { op: 'stdvar_over_time', values: [2, 4, 4, 4, 5, 5, 7, 9], want: 4 },
    { op: 'stddev_over_time', values: [2, 4, 4, 4, 5, 5, 7, 9], want: 2 },
    { op: 'first_over_time', values: [3, 4, 5], want: 3 },
    { op: 'last_over_time', values: [3, 4, 5], want: 5 },
    { op: 'absent_over_time', values: [3], want: 1 },
  ] as const)('$op of $values = $want', ({ op, values, want }) => {
    expect(run(op, [...values])).toBeCloseTo(want, 12)
  })
  it('quantile_over_time interpolates', () => {
    expect(run('quantile_over_time', [1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12)
  })
  it('an empty window has no value', () => {
    expect(newAccumulator(spec('sum_over_time'), 2).value(1)).toBeUndefined()
  })
  it('max keeps a later number over an earlier NaN', () => {
    expect(run('max_over_time', [NaN, 2])).toBe(2)
  })
  it('first/last use timestamps, not arrival order', () => {
    const first = newAccumulator(spec('first_over_time'), 1)
    const last = newAccumulator(spec('last_over_time'), 1)
    for (const [ts, v] of [[5n, 50], [1n, 10], [9n, 90]] as const) {
      first.add(0, ts, v)
      last.add(0, ts, v)
    }
    expect([first.value(0), last.value(0)]).toEqual([10, 90])
  })
})

describe('addRange', () => {
  it.each(['count_over_time', 'bytes_over_time', 'sum_over_time', 'max_over_time'] as const)(
    '%s over overlapping windows equals per-step adds',
    (op) => {
      const spec = { op, rangeMs: 1000, hasUnwrap: false, param: null }
      const ranged = newAccumulator(spec, 6)
      const single = newAccumulator(spec, 6)
      const samples: Array<[number, number, number]> = [[0, 2, 5], [1, 4, 7], [3, 3, 1], [5, 5, 2]]
      for (const [lo, hi, v] of samples) {
        ranged.addRange(lo, hi, 0n, v)
        for (let i = lo; i <= hi; i++) single.add(i, 0n, v)
      }
      const all = (a: ReturnType<typeof newAccumulator>) => Array.from({ length: 6 }, (_, i) => a.value(i))
      expect(all(ranged)).toEqual(all(single))
    },
  )
  it('count windows without samples stay empty', () => {
    const acc = newAccumulator({ op: 'count_over_time', rangeMs: 1000, hasUnwrap: false, param: null }, 4)
    acc.addRange(1, 2, 0n, 1)
    expect([acc.value(0), acc.value(1), acc.value(2), acc.value(3)]).toEqual([undefined, 1, 1, undefined])
  })
})

/** Prometheus' quantile over Go's float order (NaN first), written out plainly. */
function referenceQuantile(q: number, values: number[]): number {
  if (q < 0) return -Infinity
  if (q > 1) return Infinity
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b))
  const rank = q * (sorted.length - 1)
  const lower = Math.max(0, Math.floor(rank))
  const upper = Math.min(sorted.length - 1, lower + 1)
  const weight = rank - Math.floor(rank)
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight
}

describe('quantile_over_time accumulator', () => {
  it('gives every step the quantile of exactly the samples whose windows hold it', () => {
    const sample = fc.record({ lo: fc.nat(11), span: fc.nat(4), v: fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(NaN), fc.constant(0)) })
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 80 }), fc.constantFrom(0, 0.25, 0.5, 0.99, 1, -1, 2), (samples, q) => {
        const steps = 14
        const acc = newAccumulator({ op: 'quantile_over_time', rangeMs: 300_000, hasUnwrap: true, param: q }, steps)
        for (const s of samples) acc.addRange(s.lo, Math.min(steps - 1, s.lo + s.span), 0n, s.v)
        for (let step = 0; step < steps; step++) {
          const inWindow = samples.filter((s) => s.lo <= step && step <= Math.min(steps - 1, s.lo + s.span)).map((s) => s.v)
          const got = acc.value(step)
          if (inWindow.length === 0) expect(got).toBeUndefined()
          else expect(got === referenceQuantile(q, inWindow) || (Number.isNaN(got) && Number.isNaN(referenceQuantile(q, inWindow)))).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
