/**
 * Cutting the head into a chunk: R2 put, then the D1 chunk reference, then the stream's ordering
 * state, then deleting the flushed head rows. Every step is idempotent and ordered so that a
 * failure between any two of them loses nothing; at worst a later flush writes some entries
 * twice, and readers de-duplicate identical (timestamp, line) pairs.
 */
import { ChunkWriter } from '../storage/chunk/chunk-writer'
import { chunkKey, insertChunkRef, putChunk } from '../storage/chunk-store'
import type { Head } from './head'
import type { StreamIdentity } from './types'
import { nsToMs } from '../util/time'
import type { MemoryAccount } from './memory'

export interface FlushTargets {
  readonly bucket: R2Bucket
  readonly db: D1Database
  readonly objectId: string
  readonly blockSize: number
  /** Last head row this flush covers (rows pushed while it runs wait for the next one). */
  readonly throughSeq: number
  /** Line bytes of one segment: the most a flush holds in memory at once. */
  readonly maxBytes: number
}

/** Called after each step; a throw here stops the flush as a crash would (used by tests). */
export type FlushStepHook = (step: 'stored' | 'referenced' | 'state-saved') => void

export interface FlushResult {
  readonly entries: number
  readonly key: string | null
  readonly rowsDeleted: number
}

/**
 * Flushes the oldest head rows up to `throughSeq` that fit in `maxBytes` of lines into one chunk,
 * block by block; the caller repeats it until the head is flushed through `throughSeq`.
 */
export async function flushSegment(
  head: Head,
  identity: StreamIdentity,
  targets: FlushTargets,
  saveState: (flushedThrough: number, flushedMaxTs: bigint) => void,
  memory: MemoryAccount,
  hook: FlushStepHook = () => undefined,
): Promise<FlushResult> {
  const segment = head.segment(targets.throughSeq, targets.maxBytes)
  if (!segment) return { entries: 0, key: null, rowsDeleted: 0 }
  const { entries, firstSeq, lastSeq } = segment
  if (entries.length === 0) return { entries: 0, key: null, rowsDeleted: head.deleteUpTo(lastSeq) }
  const releaseEntries = memory.hold(segment.bytes)
  let releaseChunk = (): void => undefined
  try {
    const writer = new ChunkWriter({ blockSize: targets.blockSize })
    for (const e of entries) {
      await writer.add(e.metadata ? { ts: e.ts, line: e.line, metadata: e.metadata.map(([k, v]): [string, string] => [k, v]) } : { ts: e.ts, line: e.line })
    }
    const { bytes, meta } = await writer.finish()
    releaseChunk = memory.hold(bytes.byteLength)
    const key = chunkKey(identity.tenant, identity.fingerprint, targets.objectId, firstSeq, lastSeq)
    await putChunk(targets.bucket, key, bytes)
    hook('stored')
    await insertChunkRef(targets.db, {
      tenant: identity.tenant,
      fingerprint: identity.fingerprint,
      objectKey: key,
      byteOffset: 0,
      byteLength: bytes.byteLength,
      minTsMs: nsToMs(meta.minTs),
      maxTsMs: nsToMs(meta.maxTs) + 1,
      entries: meta.entries,
      rawBytes: meta.rawBytes,
    })
    hook('referenced')
    saveState(lastSeq, meta.maxTs)
    hook('state-saved')
    const rowsDeleted = head.deleteUpTo(lastSeq)
    return { entries: entries.length, key, rowsDeleted }
  } finally {
    releaseEntries()
    releaseChunk()
  }
}
