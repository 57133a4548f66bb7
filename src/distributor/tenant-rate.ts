/**
 * Loki's per-tenant ingestion rate limit (`ingestion_rate_mb`, `ingestion_burst_size_mb`), one
 * token bucket per tenant in this isolate. Loki's "local" strategy applies the limit per
 * distributor; here each isolate is a distributor, so the limit holds per isolate.
 */
import { TokenBucket } from '../ingester/rate-limiter'
import { PushError } from './errors'

const MIB = 1 << 20
const buckets = new Map<string, TokenBucket>()

export function checkTenantRate(
  tenant: string,
  rateMb: number,
  burstMb: number,
  lines: number,
  bytes: number,
  now: number,
): void {
  if (bytes === 0) return
  const rate = rateMb * MIB
  let bucket = buckets.get(tenant)
  if (!bucket || bucket.limit !== rate) {
    bucket = new TokenBucket(rate, burstMb * MIB, now)
    buckets.set(tenant, bucket)
  }
  if (bucket.allow(bytes, now)) return
  throw new PushError(
    429,
    `ingestion rate limit exceeded for user ${tenant} (limit: ${Math.trunc(rate)} bytes/sec) while attempting to ingest '${lines}' lines totaling '${bytes}' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased`,
    'rate_limited',
  )
}
