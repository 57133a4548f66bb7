/**
 * Metric query evaluation (`/query_range` and `/query` for sample expressions). The expression
 * tree is evaluated bottom-up into step values; range aggregations read the source once each.
 * Range queries align start down and end up to multiples of the step, as Loki's query frontend
 * does, and omit steps without samples; instant queries evaluate once at `time`. Two rewrites
 * of Loki's planner are mirrored because they change answers: an enclosing `sum` pushes its
 * grouping into the range aggregation (and `sum(...)` without labels lets parser errors go, as
 * Loki's parsers extract nothing there), and `avg_over_time(... | unwrap x [r]) by (g)` runs as
 * `sum by (g) (sum_over_time(...)) / sum by (g) (count_over_time(...))` with the unwrap (and
 * its post filters) removed from the count, as the sharding frontend plans it.
 */
import type {
  Expr,
  Grouping,
  LogRangeExpr,
  RangeAggregationExpr,
  SampleExpr,
  VectorAggregationExpr,
} from '../syntax/ast'
import { isLogExpr, pipelineStages } from '../syntax/ast'
import { evaluateBinOp } from './binop'
import { ERR_UNSUPPORTED_INSTANT_LOG_QUERY, QueryError, seriesLimitError } from './errors'
import { evaluateLabelReplace } from './label-replace'
import { compareLabels, emptyLabels } from './labels'
import { defaultPipelineFactory } from './default-pipelines'
import type { PipelineFactory } from './ports'
import { evaluateRangeAggregation, NS_PER_MS } from './range-eval'
import type { LogSource } from './source'
import { finishStats, newQueryStats, type QueryStats } from './stats'
import type { MatrixSeries, MetricResult, StepGrid, StepValue, VectorSample, VectorValue } from './value'
import { newSeries } from './value'
import { evaluateVectorAggregation } from './vector-agg'

export const DEFAULT_MAX_QUERY_SERIES = 500

/** The timestamp (ms) Loki 3.7 puts on instant scalar results, whatever `time` says. */
export const INSTANT_SCALAR_TIME_MS = 4160624850173000

export interface MetricLimits {
  /** `max_query_series`; 0 disables the check. Default 500. */
  readonly maxQuerySeries?: number
  /**
   * Memory guard: the most series × steps one range aggregation may hold (a slot costs about
   * 16 bytes). 0 or absent disables it. Not a Loki limit.
   */
  readonly maxSamplesInMemory?: number
}

export interface RangeQueryParams {
  /** Nanoseconds. */
  readonly start: bigint
  /** Nanoseconds. */
  readonly end: bigint
  readonly stepMs: number
}

export interface InstantQueryParams {
  /** Nanoseconds. */
  readonly time: bigint
}

export interface MetricQueryOptions {
  readonly stats?: QueryStats
  readonly pipelines?: PipelineFactory
  /** Aborts reading (timeout, client gone); the evaluation rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

interface EvalContext {
  readonly source: LogSource
  readonly stats: QueryStats
  readonly pipelines: PipelineFactory
  readonly grid: StepGrid
  readonly root: Expr
  readonly maxSeries: number
  readonly maxSamples?: number
  readonly signal?: AbortSignal
}

const PUSHDOWN_OPS = new Set(['bytes_over_time', 'bytes_rate', 'sum_over_time', 'rate', 'count_over_time'])

export function rangeGrid(startNs: bigint, endNs: bigint, stepMs: number): StepGrid {
  if (!(stepMs > 0)) {
    throw new QueryError('zero or negative query resolution step widths are not accepted. Try a positive integer')
  }
  const stepNs = BigInt(Math.max(1, Math.round(stepMs * 1e6)))
  const start = startNs - (((startNs % stepNs) + stepNs) % stepNs)
  let end = endNs
  const mod = ((endNs % stepNs) + stepNs) % stepNs
  if (mod !== 0n) end += stepNs - mod
  if (end < start) end = start
  const times: bigint[] = []
  const timesMs: number[] = []
  for (let t = start; t <= end; t += stepNs) {
    times.push(t)
    timesMs.push(Number(t / NS_PER_MS))
  }
  return { times, timesMs, stepNs, instant: false }
}

export function instantGrid(timeNs: bigint): StepGrid {
  return { times: [timeNs], timesMs: [Number(timeNs / NS_PER_MS)], stepNs: 0n, instant: true }
}

/** Visits every node of a sample expression tree, parents first. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e)
  switch (e.kind) {
    case 'VectorAggregationExpr':
    case 'LabelReplaceExpr':
      walk(e.left, visit)
      break
    case 'BinOpExpr':
      walk(e.left, visit)
      walk(e.right, visit)
      break
    default:
  }
}

/** Loki's `Sortable`: the query contains sort or sort_desc, so instant results keep their order. */
export function isSortable(e: Expr): boolean {
  let sortable = false
  walk(e, (x) => {
    if (x.kind === 'VectorAggregationExpr' && (x.op === 'sort' || x.op === 'sort_desc')) sortable = true
  })
  return sortable
}

/** Loki's `syntax.ReducesLabels` for one range aggregation. */
function reducesLabels(e: RangeAggregationExpr): boolean {
  if (e.grouping && e.grouping.labels.length > 0) return true
  for (const s of pipelineStages(e.left.left)) {
    if (s.kind === 'KeepLabelsExpr' || s.kind === 'DropLabelsExpr') return true
    if (s.kind === 'LabelFmtExpr' && s.formats.some((f) => f.rename)) return true
  }
  return false
}

function shardedAvgRewrite(e: RangeAggregationExpr): SampleExpr | null {
  const unwrap = e.left.unwrap
  if (e.op !== 'avg_over_time' || !unwrap) return null
  const noop = e.grouping !== null && e.grouping.mode === 'without' && e.grouping.labels.length === 0
  if (!reducesLabels(e) && (e.grouping === null || noop)) return null
  const grouping: Grouping = e.grouping ?? { mode: 'without', labels: [] }
  const countGrouping: Grouping =
    grouping.mode === 'without' ? { mode: 'without', labels: [...grouping.labels, unwrap.label] } : grouping
  const countRange: LogRangeExpr = { ...e.left, unwrap: null }
  const sum: VectorAggregationExpr = {
    kind: 'VectorAggregationExpr',
    op: 'sum',
    param: null,
    grouping,
    left: { kind: 'RangeAggregationExpr', op: 'sum_over_time', left: e.left, param: null, grouping: null },
  }
  const count: VectorAggregationExpr = {
    kind: 'VectorAggregationExpr',
    op: 'sum',
    param: null,
    grouping: countGrouping,
    left: { kind: 'RangeAggregationExpr', op: 'count_over_time', left: countRange, param: null, grouping: null },
  }
  return { kind: 'BinOpExpr', op: '/', left: sum, right: count, returnBool: false, matching: null }
}

async function evaluate(e: SampleExpr, ctx: EvalContext): Promise<StepValue> {
  const n = ctx.grid.times.length
  switch (e.kind) {
    case 'LiteralExpr':
      return { kind: 'scalar', values: new Float64Array(n).fill(e.value) }
    case 'VectorExpr': {
      const s = newSeries(emptyLabels(), n)
      s.present.fill(1)
      s.values.fill(e.value)
      return { kind: 'vector', series: [s] }
    }
    case 'RangeAggregationExpr': {
      const rewritten = shardedAvgRewrite(e)
      if (rewritten) return evaluate(rewritten, ctx)
      const top = ctx.root === e && e.op !== 'absent_over_time'
      return evaluateRangeAggregation(e, { ...ctx, maxSeries: top ? ctx.maxSeries : undefined })
    }
    case 'VectorAggregationExpr': {
      if (e.op === 'approx_topk' && !ctx.grid.instant) {
        throw new QueryError('approx_topk is only supported for instant queries')
      }
      const inner = e.left
      let input: StepValue
      if (inner.kind === 'RangeAggregationExpr' && e.op === 'sum' && inner.grouping === null && PUSHDOWN_OPS.has(inner.op)) {
        const grouping = e.grouping ?? { mode: 'by', labels: [] }
        const noLabels = grouping.mode === 'by' && grouping.labels.length === 0
        input = await evaluateRangeAggregation(inner, ctx, { grouping, ignoreParserErrors: noLabels })
      } else {
        input = await evaluate(inner, ctx)
      }
      if (input.kind === 'scalar') throw new QueryError(`aggregation operator '${e.op}' cannot be applied to a scalar`)
      return evaluateVectorAggregation(e, input, n)
    }
    case 'BinOpExpr': {
      const left = await evaluate(e.left, ctx)
      const right = await evaluate(e.right, ctx)
      return evaluateBinOp(e, left, right, n)
    }
    case 'LabelReplaceExpr': {
      const input = await evaluate(e.left, ctx)
      if (input.kind === 'scalar') throw new QueryError('label_replace cannot be applied to a scalar')
      return evaluateLabelReplace(e, input, n)
    }
  }
}

function toMatrix(v: StepValue, grid: StepGrid, maxSeries: number): MetricResult {
  const n = grid.times.length
  const series: VectorValue['series'] =
    v.kind === 'scalar' ? [{ labels: emptyLabels(), values: v.values, present: new Uint8Array(n).fill(1) }] : v.series
  const out: MatrixSeries[] = []
  for (const s of series) {
    const values: Array<readonly [number, number]> = []
    for (let i = 0; i < n; i++) if (s.present[i] === 1) values.push([grid.timesMs[i] as number, s.values[i] as number])
    if (values.length > 0) out.push({ metric: s.labels, values })
  }
  if (maxSeries > 0 && out.length > maxSeries) throw seriesLimitError(maxSeries)
  out.sort((a, b) => compareLabels(a.metric, b.metric))
  return { resultType: 'matrix', result: out }
}

function toInstant(v: StepValue, grid: StepGrid, root: Expr, maxSeries: number): MetricResult {
  if (v.kind === 'scalar') return { resultType: 'scalar', timeMs: INSTANT_SCALAR_TIME_MS, value: v.values[0] ?? NaN }
  const t = grid.timesMs[0] as number
  const out: VectorSample[] = []
  for (const s of v.series) if (s.present[0] === 1) out.push({ metric: s.labels, timeMs: t, value: s.values[0] as number })
  if (maxSeries > 0 && out.length > maxSeries) throw seriesLimitError(maxSeries)
  if (!isSortable(root)) out.sort((a, b) => compareLabels(a.metric, b.metric))
  return { resultType: 'vector', result: out }
}

function context(
  expr: SampleExpr,
  grid: StepGrid,
  source: LogSource,
  limits: MetricLimits,
  options: MetricQueryOptions,
): EvalContext {
  return {
    source,
    stats: options.stats ?? newQueryStats(),
    pipelines: options.pipelines ?? defaultPipelineFactory(),
    grid,
    root: expr,
    maxSeries: limits.maxQuerySeries ?? DEFAULT_MAX_QUERY_SERIES,
    maxSamples: limits.maxSamplesInMemory,
    signal: options.signal,
  }
}

function countReturned(r: MetricResult): number {
  return r.resultType === 'scalar' ? 1 : r.result.length
}

/** `/loki/api/v1/query_range` for a metric expression: a matrix. */
export async function evaluateRangeQuery(
  expr: Expr,
  params: RangeQueryParams,
  source: LogSource,
  limits: MetricLimits = {},
  options: MetricQueryOptions = {},
): Promise<MetricResult> {
  if (isLogExpr(expr)) throw new QueryError('a log query cannot be evaluated as a metric query')
  const ctx = context(expr, rangeGrid(params.start, params.end, params.stepMs), source, limits, options)
  const value = await evaluate(expr, ctx)
  const result = toMatrix(value, ctx.grid, ctx.maxSeries)
  ctx.stats.entriesReturned += countReturned(result)
  finishStats(ctx.stats)
  return result
}

/** `/loki/api/v1/query`: a vector, or a scalar for literal expressions. */
export async function evaluateInstantQuery(
  expr: Expr,
  params: InstantQueryParams,
  source: LogSource,
  limits: MetricLimits = {},
  options: MetricQueryOptions = {},
): Promise<MetricResult> {
  if (isLogExpr(expr)) throw new QueryError(ERR_UNSUPPORTED_INSTANT_LOG_QUERY)
  const ctx = context(expr, instantGrid(params.time), source, limits, options)
  const value = await evaluate(expr, ctx)
  const result = toInstant(value, ctx.grid, expr, ctx.maxSeries)
  ctx.stats.entriesReturned += countReturned(result)
  finishStats(ctx.stats)
  return result
}
