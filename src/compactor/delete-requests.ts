/**
 * Delete requests in D1, tenant-scoped, as Loki's compactor keeps them
 * (pkg/compactor/deletion): a request with line filters is stored as shards of at most its
 * `max_interval`, the list merges each request's shards back into one entry whose status is
 * `received`, `processed` or `N% Complete`, and a cancellation names requests by an id prefix,
 * as Loki's store looks them up (so an empty `request_id` names every request of the tenant).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { deleteRequests, type DeleteRequestRow } from '../db/schema'
import type { LogSelectorExpr } from '../logql/syntax/ast'
import { parseLogSelector } from '../logql/syntax/parse'
import { formatGoDuration } from '../go/duration'
import { DeleteRequestError } from './errors'
import { fnv1Hex32 } from './fnv1'

const NS_PER_MS = 1_000_000n

/** Loki's parseDeletionQuery: any log selector (validation off, so `{}` passes), never a metric query. */
export function parseDeletionQuery(query: string): LogSelectorExpr {
  try {
    return parseLogSelector(query, false)
  } catch {
    throw new DeleteRequestError(400, 'invalid query expression')
  }
}

/** Loki's HasFilter: a label filter, or a line filter other than an empty `|=`/`|~`. */
export function hasFilter(e: LogSelectorExpr): boolean {
  if (e.kind === 'MatchersExpr') return false
  return e.stages.some(
    (s) => s.kind === 'LabelFilterExpr' || (s.kind === 'LineFilterExpr' && ((s.op !== '|=' && s.op !== '|~') || s.match !== '' || s.or.length > 0)),
  )
}

export interface NewDeleteRequest {
  readonly query: string
  readonly startMs: number
  readonly endMs: number
  /** Shard length (ms) for requests with filters; 0 keeps the request whole. */
  readonly shardMs: number
}

/** Loki's buildRequests with util.ForInterval (end exclusive): the first shard starts at `start`. */
export function shardRanges(startMs: number, endMs: number, shardMs: number): Array<[number, number]> {
  if (shardMs <= 0 || shardMs >= endMs - startMs) return [[startMs, endMs]]
  const out: Array<[number, number]> = []
  for (let s = startMs - (startMs % shardMs); s < endMs; s += shardMs) {
    const e = s + shardMs < endMs ? s + shardMs : endMs
    out.push([out.length === 0 ? startMs : s, e])
  }
  return out
}

/** Loki's generateUniqueID: FNV-1 of tenant, the time in ns (little endian) and query. */
function requestId(tenant: string, query: string, nowNs: bigint): string {
  const t = new Uint8Array(8)
  new DataView(t.buffer).setBigUint64(0, BigInt.asUintN(64, nowNs), true)
  return fnv1Hex32(tenant, t, query)
}

/** Stores a request and answers its id; one D1 batch, so a request is never stored in part. */
export async function addDeleteRequest(d1: D1Database, tenant: string, req: NewDeleteRequest, nowMs: number): Promise<string> {
  const db = dbFor(d1)
  // A random sub-millisecond part keeps ids of requests made within one millisecond apart.
  const nowNs = BigInt(nowMs) * NS_PER_MS + BigInt(Math.floor(Math.random() * 1_000_000))
  const id = requestId(tenant, req.query, nowNs)
  const rows = shardRanges(req.startMs, req.endMs, req.shardMs).map(([startMs, endMs], shard) => ({
    tenant,
    requestId: id,
    shard,
    query: req.query,
    startMs,
    endMs,
    createdMs: nowMs,
  }))
  const [first, ...rest] = rows.map((r) => db.insert(deleteRequests).values(r))
  if (first) await db.batch([first, ...rest])
  return id
}

export interface DeleteRequestView {
  readonly requestId: string
  readonly startMs: number
  readonly endMs: number
  readonly query: string
  readonly status: string
  readonly createdMs: number
}

/** Loki's deleteRequestStatus. */
function statusOf(processed: number, total: number): string {
  if (processed === 0) return 'received'
  if (processed === total) return 'processed'
  return `${Math.trunc((processed / total) * 100)}% Complete`
}

/** Loki's mergeData over one group of shards. */
function merge(group: readonly DeleteRequestRow[]): DeleteRequestView {
  const first = group[0]!
  let startMs = Number.MAX_SAFE_INTEGER
  let endMs = 0
  let processed = 0
  for (const r of group) {
    startMs = Math.min(startMs, r.startMs)
    endMs = Math.max(endMs, r.endMs)
    if (r.processedMs !== null) processed++
  }
  return { requestId: first.requestId, startMs, endMs, query: first.query, status: statusOf(processed, group.length), createdMs: first.createdMs }
}

/** Every shard of a tenant's requests, in (request, shard) order. */
async function tenantShards(d1: D1Database, tenant: string): Promise<DeleteRequestRow[]> {
  return dbFor(d1)
    .select()
    .from(deleteRequests)
    .where(eq(deleteRequests.tenant, tenant))
    .orderBy(asc(deleteRequests.requestId), asc(deleteRequests.shard))
}

/** The tenant's requests, shards merged, oldest first; with a range, only those overlapping it. */
export async function listDeleteRequests(d1: D1Database, tenant: string, range?: { startMs: number; endMs: number }): Promise<DeleteRequestView[]> {
  const groups = new Map<string, DeleteRequestRow[]>()
  for (const r of await tenantShards(d1, tenant)) {
    const g = groups.get(r.requestId)
    if (g) g.push(r)
    else groups.set(r.requestId, [r])
  }
  return [...groups.values()]
    .map(merge)
    .filter((v) => !range || (v.startMs <= range.endMs && v.endMs >= range.startMs))
    .sort((a, b) => a.createdMs - b.createdMs)
}

/**
 * Cancels the requests named by `idPrefix` (Loki's CancelDeleteRequestHandler): 404 when none,
 * 400 when processed, or when partly processed or past the cancel period unless forced.
 */
export async function cancelDeleteRequest(
  d1: D1Database,
  tenant: string,
  idPrefix: string,
  force: boolean,
  cancelPeriodMs: number,
  nowMs: number,
): Promise<void> {
  const db = dbFor(d1)
  const named = and(eq(deleteRequests.tenant, tenant), sql`substr(${deleteRequests.requestId}, 1, ${idPrefix.length}) = ${idPrefix}`)
  const group = await db.select().from(deleteRequests).where(named).orderBy(asc(deleteRequests.shard), asc(deleteRequests.createdMs))
  if (group.length === 0) throw new DeleteRequestError(404, 'could not find delete request with given id')
  const view = merge(group)
  if (view.status === 'processed') {
    throw new DeleteRequestError(400, 'deletion of request which is in process or already processed is not allowed')
  }
  if ((view.status !== 'received' || view.createdMs + cancelPeriodMs < nowMs) && !force) {
    throw new DeleteRequestError(
      400,
      `Cancellation of partially completed delete request or delete request past the deadline of ${formatGoDuration(BigInt(cancelPeriodMs) * NS_PER_MS)} since its creation is not allowed. To force, use the ?force query parameter`,
    )
  }
  await db.delete(deleteRequests).where(named)
}

/** Shards the compactor still has to execute, of every tenant, oldest first, after `after` (a page key). */
export async function pendingShards(d1: D1Database, createdBeforeMs: number, limit: number, after?: DeleteRequestRow): Promise<DeleteRequestRow[]> {
  const r = deleteRequests
  const pending = and(isNull(r.processedMs), sql`${r.createdMs} < ${createdBeforeMs}`)
  return dbFor(d1)
    .select()
    .from(r)
    .where(after ? and(pending, sql`(${r.createdMs}, ${r.requestId}, ${r.tenant}, ${r.shard}) > (${after.createdMs}, ${after.requestId}, ${after.tenant}, ${after.shard})`) : pending)
    .orderBy(asc(r.createdMs), asc(r.requestId), asc(r.tenant), asc(r.shard))
    .limit(limit)
}

/** The tenant's shards that still filter reads: pending, or processed after `processedAfterMs`. */
export async function filteringShards(d1: D1Database, tenant: string, processedAfterMs: number): Promise<DeleteRequestRow[]> {
  return dbFor(d1)
    .select()
    .from(deleteRequests)
    .where(and(eq(deleteRequests.tenant, tenant), sql`(${deleteRequests.processedMs} IS NULL OR ${deleteRequests.processedMs} > ${processedAfterMs})`))
}

function shardKey(r: DeleteRequestRow) {
  return and(eq(deleteRequests.tenant, r.tenant), eq(deleteRequests.requestId, r.requestId), eq(deleteRequests.shard, r.shard))
}

export async function saveShardCursor(d1: D1Database, r: DeleteRequestRow, cursor: string): Promise<void> {
  await dbFor(d1).update(deleteRequests).set({ cursor }).where(shardKey(r))
}

export async function markShardProcessed(d1: D1Database, r: DeleteRequestRow, nowMs: number): Promise<void> {
  await dbFor(d1).update(deleteRequests).set({ processedMs: nowMs, cursor: null }).where(shardKey(r))
}
