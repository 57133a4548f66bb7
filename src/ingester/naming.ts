/**
 * The single mapping from (tenant, stream) to the ingester object that owns the stream. Tenant
 * ids cannot contain `:`, so the name is unambiguous, and the full canonical labels (not a hash)
 * make a fingerprint collision impossible.
 */
import type { Env } from '../env'

export function ingesterName(tenant: string, canonicalLabels: string): string {
  return `${tenant}:${canonicalLabels}`
}

export function ingesterFor(env: Env, tenant: string, canonicalLabels: string) {
  return env.INGESTER.get(env.INGESTER.idFromName(ingesterName(tenant, canonicalLabels)))
}
