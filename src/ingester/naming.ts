/**
 * The single mapping from (tenant, stream) to the ingester object that owns the stream. Tenant
 * ids cannot contain `:`, so the name is unambiguous, and the full canonical labels (not a hash)
 * make a fingerprint collision impossible. Object ids are derived by hashing the name, so they
 * are cached per isolate (ids, unlike stubs, are not tied to a request).
 */
import type { Env } from '../env'

const MAX_CACHED_IDS = 20_000
const ids = new Map<string, DurableObjectId>()

export function ingesterName(tenant: string, canonicalLabels: string): string {
  return `${tenant}:${canonicalLabels}`
}

export function ingesterFor(env: Env, tenant: string, canonicalLabels: string) {
  const name = ingesterName(tenant, canonicalLabels)
  let id = ids.get(name)
  if (!id) {
    id = env.INGESTER.idFromName(name)
    if (ids.size >= MAX_CACHED_IDS) ids.clear()
    ids.set(name, id)
  }
  return env.INGESTER.get(id)
}
