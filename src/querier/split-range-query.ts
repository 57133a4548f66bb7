/**
 * Range metric queries split by time, as Loki's query frontend splits them by
 * `split_queries_by_interval`: the steps of each interval form one part, every part is evaluated
 * by a `QueryExecutor` object of its own, at most `max_query_parallelism` at once, and the parts'
 * matrices are concatenated. Each step's value depends only on the data in its own window, so
 * the merged answer equals the unsplit one. Parts are counted in the `splits` statistic.
 */
import type { Env } from '../env'
import type { Expr } from '../logql/syntax/ast'
import { mergeMatrixResults, splitRangeQuery } from '../logql/engine/split'
import { walk, type RangeQueryParams } from '../logql/engine/metric-query'
import { addStats, finishStats, type QueryStats } from '../logql/engine/stats'
import type { MetricResult } from '../logql/engine/value'
import { forEachConcurrent } from '../logql/engine/concurrency'
import { StatusError } from '../errors/status-error'
import { doRequests } from '../metrics/meters'
import type { RangePartRequest, RangePartResult } from './query-executor'

export interface SplitQueryOptions {
  readonly tenant: string
  readonly parallelism: number
  readonly maxQuerySeries: number
  readonly headWindowMs: number
  readonly timeoutMs: number
  readonly stats: QueryStats
  readonly signal: AbortSignal
}

function readsLogs(expr: Expr): boolean {
  let found = false
  walk(expr, (e) => {
    if (e.kind === 'RangeAggregationExpr') found = true
  })
  return found
}

/** The parts of a range query worth splitting (it reads logs over several intervals), or null. */
export function rangeParts(expr: Expr, params: RangeQueryParams, splitMs: number): RangeQueryParams[] | null {
  if (!(splitMs > 0) || !readsLogs(expr)) return null
  const parts = splitRangeQuery(params, splitMs)
  return parts.length > 1 ? parts : null
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items
}

/** Rejects when the query's signal aborts, so a timed-out query stops waiting for its parts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

export async function evaluateSplitRangeQuery(
  env: Env,
  expr: Expr,
  parts: readonly RangeQueryParams[],
  opts: SplitQueryOptions,
): Promise<MetricResult> {
  const deadlineMs = Date.now() + (opts.timeoutMs > 0 ? opts.timeoutMs : 24 * 3_600_000)
  const results: MetricResult[] = new Array<MetricResult>(parts.length)
  const failures: Array<StatusError | undefined> = new Array<StatusError | undefined>(parts.length)
  const run = async (i: number): Promise<void> => {
    const req: RangePartRequest = {
      tenant: opts.tenant,
      expr,
      params: parts[i] as RangeQueryParams,
      maxQuerySeries: opts.maxQuerySeries,
      headWindowMs: opts.headWindowMs,
      deadlineMs,
    }
    doRequests(1)
    const executor = env.QUERY_EXECUTOR.get(env.QUERY_EXECUTOR.newUniqueId())
    // RPC result types widen tuples to arrays; the values are the ones the object built.
    const out = (await executor.evaluateRangePart(req)) as unknown as RangePartResult
    if (!out.ok) {
      failures[i] = new StatusError(out.status, out.message)
      return
    }
    addStats(opts.stats, out.stats)
    results[i] = out.result
  }
  const aborted = untilAborted(opts.signal)
  aborted.catch(() => undefined)
  await Promise.race([forEachConcurrent(each(parts.map((_, i) => i)), Math.max(1, opts.parallelism), run), aborted])
  // The unsplit query fails at its earliest failing step, which lies in the earliest failed part.
  const failure = failures.find((f) => f !== undefined)
  if (failure) throw failure
  opts.stats.splits += parts.length
  const merged = mergeMatrixResults(results, opts.maxQuerySeries)
  if (merged.resultType === 'matrix') opts.stats.entriesReturned += merged.result.length
  finishStats(opts.stats)
  return merged
}
