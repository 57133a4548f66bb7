/**
 * Queries over several tenants, as Loki's multi-tenant querier (pkg/querier/multi_tenant_querier.go):
 * each tenant is read on its own, its streams gain the `__tenant_id__` label, and matchers on that
 * label choose the tenants instead of reaching the index.
 */
import type { LabelMatcher } from '../logql/syntax/ast'
import { matchesLabels } from '../logql/engine/matchers'
import type { LogSource, SelectRequest, StreamSelection } from '../logql/engine/source'
import type { SourceStats } from './store-source'

export const TENANT_LABEL = '__tenant_id__'

/** The tenants the `__tenant_id__` matchers accept, and the other matchers (Loki's filterValuesByMatchers). */
export function filterTenants(tenants: readonly string[], matchers: readonly LabelMatcher[]): { tenants: string[]; matchers: LabelMatcher[] } {
  const onTenant = matchers.filter((m) => m.name === TENANT_LABEL)
  return {
    tenants: tenants.filter((t) => matchesLabels(onTenant, { [TENANT_LABEL]: t })),
    matchers: matchers.filter((m) => m.name !== TENANT_LABEL),
  }
}

/** Labels with `__tenant_id__` added, unless the stream has one already (as Loki keeps it). */
export function withTenant<L extends Readonly<Record<string, string>>>(labels: L, tenant: string): Readonly<Record<string, string>> {
  return labels[TENANT_LABEL] === undefined ? { ...labels, [TENANT_LABEL]: tenant } : labels
}

interface StatsSource extends LogSource {
  readonly stats: SourceStats
}

/** One LogSource over several tenants' sources. */
export class MultiTenantSource implements LogSource {
  constructor(private readonly sources: ReadonlyMap<string, StatsSource>) {}

  get stats(): SourceStats {
    const sum: SourceStats = { streamsSelected: 0, headCalls: 0, chunksRef: 0, chunksRead: 0, linesScanned: 0, bytesScanned: 0 }
    for (const src of this.sources.values()) {
      for (const k of Object.keys(sum) as Array<keyof SourceStats>) sum[k] += src.stats[k]
    }
    return sum
  }

  async *select(req: SelectRequest): AsyncIterable<StreamSelection> {
    const chosen = filterTenants([...this.sources.keys()], req.matchers)
    for (const tenant of chosen.tenants) {
      const src = this.sources.get(tenant)
      if (!src) continue
      for await (const s of src.select({ ...req, matchers: chosen.matchers })) {
        yield { labels: withTenant(s.labels, tenant), entries: s.entries }
      }
    }
  }
}
