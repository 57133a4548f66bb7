/**
 * The compactor's execution of delete requests once their cancel period is over (Loki's
 * DeleteRequestsManager): for each pending shard, the heads of matching streams that overlap
 * it are flushed (so their entries reach chunks by the ingester's own crash-safe flush), then
 * every chunk of those streams overlapping the shard is rewritten without the deleted entries:
 * new object put in R2, then one D1 batch swaps the reference, queues the old object for
 * deletion after the grace period and saves the shard's cursor. A crash between steps leaves
 * either the old reference (the retry rewrites it again, to the same key) or the new one (the
 * cursor has moved past it); the read-time filter hides the lines meanwhile. A shard is marked
 * processed only when all its chunks are done. Work per run is bounded and resumes by cursor.
 */
import { and, eq } from 'drizzle-orm'
import type { Env } from '../env'
import { dbFor } from '../db/client'
import { chunks, deleteRequests, pendingDeletes, type ChunkRow, type DeleteRequestRow } from '../db/schema'
import { findStreams } from '../storage/label-index'
import { chunkKey, chunkRefsFor, chunkReader, putChunk } from '../storage/chunk-store'
import { ChunkWriter } from '../storage/chunk/chunk-writer'
import { type ChunkEntry } from '../storage/chunk/types'
import { ingesterFor } from '../ingester/naming'
import { doRequests } from '../metrics/meters'
import { settingsFor } from '../config/settings'
import { tenantSettings } from '../overrides/overrides'
import { fnv1Hex32 } from './fnv1'
import { parseDeletionMode } from '../overrides/deletion-mode'
import { deleteFilterOf, type StreamDeletes } from './delete-filter'
import { hasFilter, markShardProcessed, parseDeletionQuery, pendingShards, saveShardCursor } from './delete-requests'

const NS_PER_MS = 1_000_000n

export interface DeleteRunOptions {
  /** Replaced objects are deleted this long after the swap (ms), as compaction's grace. */
  readonly deleteGraceMs: number
  /** Most chunks read per run: bounds a run's subrequests and CPU. */
  readonly maxChunks: number
  /** Most shards looked at per run (Loki's delete_batch_size). */
  readonly maxShards: number
}

/** Most pages of due shards looked at per run (bounds the D1 reads spent passing over filter-only tenants). */
const MAX_PAGES = 10

export const DEFAULT_DELETE_RUN: DeleteRunOptions = { deleteGraceMs: 10 * 60_000, maxChunks: 200, maxShards: 70 }

/** Called after each step of a chunk rewrite; a throw stops the run as a crash would (tests). */
export type DeleteStepHook = (step: 'heads-flushed' | 'stored' | 'swapped' | 'processed') => void

export interface DeleteRunReport {
  readonly shardsProcessed: number
  readonly chunksRead: number
  readonly chunksRewritten: number
  readonly chunksDropped: number
  readonly linesDeleted: number
  /** True when the run stopped at its bound with work left for the next run. */
  readonly more: boolean
}

/** Position of a chunk in the order a shard walks them. */
function chunkPosition(r: ChunkRow): string {
  return JSON.stringify([r.fingerprint, r.minTsMs, r.objectKey, r.byteOffset])
}

function comparePositions(a: ChunkRow, b: ChunkRow): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.minTsMs - b.minTsMs || (a.objectKey < b.objectKey ? -1 : a.objectKey > b.objectKey ? 1 : a.byteOffset - b.byteOffset)
}

function afterCursor(r: ChunkRow, cursor: string | null): boolean {
  if (cursor === null) return true
  const [fp, minTs, key, off] = JSON.parse(cursor) as [string, number, string, number]
  return comparePositions(r, { ...r, fingerprint: fp, minTsMs: minTs, objectKey: key, byteOffset: off }) > 0
}

/** Object ids of the chunks one request's rewrites produce start with this. */
function rewriteIdPrefix(shard: DeleteRequestRow): string {
  return `rewrite-${shard.requestId}-`
}

interface Rewrite {
  readonly kept: ChunkEntry[]
  readonly deleted: number
}

async function readWithout(bucket: R2Bucket, ref: ChunkRow, d: StreamDeletes): Promise<Rewrite> {
  const kept: ChunkEntry[] = []
  let deleted = 0
  const range = { from: 0n, through: BigInt(ref.maxTsMs + 1) * NS_PER_MS, direction: 'forward' as const }
  for await (const batch of chunkReader(bucket, ref).batches(range)) {
    for (const e of batch) {
      if (d.deletes(e)) deleted++
      else kept.push(e)
    }
  }
  return { kept, deleted }
}

class ShardRun {
  chunksRead = 0
  chunksRewritten = 0
  chunksDropped = 0
  linesDeleted = 0

  constructor(
    private readonly env: Env,
    private readonly opts: DeleteRunOptions,
    private readonly nowMs: number,
    private readonly hook: DeleteStepHook,
  ) {}

  /** Executes one shard up to the run's chunk budget; true when the shard is finished. */
  async execute(shard: DeleteRequestRow, budget: number): Promise<boolean> {
    const expr = parseDeletionQuery(shard.query)
    const matchers = expr.kind === 'MatchersExpr' ? expr.matchers : expr.left.matchers
    const filter = deleteFilterOf([shard])!
    const streams = await findStreams(this.env.DB, shard.tenant, matchers, shard.startMs, shard.endMs)
    if (shard.cursor === null) {
      await this.flushHeads(shard, streams)
      this.hook('heads-flushed')
    }
    const byFingerprint = new Map(streams.map((s) => [s.fingerprint, s]))
    const refs = (await chunkRefsFor(this.env.DB, shard.tenant, [...byFingerprint.keys()], shard.startMs, shard.endMs))
      // Chunks this request already wrote are clean (their start may have moved past the cursor).
      .filter((r) => afterCursor(r, shard.cursor) && !r.objectKey.includes(`/${rewriteIdPrefix(shard)}`))
      .sort(comparePositions)
    const wholeChunks = !hasFilter(expr)
    let cursor = shard.cursor
    let used = 0
    for (const ref of refs) {
      if (used >= budget) {
        if (cursor !== shard.cursor && cursor !== null) await saveShardCursor(this.env.DB, shard, cursor)
        return false
      }
      const stream = byFingerprint.get(ref.fingerprint)!
      const deletes = filter.forStream(stream.labels)
      if (!deletes) continue
      used++
      const position = chunkPosition(ref)
      if (wholeChunks && ref.minTsMs >= shard.startMs && ref.maxTsMs <= shard.endMs) {
        await this.swap(shard, ref, null, position)
        this.chunksDropped++
        this.linesDeleted += ref.entries
      } else {
        this.chunksRead++
        const { kept, deleted } = await readWithout(this.env.CHUNKS, ref, deletes)
        if (deleted > 0) {
          await this.swap(shard, ref, kept, position)
          this.linesDeleted += deleted
          if (kept.length === 0) this.chunksDropped++
          else this.chunksRewritten++
        }
      }
      cursor = position
    }
    await markShardProcessed(this.env.DB, shard, this.nowMs)
    this.hook('processed')
    return true
  }

  /** Moves the unflushed entries of matching streams overlapping the shard into chunks. */
  private async flushHeads(shard: DeleteRequestRow, streams: ReadonlyArray<{ canonical: string }>): Promise<void> {
    for (const s of streams) {
      const stub = ingesterFor(this.env, shard.tenant, s.canonical)
      doRequests(1)
      const bounds = await stub.headBounds()
      if (!bounds || bounds.maxMs < shard.startMs || bounds.minMs > shard.endMs) continue
      doRequests(1)
      await stub.flush()
    }
  }

  /**
   * Replaces `ref` by a chunk of `kept` entries (none: the reference goes), in the crash-safe
   * order: R2 put, then one D1 batch (new reference, old one removed, old object queued for
   * deletion, cursor saved).
   */
  private async swap(shard: DeleteRequestRow, ref: ChunkRow, kept: ChunkEntry[] | null, position: string): Promise<void> {
    const db = dbFor(this.env.DB)
    let replacement: typeof chunks.$inferInsert | null = null
    if (kept && kept.length > 0) {
      const writer = new ChunkWriter({ blockSize: settingsFor(this.env).num('chunk_block_size') })
      for (const e of kept) await writer.add(e)
      const { bytes, meta } = await writer.finish()
      // The same old chunk and request always give the same key, so a retried rewrite overwrites.
      const id = `${rewriteIdPrefix(shard)}${fnv1Hex32(ref.objectKey, String(ref.byteOffset))}`
      const key = chunkKey(ref.tenant, ref.fingerprint, id, shard.shard, 0)
      await putChunk(this.env.CHUNKS, key, bytes)
      this.hook('stored')
      replacement = {
        tenant: ref.tenant,
        fingerprint: ref.fingerprint,
        objectKey: key,
        byteOffset: 0,
        byteLength: bytes.byteLength,
        minTsMs: Number(meta.minTs / NS_PER_MS),
        maxTsMs: Number(meta.maxTs / NS_PER_MS) + 1,
        entries: meta.entries,
        rawBytes: meta.rawBytes,
      }
    }
    const removeOld = db
      .delete(chunks)
      .where(
        and(eq(chunks.tenant, ref.tenant), eq(chunks.fingerprint, ref.fingerprint), eq(chunks.objectKey, ref.objectKey), eq(chunks.byteOffset, ref.byteOffset)),
      )
    const queueOld = db
      .insert(pendingDeletes)
      .values({ objectKey: ref.objectKey, deleteAfterMs: this.nowMs + this.opts.deleteGraceMs })
      .onConflictDoNothing()
    const saveCursor = db
      .update(deleteRequests)
      .set({ cursor: position })
      .where(and(eq(deleteRequests.tenant, shard.tenant), eq(deleteRequests.requestId, shard.requestId), eq(deleteRequests.shard, shard.shard)))
    if (replacement) await db.batch([db.insert(chunks).values(replacement).onConflictDoNothing(), removeOld, queueOld, saveCursor])
    else await db.batch([removeOld, queueOld, saveCursor])
    this.hook('swapped')
  }
}

/**
 * Executes the shards whose cancel period is over, oldest first, within the run's bounds.
 * Tenants in `filter-only` mode keep their requests unexecuted (filtered at read time forever).
 */
export async function runDeletes(env: Env, nowMs: number, opts: DeleteRunOptions = DEFAULT_DELETE_RUN, hook: DeleteStepHook = () => undefined): Promise<DeleteRunReport> {
  const cancelPeriodMs = settingsFor(env).num('delete_request_cancel_period')
  const run = new ShardRun(env, opts, nowMs, hook)
  let shardsProcessed = 0
  let executed = 0
  let more = false
  let after: DeleteRequestRow | undefined
  // Pages of due shards; those of filter-only tenants are passed over, never executed.
  pages: for (let page = 0; page < MAX_PAGES; page++) {
    const shards = await pendingShards(env.DB, nowMs - cancelPeriodMs, opts.maxShards, after)
    for (const shard of shards) {
      after = shard
      const mode = parseDeletionMode((await tenantSettings(env, shard.tenant, nowMs)).text('deletion_mode'))
      if (mode !== 'filter-and-delete') continue
      const budget = opts.maxChunks - run.chunksRead - run.chunksDropped
      if (budget <= 0 || executed >= opts.maxShards) {
        more = true
        break pages
      }
      executed++
      if (await run.execute(shard, budget)) shardsProcessed++
      else {
        more = true
        break pages
      }
    }
    if (shards.length < opts.maxShards) break
    if (page === MAX_PAGES - 1) more = true
  }
  return { shardsProcessed, chunksRead: run.chunksRead, chunksRewritten: run.chunksRewritten, chunksDropped: run.chunksDropped, linesDeleted: run.linesDeleted, more }
}
