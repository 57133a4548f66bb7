/**
 * Index statistics computed the way Loki's TSDB index and ingesters compute them
 * (pkg/storage/stores/tsdb/index/chunk.go `AddChunk`, pkg/ingester/instance.go `getStats`). A
 * chunk's size is Loki's uncompressed size: line bytes plus 8 bytes per structured metadata pair,
 * rounded to the nearest KiB. A flushed chunk contributes that size and its entry count, both
 * prorated by the share of the chunk's time span inside the query and truncated; a series counts
 * only when its prorated entries are above zero. An unflushed head is one open chunk: prorated
 * by nanoseconds, bytes not rounded, and its stream counts whenever it overlaps the range.
 */
import type { Env } from '../env'
import type { LabelMatcher } from '../logql/syntax/ast'
import type { HeadSummary } from '../ingester/stream-ingester'
import { findStreams, type IndexedStream } from '../storage/label-index'
import { chunkRefsFor, newestChunkEnds } from '../storage/chunk-store'
import { ingesterFor } from '../ingester/naming'
import { doRequests } from '../metrics/meters'
import { nsToMs } from '../util/time'

/** A flushed chunk as the index describes it: bounds in ms (through inclusive), size in KiB. */
export interface ChunkMeta {
  readonly minMs: number
  readonly maxMs: number
  readonly kb: number
  readonly entries: number
}

/** An unflushed head: bounds in ns, exact bytes. */
export interface HeadMeta {
  readonly minNs: bigint
  readonly maxNs: bigint
  readonly entries: number
  readonly bytes: number
}

export interface SeriesData {
  readonly stream: IndexedStream
  readonly chunks: readonly ChunkMeta[]
  readonly head: HeadMeta | null
}

export interface IndexStats {
  streams: number
  chunks: number
  bytes: number
  entries: number
}

/**
 * Loki's util.GetFactorOfTime: the share of [minTime, maxTime] covered by [from, through]; 1 for
 * a chunk of a single instant.
 */
export function factorOfTime(from: number, through: number, minTime: number, maxTime: number): number {
  if (from > maxTime || through < minTime) return 0
  if (minTime === maxTime) return 1
  const total = maxTime - minTime
  const leading = Math.max(0, from - minTime)
  const trailing = Math.max(0, maxTime - through)
  return (total - (leading + trailing)) / total
}

/** The same on nanosecond bigints; differences are exact before the division. */
export function factorOfTimeNs(from: bigint, through: bigint, minTime: bigint, maxTime: bigint): number {
  if (from > maxTime || through < minTime) return 0
  if (minTime === maxTime) return 1
  const total = maxTime - minTime
  const leading = from > minTime ? from - minTime : 0n
  const trailing = maxTime > through ? maxTime - through : 0n
  return Number(total - (leading + trailing)) / Number(total)
}

/**
 * Bytes per entry by which a chunk's recorded raw size (metadata names and values as text)
 * exceeds Loki's count when every entry carries `detected_level`: `detected_level` plus a level
 * word is about 18 bytes of text, where Loki counts a pair as 8.
 */
const DETECTED_LEVEL_EXCESS = 10

/**
 * A flushed chunk's index size in KiB. The chunk reference records line and metadata text bytes,
 * not pairs, so with level detection on one `detected_level` pair per entry is assumed.
 */
export function chunkKb(rawBytes: number, entries: number, detectedLevel: boolean): number {
  const bytes = detectedLevel ? Math.max(0, rawBytes - entries * DETECTED_LEVEL_EXCESS) : rawBytes
  return Math.round(bytes / 1024)
}

/** Prorated KiB and entries of the chunks of one series overlapping [fromMs, throughMs]. */
export function storeShare(chunks: readonly ChunkMeta[], fromMs: number, throughMs: number): { chunks: number; kb: number; entries: number } {
  const out = { chunks: 0, kb: 0, entries: 0 }
  for (const c of chunks) {
    // The index's overlap test: the query end is exclusive, the chunk end inclusive.
    if (!(fromMs <= c.maxMs && throughMs > c.minMs)) continue
    const f = factorOfTime(fromMs, throughMs, c.minMs, c.maxMs)
    out.chunks++
    out.kb += Math.trunc(c.kb * f)
    out.entries += Math.trunc(c.entries * f)
  }
  return out
}

/** Prorated bytes and entries of a head overlapping [fromNs, throughNs], or null when apart. */
export function headShare(head: HeadMeta | null, fromNs: bigint, throughNs: bigint): { bytes: number; entries: number } | null {
  if (!head || !(fromNs < head.maxNs && throughNs > head.minNs)) return null
  const f = factorOfTimeNs(fromNs, throughNs, head.minNs, head.maxNs)
  return { bytes: Math.trunc(head.bytes * f), entries: Math.trunc(head.entries * f) }
}

async function headSummary(env: Env, tenant: string, s: IndexedStream): Promise<HeadMeta | null> {
  doRequests(1)
  const summary = (await ingesterFor(env, tenant, s.canonical).headSummary()) as HeadSummary | null
  if (!summary) return null
  return { minNs: BigInt(summary.minNs), maxNs: BigInt(summary.maxNs), entries: summary.entries, bytes: summary.bytes }
}

/**
 * The streams matching `matchers` in [startNs, endNs] with their chunk metadata and, when the
 * head can hold data of the range, their head summary.
 */
export async function loadSeries(
  env: Env,
  tenant: string,
  matchers: readonly LabelMatcher[],
  startNs: bigint,
  endNs: bigint,
  headWindowMs: number,
  detectedLevel: boolean,
): Promise<SeriesData[]> {
  const startMs = nsToMs(startNs)
  const endMs = nsToMs(endNs)
  const streams = await findStreams(env.DB, tenant, matchers, startMs, endMs)
  if (streams.length === 0) return []
  const fps = streams.map((s) => s.fingerprint)
  const byStream = new Map<string, ChunkMeta[]>()
  for (const r of await chunkRefsFor(env.DB, tenant, fps, startMs, endMs)) {
    const meta: ChunkMeta = { minMs: r.minTsMs, maxMs: r.maxTsMs, kb: chunkKb(r.rawBytes, r.entries, detectedLevel), entries: r.entries }
    const list = byStream.get(r.fingerprint)
    if (list) list.push(meta)
    else byStream.set(r.fingerprint, [meta])
  }
  const newest = await newestChunkEnds(env.DB, tenant, fps)
  return Promise.all(
    streams.map(async (s): Promise<SeriesData> => {
      const last = newest.get(s.fingerprint)
      const head = last === undefined || endMs >= last - headWindowMs ? await headSummary(env, tenant, s) : null
      return { stream: s, chunks: byStream.get(s.fingerprint) ?? [], head }
    }),
  )
}

/** `index/stats` over [fromNs, throughNs]: flushed chunks at ms precision, heads at ns. */
export function indexStats(series: readonly SeriesData[], fromNs: bigint, throughNs: bigint): IndexStats {
  const fromMs = Number(fromNs / 1_000_000n)
  const throughMs = Number((throughNs + 999_999n) / 1_000_000n)
  const out: IndexStats = { streams: 0, chunks: 0, bytes: 0, entries: 0 }
  for (const s of series) {
    const store = storeShare(s.chunks, fromMs, throughMs)
    const head = headShare(s.head, fromNs, throughNs)
    let counted = false
    if (store.entries > 0) {
      counted = true
      out.chunks += store.chunks
      out.bytes += store.kb * 1024
      out.entries += store.entries
    }
    if (head) {
      counted = true
      out.chunks++
      out.bytes += head.bytes
      out.entries += head.entries
    }
    if (counted) out.streams++
  }
  return out
}
