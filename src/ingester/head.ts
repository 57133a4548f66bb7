/**
 * The durable head of one stream in the object's SQLite: each push's accepted entries for the
 * stream go into one packed row (or a few, to stay under the 2 MB row limit), because every row
 * written is billed. Rows carry their time bounds for pruning; there is no secondary index.
 * De-duplication and ordering happen when the head is read.
 */
import type { IngestEntry } from './types'
import { packEntry, unpackEntries, type PackedEntry } from './packing'
import { NS_PER_MS } from '../util/time'
import { sortUnique } from './entry-order'
import type { MemoryAccount } from './memory'

/** Largest head (line bytes) whose parsed entries stay cached between reads. */
const MAX_CACHED_VIEW_BYTES = 2 * 1024 * 1024

/** Packed rows stay well under the 2 MB row limit. */
const MAX_ROW_BYTES = 1_000_000


export interface HeadRowMeta {
  readonly rows: number
  readonly minMs: number
  readonly maxMs: number
  readonly bytes: number
  /** Wall-clock times the oldest and newest rows were written. */
  readonly oldestWriteMs: number
  readonly newestWriteMs: number
  readonly lastSeq: number
}

export interface HeadScan {
  /** Ascending by timestamp, push order for ties, no duplicates. */
  readonly entries: IngestEntry[]
  readonly rowsRead: number
  /** Ends the read's share of the object's memory account (a cached view stays counted). */
  readonly release: () => void
}

export interface HeadSegment {
  readonly entries: IngestEntry[]
  readonly firstSeq: number
  readonly lastSeq: number
  /** Line bytes of the segment's rows. */
  readonly bytes: number
}

function floorMs(ns: bigint): number {
  return Number(ns / NS_PER_MS)
}

function ceilMs(ns: bigint): number {
  return Number((ns + NS_PER_MS - 1n) / NS_PER_MS)
}

export class Head {
  /** Next row sequence number; never reused, even after flushed rows are deleted. */
  private nextSeq = 1
  /** The whole head parsed and sorted, until the head changes. */
  private view: { entries: IngestEntry[]; release: () => void } | null = null

  /** `flushedThrough`: the last sequence number a flush has covered (kept by the owner). */
  constructor(
    private readonly sql: SqlStorage,
    flushedThrough: number,
    private readonly memory: MemoryAccount,
  ) {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS head (
         seq INTEGER PRIMARY KEY,
         min_ms INTEGER NOT NULL,
         max_ms INTEGER NOT NULL,
         entries INTEGER NOT NULL,
         bytes INTEGER NOT NULL,
         created_ms INTEGER NOT NULL,
         high_ns TEXT NOT NULL,
         last_line TEXT NOT NULL,
         data TEXT NOT NULL
       )`,
    )
    const max = sql.exec<{ m: number | null }>('SELECT max(seq) AS m FROM head').one().m ?? 0
    this.nextSeq = Math.max(max, flushedThrough) + 1
  }

  /**
   * Appends entries as packed rows, recording the stream's highest timestamp and last line so
   * they survive a restart. Returns the number of rows written.
   */
  append(entries: readonly IngestEntry[], highestTs: bigint, lastLine: IngestEntry): number {
    let rows = 0
    let batch: PackedEntry[] = []
    let batchBytes = 0
    let minNs = 0n
    let maxNs = 0n
    let lineBytes = 0
    const flush = (): void => {
      if (batch.length === 0) return
      this.sql.exec(
        'INSERT INTO head (seq, min_ms, max_ms, entries, bytes, created_ms, high_ns, last_line, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        this.nextSeq++,
        floorMs(minNs),
        ceilMs(maxNs),
        batch.length,
        lineBytes,
        Date.now(),
        highestTs.toString(),
        JSON.stringify([lastLine.ts.toString(), lastLine.line]),
        JSON.stringify(batch),
      )
      rows++
      batch = []
      batchBytes = 0
      lineBytes = 0
    }
    for (const e of entries) {
      const size = e.line.length + 40 + (e.metadata ? JSON.stringify(e.metadata).length : 0)
      if (batch.length > 0 && batchBytes + size > MAX_ROW_BYTES) flush()
      if (batch.length === 0) {
        minNs = e.ts
        maxNs = e.ts
      } else {
        if (e.ts < minNs) minNs = e.ts
        if (e.ts > maxNs) maxNs = e.ts
      }
      batch.push(packEntry(e))
      batchBytes += size
      lineBytes += e.line.length
    }
    flush()
    this.invalidate()
    return rows
  }

  /** The persisted highest timestamp and last line, from the newest row. */
  lastState(): { highestTs: bigint; lastLine: IngestEntry } | null {
    const row = this.sql
      .exec<{ high_ns: string; last_line: string }>('SELECT high_ns, last_line FROM head ORDER BY seq DESC LIMIT 1')
      .toArray()[0]
    if (!row) return null
    const [ts, line] = JSON.parse(row.last_line) as [string, string]
    return { highestTs: BigInt(row.high_ns), lastLine: { ts: BigInt(ts), line } }
  }

  /** Time bounds of the unflushed data, or null when the head is empty. */
  bounds(): HeadRowMeta | null {
    const row = this.sql
      .exec<{ n: number; lo: number; hi: number; bytes: number; oldest: number; newest: number; seq: number }>(
        `SELECT count(*) AS n, min(min_ms) AS lo, max(max_ms) AS hi, sum(bytes) AS bytes,
                min(created_ms) AS oldest, max(created_ms) AS newest, max(seq) AS seq FROM head`,
      )
      .one()
    if (row.n === 0) return null
    return {
      rows: row.n,
      minMs: row.lo,
      maxMs: row.hi,
      bytes: row.bytes,
      oldestWriteMs: row.oldest,
      newestWriteMs: row.newest,
      lastSeq: row.seq,
    }
  }

  /**
   * The oldest rows up to `throughSeq`, as many as fit in `maxBytes` of lines (at least one),
   * in stream order and de-duplicated: one flush segment. Null when no row is left.
   */
  segment(throughSeq: number, maxBytes: number): HeadSegment | null {
    const cursor = this.sql.exec<{ seq: number; bytes: number; data: string }>(
      'SELECT seq, bytes, data FROM head WHERE seq <= ? ORDER BY seq',
      throughSeq,
    )
    const all: IngestEntry[] = []
    let firstSeq = 0
    let lastSeq = 0
    let bytes = 0
    for (const row of cursor) {
      if (lastSeq !== 0 && bytes + row.bytes > maxBytes) break
      if (firstSeq === 0) firstSeq = row.seq
      lastSeq = row.seq
      bytes += row.bytes
      for (const e of unpackEntries(row.data)) all.push(e)
    }
    if (lastSeq === 0) return null
    return { entries: sortUnique(all), firstSeq, lastSeq, bytes }
  }

  /** Deletes the rows a flush has made durable elsewhere; returns the rows deleted. */
  deleteUpTo(lastSeq: number): number {
    this.invalidate()
    return this.sql.exec('DELETE FROM head WHERE seq <= ?', lastSeq).rowsWritten
  }

  private invalidate(): void {
    this.view?.release()
    this.view = null
  }

  /**
   * The head's entries in stream order, de-duplicated, for [start, end). The parsed, sorted view
   * of the whole head is kept in memory until the head changes, so paging through a query does
   * not re-read and re-sort the rows for every page; a head larger than MAX_CACHED_VIEW_BYTES is
   * not cached and only its rows overlapping the range are read, since many objects share one
   * isolate's memory. `release` ends the read's share of the object's memory account.
   */
  scan(start: bigint, end: bigint): HeadScan {
    if (this.view) {
      const entries = this.view.entries
      return { entries: entries.slice(lowerBound(entries, start), lowerBound(entries, end)), rowsRead: 0, release: () => undefined }
    }
    const total = this.sql.exec<{ bytes: number | null }>('SELECT sum(bytes) AS bytes FROM head').one().bytes ?? 0
    const whole = total <= MAX_CACHED_VIEW_BYTES
    const cursor = whole
      ? this.sql.exec<{ data: string; bytes: number }>('SELECT data, bytes FROM head ORDER BY seq')
      : this.sql.exec<{ data: string; bytes: number }>(
          'SELECT data, bytes FROM head WHERE max_ms >= ? AND min_ms <= ? ORDER BY seq',
          floorMs(start),
          ceilMs(end),
        )
    const all: IngestEntry[] = []
    let bytes = 0
    for (const row of cursor) {
      bytes += row.bytes
      for (const e of unpackEntries(row.data)) all.push(e)
    }
    const release = this.memory.hold(bytes)
    const entries = sortUnique(all)
    const slice = entries.slice(lowerBound(entries, start), lowerBound(entries, end))
    if (!whole) return { entries: slice, rowsRead: cursor.rowsRead + 1, release }
    this.view = { entries, release }
    return { entries: slice, rowsRead: cursor.rowsRead + 1, release: () => undefined }
  }
}

/** First index whose timestamp is >= ts in an ascending list. */
function lowerBound(entries: readonly IngestEntry[], ts: bigint): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (entries[mid]!.ts < ts) lo = mid + 1
    else hi = mid
  }
  return lo
}
