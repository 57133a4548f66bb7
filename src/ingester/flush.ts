/**
 * Cutting the head into a chunk: R2 put, then the D1 chunk reference, then the stream's ordering
 * state, then deleting the flushed head rows. Every step is idempotent and ordered so that a
 * failure between any two of them loses nothing; at worst a later flush writes some entries
 * twice, and readers de-duplicate identical (timestamp, line) pairs.
 */
import { encodeChunk } from '../storage/chunk'
import { chunkKey, insertChunkRef, putChunk } from '../storage/chunk-store'
import type { Head } from './head'
import type { StreamIdentity } from './types'
import { nsToMs } from '../util/time'

export interface FlushTargets {
  readonly bucket: R2Bucket
  readonly db: D1Database
  readonly objectId: string
  readonly blockSize: number
}

/** Called after each step; a throw here stops the flush as a crash would (used by tests). */
export type FlushStepHook = (step: 'stored' | 'referenced' | 'state-saved') => void

export interface FlushResult {
  readonly entries: number
  readonly key: string | null
  readonly rowsDeleted: number
}

export async function flushHead(
  head: Head,
  identity: StreamIdentity,
  targets: FlushTargets,
  saveState: (flushedThrough: number, flushedMaxTs: bigint) => void,
  hook: FlushStepHook = () => undefined,
): Promise<FlushResult> {
  const bounds = head.bounds()
  if (!bounds) return { entries: 0, key: null, rowsDeleted: 0 }
  const { entries, firstSeq } = head.entriesUpTo(bounds.lastSeq)
  if (entries.length === 0) return { entries: 0, key: null, rowsDeleted: head.deleteUpTo(bounds.lastSeq) }
  const chunkEntries = entries.map((e) =>
    e.metadata ? { ts: e.ts, line: e.line, metadata: e.metadata.map(([k, v]): [string, string] => [k, v]) } : { ts: e.ts, line: e.line },
  )
  const { bytes, meta } = await encodeChunk(chunkEntries, { blockSize: targets.blockSize })
  const key = chunkKey(identity.tenant, identity.fingerprint, targets.objectId, firstSeq, bounds.lastSeq)
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
  saveState(bounds.lastSeq, meta.maxTs)
  hook('state-saved')
  const rowsDeleted = head.deleteUpTo(bounds.lastSeq)
  return { entries: entries.length, key, rowsDeleted }
}
