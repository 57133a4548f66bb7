/**
 * Chunk objects in R2 and their references in D1. Keys are deterministic per flush, so a retried
 * flush overwrites rather than duplicates; references are inserted idempotently. Readers fetch
 * only the tail (block index) and the blocks a query needs, with R2 range reads.
 */
import { and, count, eq, gte, inArray, lte, max, sum } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { chunks, type ChunkRow } from '../db/schema'
import { ChunkReader, type ChunkSource } from './chunk/reader'
import { r2ClassA, r2ClassB } from '../metrics/meters'

const MAX_IN_LIST = 90

export function chunkKey(tenant: string, fingerprint: string, objectId: string, firstSeq: number, lastSeq: number): string {
  return `chunks/${tenant}/${fingerprint}/${objectId}/${firstSeq}-${lastSeq}`
}

export async function putChunk(bucket: R2Bucket, key: string, bytes: Uint8Array): Promise<void> {
  r2ClassA(1)
  await bucket.put(key, bytes)
}

export type NewChunkRef = typeof chunks.$inferInsert

/** Records a chunk; a retried flush that rewrote the same object replaces the earlier row. */
export async function insertChunkRef(d1: D1Database, ref: NewChunkRef): Promise<void> {
  await dbFor(d1)
    .insert(chunks)
    .values(ref)
    .onConflictDoUpdate({
      target: [chunks.tenant, chunks.fingerprint, chunks.objectKey, chunks.byteOffset],
      set: { byteLength: ref.byteLength, minTsMs: ref.minTsMs, maxTsMs: ref.maxTsMs, entries: ref.entries, rawBytes: ref.rawBytes },
    })
}

/** Chunk refs of the given streams overlapping [startMs, endMs], oldest first. */
export async function chunkRefsFor(
  d1: D1Database,
  tenant: string,
  fingerprints: readonly string[],
  startMs: number,
  endMs: number,
): Promise<ChunkRow[]> {
  const db = dbFor(d1)
  const out: ChunkRow[] = []
  for (let i = 0; i < fingerprints.length; i += MAX_IN_LIST) {
    const rows = await db
      .select()
      .from(chunks)
      .where(
        and(
          eq(chunks.tenant, tenant),
          inArray(chunks.fingerprint, fingerprints.slice(i, i + MAX_IN_LIST)),
          gte(chunks.maxTsMs, startMs),
          lte(chunks.minTsMs, endMs),
        ),
      )
    out.push(...rows)
  }
  return out.sort((a, b) => a.minTsMs - b.minTsMs)
}

/** The end (ms) of each stream's newest chunk; streams without chunks are absent. */
export async function newestChunkEnds(d1: D1Database, tenant: string, fingerprints: readonly string[]): Promise<Map<string, number>> {
  const db = dbFor(d1)
  const out = new Map<string, number>()
  for (let i = 0; i < fingerprints.length; i += MAX_IN_LIST) {
    const rows = await db
      .select({ fp: chunks.fingerprint, end: max(chunks.maxTsMs) })
      .from(chunks)
      .where(and(eq(chunks.tenant, tenant), inArray(chunks.fingerprint, fingerprints.slice(i, i + MAX_IN_LIST))))
      .groupBy(chunks.fingerprint)
    for (const r of rows) if (r.end !== null) out.set(r.fp, r.end)
  }
  return out
}

async function rangeRead(bucket: R2Bucket, key: string, offset: number, length: number): Promise<Uint8Array> {
  r2ClassB(1)
  const obj = await bucket.get(key, { range: { offset, length } })
  if (!obj) throw new Error(`chunk object ${key} is missing`)
  return new Uint8Array(await obj.arrayBuffer())
}

/** A reader over one referenced chunk, fetching by range from its object. */
export function chunkReader(bucket: R2Bucket, ref: ChunkRow): ChunkReader {
  const source: ChunkSource = {
    size: ref.byteLength,
    fetch: (offset, length) => rangeRead(bucket, ref.objectKey, ref.byteOffset + offset, length),
  }
  return new ChunkReader(source)
}

/** Bytes of chunk data referenced by the index, over all tenants (the stored-bytes gauge). */
export async function referencedChunkBytes(d1: D1Database): Promise<{ bytes: number; chunks: number; rawBytes: number }> {
  const row = await dbFor(d1)
    .select({ bytes: sum(chunks.byteLength), chunks: count(), raw: sum(chunks.rawBytes) })
    .from(chunks)
  const r = row[0]
  return { bytes: Number(r?.bytes ?? 0), chunks: r?.chunks ?? 0, rawBytes: Number(r?.raw ?? 0) }
}
