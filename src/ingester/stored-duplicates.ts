/**
 * Which entries of a push are already stored: an entry identical (timestamp and line) to one in
 * the head or in a flushed chunk is dropped at ingest, so a client that retries a push after its
 * entries were flushed stores nothing twice and index statistics stay exact. Only entries no
 * newer than what the stream already holds can be duplicates, so in-order pushes skip all of it;
 * chunks are read (only their blocks in the candidates' time span) only for entries no newer
 * than the last flush.
 */
import { chunkReader, chunkRefsFor } from '../storage/chunk-store'
import type { Head } from './head'
import type { IngestEntry, StreamIdentity } from './types'
import { nsToMs } from '../util/time'

function key(ts: bigint, line: string): string {
  return `${ts}\n${line}`
}

function span(entries: readonly IngestEntry[]): { min: bigint; max: bigint } {
  let min = entries[0]!.ts
  let max = min
  for (const e of entries) {
    if (e.ts < min) min = e.ts
    if (e.ts > max) max = e.ts
  }
  return { min, max }
}

/** Keys of flushed entries at the candidates' timestamps (async: reads R2). */
export async function flushedKeys(
  env: { DB: D1Database; CHUNKS: R2Bucket },
  stream: StreamIdentity,
  candidates: readonly IngestEntry[],
  flushedMaxTs: bigint,
): Promise<Set<string>> {
  const found = new Set<string>()
  const inChunks = candidates.filter((e) => e.ts <= flushedMaxTs)
  if (inChunks.length === 0) return found
  const wanted = new Set(inChunks.map((e) => e.ts))
  const { min, max } = span(inChunks)
  const refs = await chunkRefsFor(env.DB, stream.tenant, [stream.fingerprint], nsToMs(min), nsToMs(max) + 1)
  for (const ref of refs) {
    for await (const batch of chunkReader(env.CHUNKS, ref).batches({ from: min, through: max + 1n, direction: 'forward' })) {
      for (const e of batch) if (wanted.has(e.ts)) found.add(key(e.ts, e.line))
    }
  }
  return found
}

/** The entries that are neither in `known` nor in the head (synchronous: reads the head only). */
export function withoutStored(entries: readonly IngestEntry[], head: Head, known: ReadonlySet<string>): IngestEntry[] {
  if (entries.length === 0) return []
  const { min, max } = span(entries)
  const inHead = new Set<string>()
  const scan = head.scan(min, max + 1n)
  for (const e of scan.entries) inHead.add(key(e.ts, e.line))
  scan.release()
  return entries.filter((e) => {
    const k = key(e.ts, e.line)
    return !known.has(k) && !inHead.has(k)
  })
}
