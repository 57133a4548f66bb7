/**
 * Evaluates one range aggregation (`count_over_time({...}[5m])`, `quantile_over_time(...)`...)
 * over every step of the query in a single pass over the selected lines. Each line goes through
 * the sample extractor; the resulting sample is added to the accumulators of the steps whose
 * window (t − range − offset, t − offset] contains it. A sample that still carries `__error__`
 * fails the query with Loki's pipeline error; grouping follows Loki's `GroupedLabels` (an error
 * sample keeps all its labels).
 */
import type { Grouping, LabelMatcher, LineFilterExpr, RangeAggregationExpr, StageExpr } from '../syntax/ast'
import { pipelineStages, selectorMatchers } from '../syntax/ast'
import { durationMsToNs } from '../../go/duration'
import { forEachConcurrent } from './concurrency'
import { abortError, PipelineError, samplesLimitError, seriesLimitError } from './errors'
import { compareLabels, ERROR_LABEL, groupLabels, hasError, labelsKey } from './labels'
import type { PipelineFactory } from './ports'
import { newAccumulator, type StepAccumulator } from './range-functions'
import type { Labels, LogSource } from './source'
import { recordLine, type QueryStats } from './stats'
import { newSeries, type StepGrid, type VectorValue } from './value'

export const NS_PER_MS = 1_000_000n

/** `__error__` values set by parser stages. */
const PARSER_ERRORS = new Set(['JSONParserErr', 'LogfmtParserErr', 'XMLParserErr'])

/** Streams read at the same time by one aggregation. */
export const STREAM_CONCURRENCY = 8

export interface RangeEvalContext {
  readonly source: LogSource
  readonly stats: QueryStats
  readonly pipelines: PipelineFactory
  readonly grid: StepGrid
  /** When set, more distinct series than this fails the query (the result is this aggregation). */
  readonly maxSeries?: number
  /** When set (> 0), series × steps held by one aggregation may not exceed this. */
  readonly maxSamples?: number
  readonly signal?: AbortSignal
}

export interface RangeEvalOptions {
  /** Grouping of an enclosing `sum` pushed down into the aggregation (Loki's extractor grouping). */
  readonly grouping?: Grouping | null
  /**
   * Let samples with a parser error through (grouped like any other) instead of failing: under
   * `sum(...)` without labels Loki's parser hints skip the parsers or stop them once the
   * labels a filter needs are found, so parser errors do not reach the samples there.
   * Conversion, label filter and template errors still fail the query.
   */
  readonly ignoreParserErrors?: boolean
}

/** The line filters at the head of a pipeline, which a source may apply while reading. */
export function leadingLineFilters(stages: readonly StageExpr[]): LineFilterExpr[] {
  const out: LineFilterExpr[] = []
  for (const s of stages) {
    if (s.kind !== 'LineFilterExpr') break
    out.push(s)
  }
  return out
}

/** Stages that read labels only; every other stage (line filters, parsers, formats) reads lines. */
const LABEL_ONLY_STAGES: ReadonlySet<StageExpr['kind']> = new Set(['LabelFilterExpr', 'DropLabelsExpr', 'KeepLabelsExpr'])

/**
 * Whether evaluating the aggregation needs line text, not only timestamps, labels and line sizes
 * (bytes_* take the size, which label-only stages leave as it is).
 */
export function readsLineText(expr: RangeAggregationExpr): boolean {
  return pipelineStages(expr.left.left).some((s) => !LABEL_ONLY_STAGES.has(s.kind))
}

/** Loki's `absentLabels`: the equality matchers of the selector, minus names matched twice. */
export function absentLabels(matchers: readonly LabelMatcher[]): Labels {
  const out: Record<string, string> = {}
  const drop: string[] = []
  for (const m of matchers) {
    if (m.name === '__name__') continue
    if (m.type === '=' && out[m.name] === undefined) out[m.name] = m.value
    else drop.push(m.name)
  }
  for (const n of drop) delete out[n]
  return out
}

/**
 * ⌈a / b⌉ for integers held exactly in doubles (|a|, |b| < 2^53, b > 0): the float quotient is
 * corrected with exact products, so no BigInt arithmetic runs per line.
 */
function ceilDiv(a: number, b: number): number {
  let q = Math.ceil(a / b)
  while (q * b < a) q++
  while ((q - 1) * b >= a) q--
  return q
}

/** The effective output grouping, with Loki's rule that an unwrapped label is dropped. */
function effectiveGrouping(expr: RangeAggregationExpr, override: Grouping | null | undefined): Grouping | null {
  const g = override ?? expr.grouping
  const unwrap = expr.left.unwrap
  if (!unwrap) return g
  if (!g || g.mode === 'without') return { mode: 'without', labels: [...(g?.labels ?? []), unwrap.label] }
  return g
}

interface SeriesAcc {
  readonly labels: Labels
  readonly acc: StepAccumulator
}

export async function evaluateRangeAggregation(
  expr: RangeAggregationExpr,
  ctx: RangeEvalContext,
  opts: RangeEvalOptions = {},
): Promise<VectorValue> {
  const { grid } = ctx
  const n = grid.times.length
  const rangeNs = durationMsToNs(expr.left.rangeMs)
  const offsetNs = durationMsToNs(expr.left.offsetMs)
  const first = grid.times[0] as bigint
  const last = grid.times[n - 1] as bigint
  const offsetF = Number(offsetNs)
  const rangeF = Number(rangeNs)
  const stepF = Number(grid.stepNs)
  const selector = expr.left.left
  const grouping = effectiveGrouping(expr, opts.grouping)
  const extractor = ctx.pipelines.sampleExtractor(expr, opts.grouping)
  const isFatalError = (l: Labels): boolean =>
    hasError(l) && !(opts.ignoreParserErrors && PARSER_ERRORS.has(l[ERROR_LABEL] ?? ''))
  const projected = new WeakMap<Labels, { labels: Labels; key: string }>()
  const project = (l: Labels): { labels: Labels; key: string } => {
    let p = projected.get(l)
    if (!p) {
      const g = grouping && !isFatalError(l) ? groupLabels(l, grouping.mode, grouping.labels) : l
      p = { labels: g, key: labelsKey(g) }
      projected.set(l, p)
    }
    return p
  }
  const series = new Map<string, SeriesAcc>()
  const spec = {
    op: expr.op,
    rangeMs: expr.left.rangeMs,
    hasUnwrap: expr.left.unwrap !== null,
    param: expr.param,
  }
  const selection = ctx.source.select({
    matchers: selectorMatchers(selector),
    lineFilters: leadingLineFilters(pipelineStages(selector)),
    start: first - offsetNs - rangeNs + 1n,
    end: last - offsetNs + 1n,
    direction: 'forward',
    withoutLines: !readsLineText(expr),
  })
  // Loki fails at the first step whose window holds an error sample; keep the earliest.
  const errors: { first: { step: number; labels: Labels } | null } = { first: null }
  await forEachConcurrent(selection, STREAM_CONCURRENCY, async (stream) => {
    ctx.stats.streamsSelected++
    const sx = extractor.forStream(stream.labels)
    for await (const batch of stream.entries) for (const entry of batch) {
      if ((ctx.stats.linesProcessed & 1023) === 0 && ctx.signal?.aborted) throw abortError(ctx.signal)
      recordLine(ctx.stats, entry)
      const sample = sx.process(entry.ts, entry.line, entry.metadata, entry.size)
      if (!sample) continue
      ctx.stats.postFilterLines++
      // Steps whose window holds ts: t ≥ ts + offset and t < ts + offset + range.
      // Offsets from the first step fit a double exactly (a query spans far less than 104 days).
      const lo = Number(entry.ts - first) + offsetF
      let iLo: number
      let iHi: number
      if (stepF === 0) {
        if (!(0 >= lo && 0 < lo + rangeF)) continue
        iLo = 0
        iHi = 0
      } else {
        const a = ceilDiv(lo, stepF)
        const b = ceilDiv(lo + rangeF, stepF) - 1
        iLo = a < 0 ? 0 : a
        iHi = b >= n ? n - 1 : b
        if (iLo > iHi) continue
      }
      if (isFatalError(sample.labels)) {
        const f = errors.first
        // Streams are read concurrently: among errors at one step the least labels win, so the
        // answer does not depend on which stream came first.
        if (!f || iLo < f.step || (iLo === f.step && compareLabels(sample.labels, f.labels) < 0)) {
          errors.first = { step: iLo, labels: sample.labels }
        }
        continue
      }
      if (errors.first) continue
      const { labels, key } = project(sample.labels)
      let s = series.get(key)
      if (!s) {
        if (ctx.maxSeries !== undefined && ctx.maxSeries > 0 && series.size >= ctx.maxSeries) {
          throw seriesLimitError(ctx.maxSeries)
        }
        if (ctx.maxSamples !== undefined && ctx.maxSamples > 0 && (series.size + 1) * n > ctx.maxSamples) {
          throw samplesLimitError(ctx.maxSamples, series.size + 1, n)
        }
        s = { labels, acc: newAccumulator(spec, n) }
        series.set(key, s)
      }
      s.acc.addRange(iLo, iHi, entry.ts, sample.value)
    }
  })
  if (errors.first) throw new PipelineError(errors.first.labels)
  if (expr.op === 'absent_over_time') {
    const out = newSeries(absentLabels(selectorMatchers(selector)), n)
    for (let i = 0; i < n; i++) {
      let any = false
      for (const s of series.values()) {
        if (s.acc.value(i) !== undefined) {
          any = true
          break
        }
      }
      if (!any) {
        out.present[i] = 1
        out.values[i] = 1
      }
    }
    return { kind: 'vector', series: out.present.includes(1) ? [out] : [] }
  }
  const result: VectorValue = { kind: 'vector', series: [] }
  for (const s of series.values()) {
    const out = newSeries(s.labels, n)
    let any = false
    for (let i = 0; i < n; i++) {
      const v = s.acc.value(i)
      if (v === undefined) continue
      out.present[i] = 1
      out.values[i] = v
      any = true
    }
    if (any) result.series.push(out)
  }
  return result
}
