/**
 * Counters gathered while a query runs, which the HTTP layer turns into Loki's `stats` JSON
 * (`summary`, `querier.store.chunk`...). Sources may add their own storage figures through the
 * same object; the evaluator counts what it reads and what it returns.
 */
import type { LogEntry } from './source'

export interface QueryStats {
  /** Bytes of line text read from the source (after source-side filtering). */
  bytesProcessed: number
  /** Lines read from the source. */
  linesProcessed: number
  /** Bytes of structured metadata names and values read. */
  structuredMetadataBytesProcessed: number
  /** Lines that passed the whole pipeline. */
  postFilterLines: number
  /** Entries (log queries) or samples/series (metric queries) in the result. */
  entriesReturned: number
  /** Streams the source returned. */
  streamsSelected: number
  /** Sub-queries evaluated (time splits). */
  splits: number
  /** Storage figures a source may fill in. */
  chunksRef: number
  chunksDownloaded: number
  compressedBytes: number
  /** Wall time of evaluation in seconds, set when evaluation ends. */
  execTimeSeconds: number
  /** Set on start; used to compute execTimeSeconds. */
  startedAtMs: number
}

export function newQueryStats(): QueryStats {
  return {
    bytesProcessed: 0,
    linesProcessed: 0,
    structuredMetadataBytesProcessed: 0,
    postFilterLines: 0,
    entriesReturned: 0,
    streamsSelected: 0,
    splits: 0,
    chunksRef: 0,
    chunksDownloaded: 0,
    compressedBytes: 0,
    execTimeSeconds: 0,
    startedAtMs: Date.now(),
  }
}

/**
 * The size `stats` reports for a line: its length in UTF-16 units, which equals its UTF-8 size
 * for ASCII text. Counting exact UTF-8 bytes of every scanned line cost more than the figure is
 * worth.
 */
function statsLength(s: string): number {
  return s.length
}

export function recordLine(stats: QueryStats, entry: LogEntry): void {
  stats.linesProcessed++
  stats.bytesProcessed += entry.size ?? statsLength(entry.line)
  const metadata = entry.metadata
  if (metadata) {
    for (let i = 0; i < metadata.length; i++) {
      const m = metadata[i] as readonly [string, string]
      stats.structuredMetadataBytesProcessed += statsLength(m[0]) + statsLength(m[1])
    }
  }
}

export function finishStats(stats: QueryStats): void {
  stats.execTimeSeconds = Math.max(0, (Date.now() - stats.startedAtMs) / 1000)
}

/** Adds the read counters of a sub-query (a time split evaluated elsewhere) to a query's stats. */
export function addStats(into: QueryStats, part: QueryStats): void {
  into.bytesProcessed += part.bytesProcessed
  into.linesProcessed += part.linesProcessed
  into.structuredMetadataBytesProcessed += part.structuredMetadataBytesProcessed
  into.postFilterLines += part.postFilterLines
  into.streamsSelected += part.streamsSelected
  into.chunksRef += part.chunksRef
  into.chunksDownloaded += part.chunksDownloaded
  into.compressedBytes += part.compressedBytes
}
