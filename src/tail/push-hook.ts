/**
 * The push path's side of live tail: after ingesters have stored a push, the entries some open
 * tail may want go to the tenant's Tailer object. Which tails are open comes from a summary this
 * isolate caches per tenant for SUMMARY_TTL_MS, so a push in a tenant without tails costs no
 * object call while the summary is fresh; refreshing it and forwarding run after the response
 * (waitUntil) and never fail or delay the push. Forwards of one isolate within FORWARD_BATCH_MS
 * go to the object in one call, so its request rate does not follow the tenant's push rate.
 */
import { waitUntil } from 'cloudflare:workers'
import type { Env } from '../env'
import { doRequests } from '../metrics/meters'
import type { Labels } from '../logql/engine/source'
import { SUMMARY_TTL_MS, type ForwardedStream, type StoredStream, type TailSummary } from './protocol'
import { tailerFor } from './naming'
import { TailQuery } from './tail-query'

interface CachedSummary {
  readonly at: number
  /** null: forward every stream. */
  readonly queries: readonly TailQuery[] | null
}

const MAX_CACHED = 10_000
const FORWARD_BATCH_MS = 20
/** A batch this large takes no more streams; the next forward starts another. */
const MAX_BATCH_STREAMS = 500

interface Batch {
  readonly streams: ForwardedStream[]
  sent: Promise<void>
}
const batches = new Map<string, Batch>()
const summaries = new Map<string, CachedSummary>()
const refreshing = new Map<string, Promise<CachedSummary>>()
const compiled = new Map<string, TailQuery | null>()

function compile(query: string): TailQuery | null {
  let q = compiled.get(query)
  if (q === undefined) {
    try {
      q = new TailQuery(query)
    } catch {
      q = null
    }
    if (compiled.size >= MAX_CACHED) compiled.clear()
    compiled.set(query, q)
  }
  return q
}

function remember(tenant: string, summary: TailSummary): CachedSummary {
  const queries = summary.queries === null ? null : summary.queries.map(compile).filter((q): q is TailQuery => q !== null)
  const cached = { at: Date.now(), queries }
  if (summaries.size >= MAX_CACHED) summaries.clear()
  summaries.set(tenant, cached)
  return cached
}

function fresh(tenant: string): CachedSummary | null {
  const c = summaries.get(tenant)
  return c && Date.now() - c.at < SUMMARY_TTL_MS ? c : null
}

function refresh(env: Env, tenant: string): Promise<CachedSummary> {
  let p = refreshing.get(tenant)
  if (!p) {
    doRequests(1)
    p = tailerFor(env, tenant)
      .summary()
      .then((s) => remember(tenant, s))
      .finally(() => refreshing.delete(tenant))
    refreshing.set(tenant, p)
  }
  return p
}

function wanted(summary: CachedSummary, streams: readonly ForwardedStream[]): ForwardedStream[] {
  const queries = summary.queries
  if (queries === null) return [...streams]
  if (queries.length === 0) return []
  return streams.filter((s) => {
    const labels: Labels = Object.fromEntries(s.labels)
    return queries.some((q) => q.wants(labels))
  })
}

async function send(env: Env, tenant: string, batch: Batch): Promise<void> {
  await new Promise((r) => setTimeout(r, FORWARD_BATCH_MS))
  if (batches.get(tenant) === batch) batches.delete(tenant)
  doRequests(1)
  remember(tenant, await tailerFor(env, tenant).deliver(batch.streams))
}

/** Drops what must not reach a tail (entries of accepted delete requests); given by the push path. */
export type ForwardFilter = (streams: readonly ForwardedStream[]) => Promise<ForwardedStream[]>

async function forward(env: Env, tenant: string, summary: CachedSummary, streams: readonly ForwardedStream[], filter?: ForwardFilter): Promise<void> {
  const wantedStreams = wanted(summary, streams)
  if (wantedStreams.length === 0) return
  const selected = filter ? await filter(wantedStreams) : wantedStreams
  if (selected.length === 0) return
  let batch = batches.get(tenant)
  if (!batch) {
    const created: Batch = { streams: [], sent: Promise.resolve() }
    created.sent = send(env, tenant, created)
    batches.set(tenant, created)
    batch = created
  }
  batch.streams.push(...selected)
  if (batch.streams.length >= MAX_BATCH_STREAMS) batches.delete(tenant)
  return batch.sent
}

/** Hands a push's stored streams to the tenant's tails, if any want them. Never throws. */
export function notifyTails(env: Env, tenant: string, stored: readonly StoredStream[], filter?: ForwardFilter): void {
  if (stored.length === 0) return
  const storedAt = Date.now()
  const streams = stored.map((s) => ({ ...s, storedAt }))
  const cached = fresh(tenant)
  if (cached && cached.queries !== null && cached.queries.length === 0) return
  const work = (cached ? forward(env, tenant, cached, streams, filter) : refresh(env, tenant).then((s) => forward(env, tenant, s, streams, filter))).catch(
    (err: unknown) => console.error('live tail forwarding failed', err),
  )
  waitUntil(work)
}
