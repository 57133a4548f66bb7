/**
 * A per-tenant limit on read requests (`query_rate_limit` requests per second with a burst of
 * `query_burst_size`; 0 turns it off), one token bucket per tenant in this isolate like the
 * ingestion rate limit: each isolate is a query frontend, so the limit holds per isolate.
 */
import { TokenBucket } from '../ingester/rate-limiter'

export class QueryRateError extends Error {
  readonly status = 429
  constructor(tenant: string, rate: number) {
    super(`query rate limit exceeded for user ${tenant} (limit: ${rate} requests/sec), reduce the query rate or contact your administrator to see if the limit can be increased`)
    this.name = 'QueryRateError'
  }
}

const MAX_TENANTS = 10_000
const buckets = new Map<string, TokenBucket>()

export function checkQueryRate(tenant: string, rate: number, burst: number, now: number): void {
  if (!(rate > 0)) return
  let bucket = buckets.get(tenant)
  if (!bucket || bucket.limit !== rate) {
    if (buckets.size >= MAX_TENANTS) buckets.clear()
    bucket = new TokenBucket(rate, Math.max(1, burst), now)
    buckets.set(tenant, bucket)
  }
  if (!bucket.allow(1, now)) throw new QueryRateError(tenant, rate)
}
