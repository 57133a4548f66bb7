/**
 * The compactor: merges a tenant's small chunks of one time window into one R2 object with a
 * per-stream footer index (chunks are copied byte for byte, so no entry is re-encoded), swaps the
 * chunk references in D1 in one batch, and deletes the replaced objects after a grace period, so
 * a query that read the old references can still fetch their bytes. A crash between the object
 * write and the swap leaves only an unreferenced object behind; nothing is lost or doubled.
 */
import { and, eq, inArray, lt, lte, notLike } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { chunks, pendingDeletes, type ChunkRow } from '../db/schema'
import { encodeObject } from '../storage/chunk/object'
import { r2ClassA, r2ClassB } from '../metrics/meters'

export interface CompactionOptions {
  /** Chunks at most this large (bytes) are merged. */
  readonly smallChunkBytes: number
  /** Largest compacted object (bytes); it is built in memory, so this stays far below 128 MB. */
  readonly maxObjectBytes: number
  /** Chunks are grouped by windows of this length (ms) of their first entry. */
  readonly windowMs: number
  /** Replaced objects are deleted this long after the swap (ms). */
  readonly deleteGraceMs: number
  /** Most windows merged in one run, to bound a run's time and memory. */
  readonly maxWindows: number
}

/** Compacted objects are never merged again. */
const COMPACTED_PREFIX = 'compacted/'

export const DEFAULT_COMPACTION: CompactionOptions = {
  smallChunkBytes: 1 << 20,
  maxObjectBytes: 16 << 20,
  windowMs: 2 * 3_600_000,
  deleteGraceMs: 10 * 60_000,
  maxWindows: 64,
}

export interface CompactionReport {
  readonly windows: number
  readonly chunksMerged: number
  readonly objectsWritten: number
  readonly bytesWritten: number
  readonly objectsDeleted: number
}

interface Window {
  readonly tenant: string
  readonly start: number
  readonly refs: ChunkRow[]
}

async function fetchWhole(bucket: R2Bucket, ref: ChunkRow): Promise<Uint8Array> {
  r2ClassB(1)
  const obj = await bucket.get(ref.objectKey, { range: { offset: ref.byteOffset, length: ref.byteLength } })
  if (!obj) throw new Error(`chunk object ${ref.objectKey} is missing`)
  return new Uint8Array(await obj.arrayBuffer())
}

/** Small chunks grouped by (tenant, window), oldest windows first, only groups worth merging. */
async function smallChunkWindows(d1: D1Database, opts: CompactionOptions): Promise<Window[]> {
  const rows = await dbFor(d1)
    .select()
    .from(chunks)
    .where(and(lte(chunks.byteLength, opts.smallChunkBytes), notLike(chunks.objectKey, `${COMPACTED_PREFIX}%`)))
    .orderBy(chunks.tenant, chunks.minTsMs)
    .limit(10_000)
  const groups = new Map<string, Window>()
  for (const r of rows) {
    const start = Math.floor(r.minTsMs / opts.windowMs) * opts.windowMs
    const key = `${r.tenant}\u0000${start}`
    let w = groups.get(key)
    if (!w) {
      w = { tenant: r.tenant, start, refs: [] }
      groups.set(key, w)
    }
    w.refs.push(r)
  }
  return [...groups.values()].filter((w) => w.refs.length > 1).slice(0, opts.maxWindows)
}

async function compactWindow(env: { DB: D1Database; CHUNKS: R2Bucket }, w: Window, opts: CompactionOptions, now: number): Promise<{ merged: number; objects: number; bytes: number }> {
  let merged = 0
  let objects = 0
  let bytes = 0
  let batch: ChunkRow[] = []
  let batchBytes = 0
  const flush = async (): Promise<void> => {
    if (batch.length < 2) {
      batch = []
      batchBytes = 0
      return
    }
    const parts = []
    for (const ref of batch) parts.push({ stream: ref.fingerprint, chunk: await fetchWhole(env.CHUNKS, ref) })
    const { bytes: object, directory } = encodeObject(parts)
    const key = `${COMPACTED_PREFIX}${w.tenant}/${w.start}/${crypto.randomUUID()}`
    r2ClassA(1)
    await env.CHUNKS.put(key, object)
    const db = dbFor(env.DB)
    const oldKeys = [...new Set(batch.map((r) => r.objectKey))]
    const inserts = batch.map((ref, i) => {
      const entry = directory[i]!
      return db.insert(chunks).values({ ...ref, objectKey: key, byteOffset: entry.offset, byteLength: entry.length })
    })
    const deletes = batch.map((ref) =>
      db
        .delete(chunks)
        .where(
          and(
            eq(chunks.tenant, ref.tenant),
            eq(chunks.fingerprint, ref.fingerprint),
            eq(chunks.objectKey, ref.objectKey),
            eq(chunks.byteOffset, ref.byteOffset),
          ),
        ),
    )
    const pending = db
      .insert(pendingDeletes)
      .values(oldKeys.map((objectKey) => ({ objectKey, deleteAfterMs: now + opts.deleteGraceMs })))
      .onConflictDoNothing()
    const [first, ...rest] = [...inserts, ...deletes]
    if (first) await db.batch([first, ...rest, pending])
    merged += batch.length
    objects++
    bytes += object.byteLength
    batch = []
    batchBytes = 0
  }
  for (const ref of w.refs) {
    if (batchBytes + ref.byteLength > opts.maxObjectBytes) await flush()
    batch.push(ref)
    batchBytes += ref.byteLength
  }
  await flush()
  return { merged, objects, bytes }
}

/** Deletes replaced objects whose grace period is over and no reference still names. */
async function deleteReplaced(env: { DB: D1Database; CHUNKS: R2Bucket }, now: number): Promise<number> {
  const db = dbFor(env.DB)
  const due = await db.select().from(pendingDeletes).where(lt(pendingDeletes.deleteAfterMs, now)).limit(1000)
  if (due.length === 0) return 0
  const keys = due.map((d) => d.objectKey)
  const stillUsed = new Set<string>()
  for (let i = 0; i < keys.length; i += 90) {
    const rows = await db
      .selectDistinct({ key: chunks.objectKey })
      .from(chunks)
      .where(inArray(chunks.objectKey, keys.slice(i, i + 90)))
    for (const r of rows) stillUsed.add(r.key)
  }
  const gone = keys.filter((k) => !stillUsed.has(k))
  if (gone.length > 0) {
    r2ClassA(1)
    await env.CHUNKS.delete(gone)
  }
  for (let i = 0; i < keys.length; i += 90) {
    await db.delete(pendingDeletes).where(inArray(pendingDeletes.objectKey, keys.slice(i, i + 90)))
  }
  return gone.length
}

export async function runCompaction(
  env: { DB: D1Database; CHUNKS: R2Bucket },
  now: number,
  opts: CompactionOptions = DEFAULT_COMPACTION,
): Promise<CompactionReport> {
  const objectsDeleted = await deleteReplaced(env, now)
  const windows = await smallChunkWindows(env.DB, opts)
  let chunksMerged = 0
  let objectsWritten = 0
  let bytesWritten = 0
  for (const w of windows) {
    const r = await compactWindow(env, w, opts, now)
    chunksMerged += r.merged
    objectsWritten += r.objects
    bytesWritten += r.bytes
  }
  return { windows: windows.length, chunksMerged, objectsWritten, bytesWritten, objectsDeleted }
}

