/**
 * Read-time filtering of delete requests (Loki's query-time filtering, `filter-only` and the
 * time before the compactor acts): a query loads its tenant's requests once, and each stream
 * whose labels satisfy a request's selector drops the entries inside the request's range that
 * its pipeline matches (pkg/compactor/deletion/delete_request.go FilterFunction). A stream no
 * request names is read untouched.
 */
import type { LogEntry } from '../logql/engine/source'
import type { Labels } from '../logql/engine/source'
import { matchesLabels } from '../logql/engine/matchers'
import { buildPipeline, type StreamPipeline } from '../logql/log/pipeline'
import type { LabelMatcher, LogSelectorExpr } from '../logql/syntax/ast'
import type { DeleteRequestRow } from '../db/schema'
import { packEntries, unpackEntries } from '../ingester/packing'
import { filteringShards, hasFilter, parseDeletionQuery } from './delete-requests'
import { tenantSettings } from '../overrides/overrides'
import { parseDeletionMode } from '../overrides/deletion-mode'

const NS_PER_MS = 1_000_000n

/**
 * How long a processed shard still filters: queries that started before the compactor swapped
 * the chunk references may still read the replaced objects (the compactor's delete grace).
 */
const PROCESSED_FILTER_MS = 10 * 60_000

interface CompiledRequest {
  readonly matchers: readonly LabelMatcher[]
  readonly startNs: bigint
  readonly endNs: bigint
  readonly expr: LogSelectorExpr
  readonly filtered: boolean
}

/** The deletes that apply to one stream. */
export interface StreamDeletes {
  /** Some request has line or label filters, so the stream must be read with line text. */
  readonly needsLines: boolean
  /** True when the entry is deleted. */
  deletes(e: LogEntry): boolean
}

export interface DeleteFilter {
  /** The deletes naming a stream, or null when none does. */
  forStream(labels: Labels): StreamDeletes | null
}

function compile(r: DeleteRequestRow): CompiledRequest {
  const expr = parseDeletionQuery(r.query)
  return {
    matchers: expr.kind === 'MatchersExpr' ? expr.matchers : expr.left.matchers,
    startNs: BigInt(r.startMs) * NS_PER_MS,
    endNs: BigInt(r.endMs) * NS_PER_MS,
    expr,
    filtered: hasFilter(expr),
  }
}

class StreamDeletesImpl implements StreamDeletes {
  readonly needsLines: boolean
  private readonly pipelines: ReadonlyArray<StreamPipeline | null>

  constructor(
    private readonly requests: readonly CompiledRequest[],
    labels: Labels,
  ) {
    this.needsLines = requests.some((r) => r.filtered)
    this.pipelines = requests.map((r) => (r.filtered && r.expr.kind === 'PipelineExpr' ? buildPipeline(r.expr.stages).forStream(labels) : null))
  }

  deletes(e: LogEntry): boolean {
    for (let i = 0; i < this.requests.length; i++) {
      const r = this.requests[i]!
      if (e.ts < r.startNs || e.ts > r.endNs) continue
      const p = this.pipelines[i]
      if (!p || p.process(e.ts, e.line, e.metadata) !== null) return true
    }
    return false
  }
}

/** Builds the filter of already-loaded shards (also used by the compactor on one shard). */
export function deleteFilterOf(rows: readonly DeleteRequestRow[]): DeleteFilter | null {
  if (rows.length === 0) return null
  const requests = rows.map(compile)
  return {
    forStream(labels) {
      const named = requests.filter((r) => matchesLabels(r.matchers, labels))
      return named.length === 0 ? null : new StreamDeletesImpl(named, labels)
    },
  }
}

/**
 * The tenant's requests that still filter at `nowMs`, or null when there are none, or when its
 * `deletion_mode` is `disabled` (Loki's per-tenant delete requests client then answers none).
 */
export async function loadDeleteFilter(env: { DB: D1Database }, tenant: string, nowMs: number): Promise<DeleteFilter | null> {
  const mode = parseDeletionMode((await tenantSettings(env, tenant, nowMs)).text('deletion_mode'))
  if (mode === 'disabled') return null
  return deleteFilterOf(await filteringShards(env.DB, tenant, nowMs - PROCESSED_FILTER_MS))
}

/** A stream's batches without the deleted entries. */
export async function* withoutDeleted(batches: AsyncIterable<readonly LogEntry[]>, d: StreamDeletes): AsyncGenerator<readonly LogEntry[]> {
  for await (const batch of batches) {
    const kept = batch.filter((e) => !d.deletes(e))
    if (kept.length > 0) yield kept
  }
}

/** How long an isolate reuses a tenant's filter for live-tail forwards (a push path never waits on D1). */
const FORWARD_FILTER_TTL_MS = 5_000
const forwardFilters = new Map<string, { readonly at: number; readonly filter: Promise<DeleteFilter | null> }>()

/** Forgets the isolate's cached filter of a tenant whose requests changed. */
export function forgetForwardFilter(tenant: string): void {
  forwardFilters.delete(tenant)
}

/**
 * Stored streams (packed entries) on their way to live tails, without the deleted entries; the
 * tenant's requests are re-read at most every FORWARD_FILTER_TTL_MS per isolate.
 */
export async function withoutDeletedStreams<S extends { readonly labels: ReadonlyArray<readonly [string, string]>; readonly entries: string }>(
  env: { DB: D1Database },
  tenant: string,
  streams: readonly S[],
  nowMs: number,
): Promise<S[]> {
  let cached = forwardFilters.get(tenant)
  if (!cached || nowMs - cached.at >= FORWARD_FILTER_TTL_MS) {
    cached = { at: nowMs, filter: loadDeleteFilter(env, tenant, nowMs) }
    if (forwardFilters.size >= 10_000) forwardFilters.clear()
    forwardFilters.set(tenant, cached)
  }
  const filter = await cached.filter
  if (!filter) return [...streams]
  const out: S[] = []
  for (const s of streams) {
    const d = filter.forStream(Object.fromEntries(s.labels))
    if (!d) {
      out.push(s)
      continue
    }
    const kept = unpackEntries(s.entries).filter((e) => !d.deletes(e))
    if (kept.length > 0) out.push({ ...s, entries: packEntries(kept) })
  }
  return out
}
