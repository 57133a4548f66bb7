/**
 * `index/volume` and `index/volume_range` as Loki's frontend and TSDB index answer them
 * (pkg/querier/queryrange/volume.go, pkg/storage/stores/tsdb/single_file_index.go `Volume`,
 * pkg/storage/stores/index/seriesvolume). The range is cut at step boundaries (aligned to the
 * epoch, each bucket but the last ending 1 ms early) and every bucket is asked separately with
 * its bounds truncated to whole seconds; the bucket's sample sits at its end. Target labels that
 * no matcher names get a `=~".+"` matcher; series are named by the matched (or target) labels,
 * or with `aggregateBy=labels` each label name collects the bytes of every stream carrying it.
 * Each bucket keeps its `limit` largest series; the answer is a vector when every series has one
 * sample, else a matrix, ordered by first value (largest first) then name.
 */
import type { LabelMatcher } from '../logql/syntax/ast'
import { headShare, storeShare, type SeriesData } from './index-stats'

export type AggregateBy = 'series' | 'labels'

export interface VolumeRequest {
  readonly matchers: readonly LabelMatcher[]
  readonly targetLabels: readonly string[]
  readonly aggregateBy: AggregateBy
  readonly limit: number
}

export interface VolumeSample {
  /** Milliseconds. */
  readonly ts: number
  readonly value: number
}

export interface VolumeSeries {
  readonly metric: Readonly<Record<string, string>>
  readonly samples: VolumeSample[]
}

export interface VolumeResult {
  readonly resultType: 'vector' | 'matrix'
  readonly series: VolumeSeries[]
}

export class VolumeLimitError extends Error {
  readonly status = 400
}

/** PrepareLabelsAndMatchers: the labels to aggregate into and the matchers to select with. */
export function prepareMatchers(
  targetLabels: readonly string[],
  matchers: readonly LabelMatcher[],
): { labelsToMatch: Set<string>; matchers: LabelMatcher[] } {
  const out = [...matchers]
  if (targetLabels.length === 0) return { labelsToMatch: new Set(matchers.map((m) => m.name)), matchers: out }
  const named = new Set(matchers.map((m) => m.name))
  for (const t of targetLabels) {
    if (!named.has(t)) {
      out.push({ type: '=~', name: t, value: '.+' })
      named.add(t)
    }
  }
  return { labelsToMatch: new Set(targetLabels), matchers: out }
}

/** Buckets of the range: `[startNs, endNs]` pairs, cut at epoch-aligned step boundaries. */
export function volumeBuckets(startNs: bigint, endNs: bigint, stepMs: number): Array<[bigint, bigint]> {
  if (stepMs <= 0) return [[startNs, endNs]]
  const step = BigInt(Math.max(1, Math.round(stepMs * 1e6)))
  const out: Array<[bigint, bigint]> = []
  let first = true
  for (let s = startNs - (((startNs % step) + step) % step); s < endNs; s += step) {
    let e = s + step
    if (e >= endNs) e = endNs
    else e -= 1_000_000n
    out.push([first ? startNs : s, e])
    first = false
  }
  return out
}

function toSecondsMs(ns: bigint): number {
  const s = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n)
  return Number(s) * 1000
}

function labelString(rec: Readonly<Record<string, string>>): string {
  return '{' + Object.keys(rec).sort().map((k) => `${k}=${JSON.stringify(rec[k])}`).join(', ') + '}'
}

interface Named {
  readonly name: string
  readonly metric: Readonly<Record<string, string>>
  volume: number
}

/** One bucket: volumes by name, limited to the largest `limit`. */
function bucketVolumes(
  series: readonly SeriesData[],
  req: VolumeRequest,
  labelsToMatch: ReadonlySet<string>,
  fromNs: bigint,
  throughNs: bigint,
  maxSeries: number,
): Named[] {
  const fromMs = toSecondsMs(fromNs)
  const throughMs = toSecondsMs(throughNs)
  const fromS = BigInt(fromMs) * 1_000_000n
  const throughS = BigInt(throughMs) * 1_000_000n
  const byName = new Map<string, Named>()
  const add = (metric: Readonly<Record<string, string>>, name: string, size: number): void => {
    const cur = byName.get(name)
    if (cur) cur.volume += size
    else {
      byName.set(name, { name, metric, volume: size })
      if (byName.size > maxSeries) throw new VolumeLimitError(`the query hit the max number of series limit (limit: ${maxSeries} series)`)
    }
  }
  for (const s of series) {
    const store = storeShare(s.chunks, fromMs, throughMs)
    const head = headShare(s.head, fromS, throughS)
    if (store.entries <= 0 && !head) continue
    const size = (store.entries > 0 ? store.kb * 1024 : 0) + (head ? head.bytes : 0)
    const labels = s.stream.labels
    if (req.aggregateBy === 'series') {
      const metric: Record<string, string> = {}
      for (const k of Object.keys(labels).sort()) if (labelsToMatch.has(k)) metric[k] = labels[k] as string
      add(metric, labelString(metric), size)
    } else {
      for (const k of Object.keys(labels)) {
        if (req.targetLabels.length > 0 && !labelsToMatch.has(k)) continue
        add({ [k]: '' }, k, size)
      }
    }
  }
  const list = [...byName.values()]
  list.sort((a, b) => (a.volume === b.volume ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : b.volume - a.volume))
  return list.slice(0, req.limit)
}

/** Volumes of `series` over the buckets; `stepMs` 0 gives the instant form (one bucket). */
export function computeVolume(
  series: readonly SeriesData[],
  req: VolumeRequest,
  startNs: bigint,
  endNs: bigint,
  stepMs: number,
  maxSeries: number,
): VolumeResult {
  const { labelsToMatch } = prepareMatchers(req.targetLabels, req.matchers)
  const byName = new Map<string, VolumeSeries>()
  for (const [from, through] of volumeBuckets(startNs, endNs, stepMs)) {
    const ts = Number(through / 1_000_000n)
    for (const v of bucketVolumes(series, req, labelsToMatch, from, through, maxSeries)) {
      let s = byName.get(v.name)
      if (!s) {
        s = { metric: v.metric, samples: [] }
        byName.set(v.name, s)
      }
      s.samples.push({ ts, value: v.volume })
    }
  }
  let resultType: 'vector' | 'matrix' = 'vector'
  const named = [...byName.entries()]
  for (const [, s] of named) {
    if (s.samples.length > 1) resultType = 'matrix'
    s.samples.sort((a, b) => a.ts - b.ts)
  }
  named.sort(([an, a], [bn, b]) => {
    const av = a.samples[0]?.value ?? 0
    const bv = b.samples[0]?.value ?? 0
    if (av !== bv) return bv - av
    return an < bn ? -1 : an > bn ? 1 : 0
  })
  return { resultType, series: named.map(([, s]) => s) }
}

/** The Prometheus-style `data` of the answer. */
export function encodeVolume(result: VolumeResult): { resultType: string; result: unknown[] } {
  const sample = (p: VolumeSample): [number, string] => [p.ts / 1000, String(p.value)]
  if (result.resultType === 'vector') {
    return { resultType: 'vector', result: result.series.map((s) => ({ metric: s.metric, value: sample(s.samples[0] as VolumeSample) })) }
  }
  return { resultType: 'matrix', result: result.series.map((s) => ({ metric: s.metric, values: s.samples.map(sample) })) }
}
