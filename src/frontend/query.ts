/**
 * Loki's query frontend for LogQL queries: the query length and entry limits, `query_timeout`,
 * the split by `split_queries_by_interval` (log queries in the engine, metric queries fanned out
 * to QueryExecutor objects) and the stats summed over the sources. Routes parse parameters, call
 * one of these and marshal the answer; the ruler evaluates its rules through `instantQuery`.
 */
import type { Env } from '../env'
import { settingsFor, type Settings } from '../config/settings'
import { StatusError } from '../errors/status-error'
import { isLogExpr, type Expr, type LogSelectorExpr } from '../logql/syntax/ast'
import { evaluateLogQuery, type LogQueryResult } from '../logql/engine/log-query'
import { evaluateInstantQuery, evaluateRangeQuery } from '../logql/engine/metric-query'
import { newQueryStats, type QueryStats } from '../logql/engine/stats'
import type { MetricResult } from '../logql/engine/value'
import { addSourceStats, StoreSource } from '../querier/store-source'
import { MultiTenantSource } from '../querier/multi-tenant'
import { evaluateSplitRangeQuery, rangeParts } from '../querier/split-range-query'
import { checkEntriesLimit, checkQueryLength } from './limits'

/** Who asks: the tenant, and every tenant of a multi-tenant query (the tenant itself otherwise). */
export interface QueryScope {
  readonly env: Env
  readonly tenant: string
  readonly tenants: readonly string[]
}

export interface RangeQueryRequest {
  /** Inclusive, nanoseconds. */
  readonly start: bigint
  /** Exclusive, nanoseconds. */
  readonly end: bigint
  /** The length Loki's frontend checks against `max_query_length`. */
  readonly lengthNs: bigint
  readonly limit: number
  readonly direction: 'forward' | 'backward'
  readonly stepMs: number
  readonly intervalMs?: number
}

export type RangeQueryAnswer =
  | { readonly resultType: 'streams'; readonly result: LogQueryResult; readonly stats: QueryStats }
  | { readonly resultType: 'metric'; readonly result: MetricResult; readonly stats: QueryStats }

const TIMEOUT_TEXT =
  'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed'

/** Runs an evaluation under `query_timeout`; past it the evaluation stops with Loki's 504. */
async function withTimeout<T>(settings: Settings, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ms = settings.num('query_timeout')
  const ctrl = new AbortController()
  const timer = ms > 0 ? setTimeout(() => ctrl.abort(new StatusError(504, TIMEOUT_TEXT)), ms) : null
  try {
    return await run(ctrl.signal)
  } finally {
    if (timer !== null) clearTimeout(timer)
  }
}

/** The out-of-order window: a head holds nothing older than its stream's newest chunk minus this. */
function headWindowMs(settings: Settings): number {
  return settings.num('max_chunk_age') / 2
}

function source(scope: QueryScope, settings: Settings): StoreSource | MultiTenantSource {
  const window = headWindowMs(settings)
  if (scope.tenants.length === 1) return new StoreSource(scope.env, scope.tenant, window)
  return new MultiTenantSource(new Map(scope.tenants.map((t) => [t, new StoreSource(scope.env, t, window)])))
}

/** `query_range`: streams for a log query, a matrix for a metric query. */
export async function rangeQuery(scope: QueryScope, expr: Expr, req: RangeQueryRequest): Promise<RangeQueryAnswer> {
  const settings = settingsFor(scope.env)
  checkQueryLength(settings, req.lengthNs)
  const src = source(scope, settings)
  const stats = newQueryStats()
  if (isLogExpr(expr)) {
    checkEntriesLimit(settings, req.limit)
    const { start, end, limit, direction, intervalMs } = req
    const result = await withTimeout(settings, (signal) =>
      evaluateLogQuery(expr, { start, end, limit, direction, intervalMs }, src, stats, {
        signal,
        splitMs: settings.num('split_queries_by_interval'),
      }),
    )
    return { resultType: 'streams', result, stats: addSourceStats(stats, src) }
  }
  const params = { start: req.start, end: req.end, stepMs: req.stepMs }
  const maxQuerySeries = settings.num('max_query_series')
  // Split parts run in QueryExecutor objects over one tenant each; several tenants run unsplit.
  const splittable = settings.bool('split_metric_queries') && scope.tenants.length === 1
  const parts = splittable ? rangeParts(expr, params, settings.num('split_queries_by_interval')) : null
  const result = await withTimeout(settings, (signal) =>
    parts
      ? evaluateSplitRangeQuery(scope.env, expr, parts, {
          tenant: scope.tenant,
          parallelism: settings.num('max_query_parallelism'),
          maxQuerySeries,
          headWindowMs: headWindowMs(settings),
          timeoutMs: settings.num('query_timeout'),
          stats,
          signal,
        })
      : evaluateRangeQuery(expr, params, src, { maxQuerySeries }, { stats, signal }),
  )
  return { resultType: 'metric', result, stats: addSourceStats(stats, src) }
}

/** Instant `query` at `time` (nanoseconds): a vector or a scalar. */
export async function instantQuery(
  scope: QueryScope,
  expr: Expr,
  time: bigint,
): Promise<{ readonly result: MetricResult; readonly stats: QueryStats }> {
  const settings = settingsFor(scope.env)
  const src = source(scope, settings)
  const stats = newQueryStats()
  const result = await withTimeout(settings, (signal) =>
    evaluateInstantQuery(expr, { time }, src, { maxQuerySeries: settings.num('max_query_series') }, { stats, signal }),
  )
  return { result, stats: addSourceStats(stats, src) }
}

/** `/api/prom/query`: a log query under the same limits and timeout, without stats. */
export async function legacyLogQuery(
  scope: QueryScope,
  expr: LogSelectorExpr,
  req: Omit<RangeQueryRequest, 'stepMs' | 'intervalMs'>,
): Promise<LogQueryResult> {
  const settings = settingsFor(scope.env)
  checkQueryLength(settings, req.lengthNs)
  checkEntriesLimit(settings, req.limit)
  const { start, end, limit, direction } = req
  return withTimeout(settings, (signal) =>
    evaluateLogQuery(expr, { start, end, limit, direction }, source(scope, settings), undefined, { signal }),
  )
}
