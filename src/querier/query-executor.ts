/**
 * A Durable Object that evaluates one time part of a split range query. Each part of a long
 * query goes to an object of its own, so on Cloudflare the parts run in separate isolates, each
 * with its own CPU time and memory, instead of taking turns on the Worker's one thread. The
 * object keeps no state. Errors come back as values: Durable Object RPC would keep only the
 * message of a thrown error, not its status.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { Expr } from '../logql/syntax/ast'
import { evaluateRangeQuery, type RangeQueryParams } from '../logql/engine/metric-query'
import { newQueryStats, type QueryStats } from '../logql/engine/stats'
import type { MetricResult } from '../logql/engine/value'
import { classifyError } from '../errors/status-error'
import { addSourceStats, StoreSource } from './store-source'

export interface RangePartRequest {
  readonly tenant: string
  readonly expr: Expr
  readonly params: RangeQueryParams
  readonly maxQuerySeries: number
  readonly headWindowMs: number
  /** Epoch milliseconds after which the part stops (the query's timeout). */
  readonly deadlineMs: number
}

export type RangePartResult =
  | { readonly ok: true; readonly result: MetricResult; readonly stats: QueryStats }
  | { readonly ok: false; readonly status: number; readonly message: string }

export class QueryExecutor extends DurableObject<Env> {
  async evaluateRangePart(req: RangePartRequest): Promise<RangePartResult> {
    const src = new StoreSource(this.env, req.tenant, req.headWindowMs)
    const stats = newQueryStats()
    const signal = AbortSignal.timeout(Math.max(1, req.deadlineMs - Date.now()))
    try {
      const result = await evaluateRangeQuery(req.expr, req.params, src, { maxQuerySeries: req.maxQuerySeries }, { stats, signal })
      return { ok: true, result, stats: addSourceStats(stats, src) }
    } catch (err) {
      // The Worker answers a timed-out query itself (504); this only ends the part's work.
      if (signal.aborted) return { ok: false, status: 504, message: 'query part timed out' }
      const { status, message } = classifyError(err)
      if (status >= 500) throw err
      return { ok: false, status, message }
    }
  }
}
