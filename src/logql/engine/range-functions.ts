/**
 * The range-vector functions of LogQL (`count_over_time`, `rate`, `quantile_over_time`...) as
 * per-step accumulators. A series keeps one accumulator slot per evaluation step; every sample
 * is added to the slots of the steps whose window (t − range − offset, t − offset] holds it, so
 * memory grows with series × steps, not with lines. Only `quantile_over_time` and
 * `rate_counter` must remember the values of a window (`quantile_over_time` each value once). The arithmetic follows Loki's
 * `pkg/logql/range_vector.go`, including its quirks (see `extrapolatedRate`).
 */
import type { RangeOp } from '../syntax/ast'

export interface StepAccumulator {
  add(step: number, ts: bigint, value: number): void
  /** Adds one sample to every step from `lo` to `hi` inclusive. */
  addRange(lo: number, hi: number, ts: bigint, value: number): void
  /** The function's value at a step, or undefined when no sample fell in the window. */
  value(step: number): number | undefined
}

abstract class Accumulator implements StepAccumulator {
  abstract add(step: number, ts: bigint, value: number): void
  abstract value(step: number): number | undefined
  addRange(lo: number, hi: number, ts: bigint, value: number): void {
    for (let i = lo; i <= hi; i++) this.add(i, ts, value)
  }
}

/**
 * Count and integer sums (line counts, byte counts): exact in floating point, so a sample
 * spanning many overlapping windows is recorded once as a difference and summed at the end.
 */
class IntegerSum extends Accumulator {
  private readonly count: Float64Array
  private readonly sum: Float64Array
  private settled = false
  constructor(
    steps: number,
    private readonly finish: (sum: number, count: number) => number,
  ) {
    super()
    this.count = new Float64Array(steps + 1)
    this.sum = new Float64Array(steps + 1)
  }
  add(step: number, ts: bigint, value: number): void {
    this.addRange(step, step, ts, value)
  }
  override addRange(lo: number, hi: number, _ts: bigint, value: number): void {
    this.count[lo] = (this.count[lo] ?? 0) + 1
    this.count[hi + 1] = (this.count[hi + 1] ?? 0) - 1
    this.sum[lo] = (this.sum[lo] ?? 0) + value
    this.sum[hi + 1] = (this.sum[hi + 1] ?? 0) - value
  }
  value(step: number): number | undefined {
    if (!this.settled) {
      for (let i = 1; i < this.count.length; i++) {
        this.count[i] = (this.count[i] ?? 0) + (this.count[i - 1] ?? 0)
        this.sum[i] = (this.sum[i] ?? 0) + (this.sum[i - 1] ?? 0)
      }
      this.settled = true
    }
    const c = this.count[step] ?? 0
    return c === 0 ? undefined : this.finish(this.sum[step] ?? 0, c)
  }
}

class CountLike extends Accumulator {
  private readonly count: Float64Array
  private readonly sum: Float64Array
  constructor(
    steps: number,
    private readonly finish: (sum: number, count: number) => number,
  ) {
    super()
    this.count = new Float64Array(steps)
    this.sum = new Float64Array(steps)
  }
  add(step: number, _ts: bigint, value: number): void {
    this.count[step] = (this.count[step] ?? 0) + 1
    this.sum[step] = (this.sum[step] ?? 0) + value
  }
  value(step: number): number | undefined {
    const c = this.count[step] ?? 0
    return c === 0 ? undefined : this.finish(this.sum[step] ?? 0, c)
  }
}

class AvgAcc extends Accumulator {
  private readonly count: Float64Array
  private readonly mean: Float64Array
  constructor(steps: number) {
    super()
    this.count = new Float64Array(steps)
    this.mean = new Float64Array(steps)
  }
  add(step: number, _ts: bigint, v: number): void {
    const count = (this.count[step] ?? 0) + 1
    this.count[step] = count
    const mean = this.mean[step] ?? 0
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) return
      if (Number.isFinite(v)) return
    }
    this.mean[step] = mean + v / count - mean / count
  }
  value(step: number): number | undefined {
    return (this.count[step] ?? 0) === 0 ? undefined : this.mean[step]
  }
}

class ExtremeAcc extends Accumulator {
  private readonly seen: Uint8Array
  private readonly v: Float64Array
  constructor(
    steps: number,
    private readonly max: boolean,
  ) {
    super()
    this.seen = new Uint8Array(steps)
    this.v = new Float64Array(steps)
  }
  add(step: number, _ts: bigint, value: number): void {
    const cur = this.v[step] ?? 0
    if (this.seen[step] === 0 || Number.isNaN(cur) || (this.max ? value > cur : value < cur)) this.v[step] = value
    this.seen[step] = 1
  }
  value(step: number): number | undefined {
    return this.seen[step] === 0 ? undefined : this.v[step]
  }
}

class VarianceAcc extends Accumulator {
  private readonly count: Float64Array
  private readonly mean: Float64Array
  private readonly aux: Float64Array
  constructor(
    steps: number,
    private readonly sqrt: boolean,
  ) {
    super()
    this.count = new Float64Array(steps)
    this.mean = new Float64Array(steps)
    this.aux = new Float64Array(steps)
  }
  add(step: number, _ts: bigint, v: number): void {
    const count = (this.count[step] ?? 0) + 1
    this.count[step] = count
    const mean = this.mean[step] ?? 0
    const delta = v - mean
    const next = mean + delta / count
    this.mean[step] = next
    this.aux[step] = (this.aux[step] ?? 0) + delta * (v - next)
  }
  value(step: number): number | undefined {
    const c = this.count[step] ?? 0
    if (c === 0) return undefined
    const variance = (this.aux[step] ?? 0) / c
    return this.sqrt ? Math.sqrt(variance) : variance
  }
}

/** first_over_time / last_over_time: the value of the oldest / newest sample of the window. */
class EdgeAcc extends Accumulator {
  private readonly seen: Uint8Array
  private readonly ts: BigInt64Array
  private readonly v: Float64Array
  constructor(
    steps: number,
    private readonly last: boolean,
  ) {
    super()
    this.seen = new Uint8Array(steps)
    this.ts = new BigInt64Array(steps)
    this.v = new Float64Array(steps)
  }
  add(step: number, ts: bigint, value: number): void {
    const cur = this.ts[step] ?? 0n
    if (this.seen[step] === 0 || (this.last ? ts >= cur : ts < cur)) {
      this.ts[step] = ts
      this.v[step] = value
    }
    this.seen[step] = 1
  }
  value(step: number): number | undefined {
    return this.seen[step] === 0 ? undefined : this.v[step]
  }
}

interface TimedValue {
  readonly ts: bigint
  readonly v: number
}

/** Keeps every sample of each window: quantile_over_time and rate_counter need them all. */
class WindowAcc extends Accumulator {
  private readonly windows: Array<TimedValue[] | undefined>
  constructor(
    steps: number,
    private readonly fn: (samples: TimedValue[]) => number,
  ) {
    super()
    this.windows = new Array<TimedValue[] | undefined>(steps)
  }
  add(step: number, ts: bigint, v: number): void {
    const w = this.windows[step]
    if (w) w.push({ ts, v })
    else this.windows[step] = [{ ts, v }]
  }
  value(step: number): number | undefined {
    const w = this.windows[step]
    if (!w) return undefined
    const out = this.fn(w)
    this.windows[step] = undefined
    return out
  }
}

/**
 * quantile_over_time: every sample is kept once in typed arrays, with the first and last step
 * whose window holds it, instead of once per window; a step's values are gathered and sorted
 * natively when the step is asked for.
 */
class QuantileAcc implements StepAccumulator {
  private v = new Float64Array(256)
  private lo = new Int32Array(256)
  private hi = new Int32Array(256)
  private size = 0
  /** Widest hi − lo of any sample. */
  private span = 0
  /** Sample indexes ordered by their first step, and where each first step starts among them. */
  private byLo: Int32Array | null = null
  private loStart: Int32Array | null = null
  private scratch: Float64Array | null = null

  constructor(
    private readonly steps: number,
    private readonly q: number,
  ) {}

  add(step: number, ts: bigint, value: number): void {
    this.addRange(step, step, ts, value)
  }

  addRange(lo: number, hi: number, _ts: bigint, value: number): void {
    if (this.size === this.v.length) {
      const cap = this.size * 2
      const v = new Float64Array(cap)
      v.set(this.v)
      const l = new Int32Array(cap)
      l.set(this.lo)
      const h = new Int32Array(cap)
      h.set(this.hi)
      this.v = v
      this.lo = l
      this.hi = h
    }
    this.v[this.size] = value
    this.lo[this.size] = lo
    this.hi[this.size] = hi
    this.size++
    if (hi - lo > this.span) this.span = hi - lo
    this.byLo = null
  }

  private settle(): void {
    const start = new Int32Array(this.steps + 1)
    for (let i = 0; i < this.size; i++) {
      const l = (this.lo[i] as number) + 1
      start[l] = (start[l] as number) + 1
    }
    for (let s = 0; s < this.steps; s++) start[s + 1] = (start[s + 1] as number) + (start[s] as number)
    const at = start.slice(0, this.steps)
    const byLo = new Int32Array(this.size)
    for (let i = 0; i < this.size; i++) {
      const l = this.lo[i] as number
      const k = at[l] as number
      at[l] = k + 1
      byLo[k] = i
    }
    this.byLo = byLo
    this.loStart = start
    this.scratch = new Float64Array(this.size)
  }

  value(step: number): number | undefined {
    if (!this.byLo) this.settle()
    const byLo = this.byLo as Int32Array
    const start = this.loStart as Int32Array
    const out = this.scratch as Float64Array
    let count = 0
    for (let l = Math.max(0, step - this.span); l <= step; l++) {
      for (let k = start[l] as number; k < (start[l + 1] as number); k++) {
        const i = byLo[k] as number
        if ((this.hi[i] as number) >= step) out[count++] = this.v[i] as number
      }
    }
    return count === 0 ? undefined : sortedQuantile(this.q, out.subarray(0, count))
  }
}

/** Prometheus' quantile with linear interpolation between the closest ranks. */
export function quantile(q: number, values: readonly number[]): number {
  return sortedQuantile(q, Float64Array.from(values))
}

/** `quantile` over values it may reorder (sorts them in place). */
function sortedQuantile(q: number, values: Float64Array): number {
  if (values.length === 0) return NaN
  if (q < 0) return -Infinity
  if (q > 1) return Infinity
  // Go sorts float samples NaN first, then ascending; a typed array sorts NaN last.
  const sorted = values.sort()
  const n = sorted.length
  let nan = 0
  while (nan < n && Number.isNaN(sorted[n - 1 - nan])) nan++
  const at = (r: number): number => (r < nan ? NaN : (sorted[r - nan] as number))
  const rank = q * (n - 1)
  const lower = Math.max(0, Math.floor(rank))
  const upper = Math.min(n - 1, lower + 1)
  const weight = rank - Math.floor(rank)
  return at(lower) * (1 - weight) + at(upper) * weight
}

/**
 * Loki's `extrapolatedRate` as it runs in its range iterators: sample timestamps are in
 * nanoseconds while the range is subtracted in milliseconds, so the distance to the window
 * start is always `range` (in ms, divided by 1000) and the distance to the end is 0. The
 * result is reproduced as is, since it is what Loki answers.
 */
export function extrapolatedRate(samples: TimedValue[], rangeMs: number, isCounter: boolean, isRate: boolean): number {
  if (samples.length < 2) return 0
  const sorted = [...samples].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
  const first = sorted[0] as TimedValue
  const last = sorted[sorted.length - 1] as TimedValue
  let result = last.v - first.v
  if (isCounter) {
    let lastValue = 0
    for (const s of sorted) {
      if (s.v < lastValue) result += lastValue
      lastValue = s.v
    }
  }
  let durationToStart = rangeMs / 1000
  const durationToEnd = 0
  const sampledInterval = Number(last.ts - first.ts) / 1000
  const averageBetween = sampledInterval / (sorted.length - 1)
  if (isCounter && result > 0 && first.v >= 0) {
    const durationToZero = sampledInterval * (first.v / result)
    if (durationToZero < durationToStart) durationToStart = durationToZero
  }
  const threshold = averageBetween * 1.1
  let extrapolateTo = sampledInterval
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2
  result = result * (extrapolateTo / sampledInterval)
  if (isRate) result = result / (rangeMs / 1000)
  return result
}

export interface RangeFunctionSpec {
  readonly op: RangeOp
  readonly rangeMs: number
  readonly hasUnwrap: boolean
  /** φ of quantile_over_time. */
  readonly param: number | null
}

export function newAccumulator(spec: RangeFunctionSpec, steps: number): StepAccumulator {
  const seconds = spec.rangeMs / 1000
  switch (spec.op) {
    case 'count_over_time':
      return new IntegerSum(steps, (_s, c) => c)
    case 'rate':
      return spec.hasUnwrap ? new CountLike(steps, (s) => s / seconds) : new IntegerSum(steps, (_s, c) => c / seconds)
    case 'bytes_over_time':
      return new IntegerSum(steps, (s) => s)
    case 'sum_over_time':
      return new CountLike(steps, (s) => s)
    case 'bytes_rate':
      return new IntegerSum(steps, (s) => s / seconds)
    case 'absent_over_time':
      return new IntegerSum(steps, () => 1)
    case 'avg_over_time':
      return new AvgAcc(steps)
    case 'max_over_time':
      return new ExtremeAcc(steps, true)
    case 'min_over_time':
      return new ExtremeAcc(steps, false)
    case 'stdvar_over_time':
      return new VarianceAcc(steps, false)
    case 'stddev_over_time':
      return new VarianceAcc(steps, true)
    case 'first_over_time':
      return new EdgeAcc(steps, false)
    case 'last_over_time':
      return new EdgeAcc(steps, true)
    case 'quantile_over_time':
      return new QuantileAcc(steps, spec.param ?? NaN)
    case 'rate_counter':
      return new WindowAcc(steps, (w) => extrapolatedRate(w, spec.rangeMs, true, true))
  }
}
