/**
 * Intermediate values of metric evaluation and the public result shapes. A vector value holds
 * every series with one slot per evaluation step (value plus a presence flag), so an operator
 * works step by step exactly as Loki's step evaluators do, while a range aggregation can fill
 * all steps in one pass over the lines. A scalar holds one number per step.
 */
import type { Labels } from './source'

export interface StepGrid {
  /** Evaluation times in nanoseconds, ascending. */
  readonly times: readonly bigint[]
  /** Evaluation times in milliseconds (Loki's sample timestamps). */
  readonly timesMs: readonly number[]
  /** Step width in nanoseconds; 0 for an instant query. */
  readonly stepNs: bigint
  readonly instant: boolean
}

export interface SeriesSteps {
  readonly labels: Labels
  readonly values: Float64Array
  readonly present: Uint8Array
}

export interface VectorValue {
  readonly kind: 'vector'
  readonly series: SeriesSteps[]
}

export interface ScalarValue {
  readonly kind: 'scalar'
  readonly values: Float64Array
}

export type StepValue = VectorValue | ScalarValue

export function newSeries(labels: Labels, steps: number): SeriesSteps {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps) }
}

// ------------------------------------------------------------------------------------------
// Results handed to the HTTP layer.

export interface MatrixSeries {
  readonly metric: Labels
  /** [timestamp in ms, value], ascending. */
  readonly values: ReadonlyArray<readonly [number, number]>
}

export interface VectorSample {
  readonly metric: Labels
  readonly timeMs: number
  readonly value: number
}

export type MetricResult =
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'scalar'; readonly timeMs: number; readonly value: number }

/** A one-step view of a vector value: the samples present at step `i`. */
export interface StepSample {
  readonly labels: Labels
  readonly value: number
}

export function samplesAt(v: VectorValue, i: number): StepSample[] {
  const out: StepSample[] = []
  for (const s of v.series) if (s.present[i] === 1) out.push({ labels: s.labels, value: s.values[i] as number })
  return out
}

/**
 * Collects per-step sample lists back into series keyed by label identity. `key` computes the
 * identity of a label set; a label set seen twice at the same step is reported to `onDuplicate`.
 */
export class SeriesCollector {
  private readonly byKey = new Map<string, SeriesSteps>()
  constructor(
    private readonly steps: number,
    private readonly key: (l: Labels) => string,
  ) {}

  /** Returns false when the series already has a value at this step. */
  set(labels: Labels, step: number, value: number): boolean {
    const k = this.key(labels)
    let s = this.byKey.get(k)
    if (!s) {
      s = newSeries(labels, this.steps)
      this.byKey.set(k, s)
    }
    if (s.present[step] === 1) return false
    s.present[step] = 1
    s.values[step] = value
    return true
  }

  get size(): number {
    return this.byKey.size
  }

  toValue(): VectorValue {
    return { kind: 'vector', series: [...this.byKey.values()] }
  }
}
