/**
 * The LogSource the evaluator reads from. Streams are resolved from the D1 index (tenant-scoped);
 * each stream's entries come from its chunks in R2 (only the blocks overlapping the range, by
 * range reads) and from its ingester's head, which applies the query's line filters itself so
 * only matching lines cross to the Worker. The head is asked only when it can hold entries in
 * the range. Reads start eagerly so streams are fetched concurrently; each source holds at most
 * a page or a block in memory.
 */
import type { Env } from '../env'
import type { LogEntry, LogSource, SelectRequest, StreamSelection } from '../logql/engine/source'
import type { HeadSelectResult } from '../ingester/types'
import type { ChunkRow } from '../db/schema'
import { findStreams, type IndexedStream } from '../storage/label-index'
import { chunkReader, chunkRefsFor, newestChunkEnds } from '../storage/chunk-store'
import { ingesterFor } from '../ingester/naming'
import { lineFilterFor } from '../ingester/line-filter'
import { requiredLiterals } from '../logql/log/line-filter'
import { LinePrefilter } from '../storage/chunk/line-search'
import { mergeEntries } from './merge'
import { prefetched } from './prefetch'
import { EventLoopTurns } from './event-loop-turns'
import { nsToMs } from '../util/time'
import { doRequests } from '../metrics/meters'
import type { QueryStats } from '../logql/engine/stats'
import { loadDeleteFilter, withoutDeleted, type DeleteFilter } from '../compactor/delete-filter'

const PAGE_SIZE = 5000
const NS_PER_MS = 1_000_000n

type Batch = readonly LogEntry[]

export interface SourceStats {
  streamsSelected: number
  headCalls: number
  chunksRef: number
  chunksRead: number
  linesScanned: number
  bytesScanned: number
}

export class StoreSource implements LogSource {
  readonly stats: SourceStats = { streamsSelected: 0, headCalls: 0, chunksRef: 0, chunksRead: 0, linesScanned: 0, bytesScanned: 0 }
  private readonly prefilters = new WeakMap<SelectRequest['lineFilters'], LinePrefilter>()
  private readonly turns = new EventLoopTurns()

  constructor(
    private readonly env: Env,
    private readonly tenant: string,
    /** Out-of-order window: the head never holds entries older than the newest chunk minus this. */
    private readonly headWindowMs: number,
  ) {}

  private deleteFilter: Promise<DeleteFilter | null> | null = null

  /** The tenant's delete requests, read once per source (so once per query). */
  private deletes(): Promise<DeleteFilter | null> {
    return (this.deleteFilter ??= loadDeleteFilter(this.env, this.tenant, Date.now()))
  }

  async *select(req: SelectRequest): AsyncIterable<StreamSelection> {
    const startMs = nsToMs(req.start)
    const endMs = nsToMs(req.end)
    const deletesLoaded = this.deletes()
    const streams = await findStreams(this.env.DB, this.tenant, req.matchers, startMs, endMs)
    this.stats.streamsSelected += streams.length
    const refs = new Map<string, ChunkRow[]>()
    if (streams.length > 0) {
      for (const r of await chunkRefsFor(this.env.DB, this.tenant, streams.map((s) => s.fingerprint), startMs, endMs)) {
        const list = refs.get(r.fingerprint)
        if (list) list.push(r)
        else refs.set(r.fingerprint, [r])
      }
    }
    const newestChunkMs = await newestChunkEnds(this.env.DB, this.tenant, streams.map((s) => s.fingerprint))
    const deletes = await deletesLoaded
    // Every stream's reads start before the first is yielded, so they run concurrently.
    const selections: StreamSelection[] = streams.map((s) => {
      const chunks = refs.get(s.fingerprint) ?? []
      this.stats.chunksRef += chunks.length
      const newest = newestChunkMs.get(s.fingerprint)
      const askHead = newest === undefined || endMs >= newest - this.headWindowMs
      const runs = nonOverlappingRuns(chunks)
      // A stream with deletes is read whole (deleted lines must not count towards its limit),
      // and with its lines when a request filters on them.
      const dropped = deletes?.forStream(s.labels) ?? null
      const sreq = dropped ? { ...req, limitPerStream: undefined, withoutLines: req.withoutLines === true && !dropped.needsLines } : req
      const entries =
        sreq.withoutLines && sreq.direction === 'forward' && runs.length <= 1
          ? this.entriesWithoutLines(s, runs[0] ?? [], askHead, sreq)
          : this.mergedEntries(s, runs, askHead, { ...sreq, withoutLines: false })
      return { labels: s.labels, entries: prefetched(dropped ? withoutDeleted(entries, dropped) : entries) }
    })
    yield* selections
  }

  /**
   * A stream's entries with line text: its chunk runs and its head merged, repeats dropped.
   * Chunks that do not overlap in time are read one after another, so a stream holds about one
   * block in memory per overlapping run, not one per chunk.
   */
  private mergedEntries(s: IndexedStream, runs: ReadonlyArray<readonly ChunkRow[]>, askHead: boolean, req: SelectRequest): AsyncIterable<Batch> {
    const sources = runs.map((run) => this.chainedChunks(req.direction === 'forward' ? run : [...run].reverse(), req))
    if (askHead) sources.push(this.headEntries(s, req))
    return mergeEntries(sources, req.direction === 'forward')
  }

  /**
   * A stream's entries without line text, forward. Entries without text cannot be told from
   * repeats, so its sources are only chained, never merged: that needs the chunks to form one
   * run and the head to hold nothing older than their end. A head that does hold older entries
   * (a flush under way, out-of-order writes) sends the stream through the merge with lines.
   */
  private async *entriesWithoutLines(s: IndexedStream, run: readonly ChunkRow[], askHead: boolean, req: SelectRequest): AsyncGenerator<Batch> {
    const head = askHead ? this.headEntries(s, req)[Symbol.asyncIterator]() : null
    const chunks = this.chainedChunks(run, req)
    if (!head) return yield* chunks
    const first = await head.next()
    if (first.done) return yield* chunks
    // A chunk row's maxTsMs lies past its newest entry (milliseconds, rounded up).
    const chunksEnd = run.length === 0 ? null : BigInt(run[run.length - 1]!.maxTsMs) * NS_PER_MS
    if (chunksEnd === null || first.value[0]!.ts >= chunksEnd) {
      yield* chunks
      yield first.value
      for (let r = await head.next(); !r.done; r = await head.next()) yield r.value
      return
    }
    await head.return?.()
    yield* this.mergedEntries(s, [run], askHead, { ...req, withoutLines: false })
  }

  private chainedChunks(run: readonly ChunkRow[], req: SelectRequest): AsyncIterable<Batch> {
    const read = (ref: ChunkRow): AsyncIterable<Batch> => this.chunkEntries(ref, req)
    return {
      async *[Symbol.asyncIterator]() {
        for (const ref of run) yield* read(ref)
      },
    }
  }

  private chunkEntries(ref: ChunkRow, req: SelectRequest): AsyncIterable<Batch> {
    const stats = this.stats
    const turns = this.turns
    const bucket = this.env.CHUNKS
    const keep = lineFilterFor(req.lineFilters)
    const prefilter = this.prefilterFor(req)
    return {
      async *[Symbol.asyncIterator]() {
        stats.chunksRead++
        const reader = chunkReader(bucket, ref)
        const range = { from: req.start, through: req.end, direction: req.direction }
        const scanned = { lines: 0, bytes: 0 }
        for await (const batch of reader.batches(range, { lines: req.withoutLines !== true, prefilter, scanned })) {
          stats.linesScanned += scanned.lines
          stats.bytesScanned += scanned.bytes
          await turns.scanned(scanned.lines)
          scanned.lines = 0
          scanned.bytes = 0
          const kept: LogEntry[] = []
          for (const e of batch) if (keep(e.line)) kept.push(e)
          if (kept.length > 0) yield kept
        }
        stats.linesScanned += scanned.lines
        stats.bytesScanned += scanned.bytes
      },
    }
  }

  /** One prefilter per selection: the literal text its line filters require. */
  private prefilterFor(req: SelectRequest): LinePrefilter | undefined {
    if (req.withoutLines === true || req.lineFilters.length === 0) return undefined
    let p = this.prefilters.get(req.lineFilters)
    if (!p) {
      p = new LinePrefilter(requiredLiterals(req.lineFilters))
      this.prefilters.set(req.lineFilters, p)
    }
    return p.active ? p : undefined
  }

  private fetchPage(s: IndexedStream, req: SelectRequest, cursor: { ts: bigint } | null): Promise<HeadSelectResult> {
    doRequests(1)
    this.stats.headCalls++
    const pageSize = req.limitPerStream !== undefined ? Math.min(PAGE_SIZE, req.limitPerStream) : PAGE_SIZE
    const page = ingesterFor(this.env, this.tenant, s.canonical).select({
      start: req.start,
      end: req.end,
      direction: req.direction,
      lineFilters: req.lineFilters,
      pageSize,
      cursor,
      withoutLines: req.withoutLines === true,
    })
    // RPC result types widen tuples to arrays; the values are the ones the object built.
    return page as unknown as Promise<HeadSelectResult>
  }

  private headEntries(s: IndexedStream, req: SelectRequest): AsyncIterable<Batch> {
    let pending: Promise<HeadSelectResult> | null = this.fetchPage(s, req, null)
    // Avoid an unhandled rejection if the evaluator never reads this stream.
    pending.catch(() => undefined)
    const stats = this.stats
    const fetchPage = (cursor: { ts: bigint }): Promise<HeadSelectResult> => this.fetchPage(s, req, cursor)
    return {
      async *[Symbol.asyncIterator]() {
        let delivered = 0
        while (pending) {
          const page: HeadSelectResult = await pending
          pending = null
          stats.linesScanned += page.linesScanned
          stats.bytesScanned += page.bytesScanned
          if (page.next && (req.limitPerStream === undefined || delivered + page.entries.length < req.limitPerStream)) {
            pending = fetchPage(page.next)
            pending.catch(() => undefined)
          }
          delivered += page.entries.length
          if (page.entries.length > 0) yield page.entries
        }
      },
    }
  }
}

/** Splits chunks (sorted by start time) into runs whose chunks do not overlap one another. */
export function nonOverlappingRuns(chunks: readonly ChunkRow[]): ChunkRow[][] {
  const runs: ChunkRow[][] = []
  for (const c of [...chunks].sort((a, b) => a.minTsMs - b.minTsMs)) {
    const run = runs.find((r) => r[r.length - 1]!.maxTsMs < c.minTsMs)
    if (run) run.push(c)
    else runs.push([c])
  }
  return runs
}

/**
 * Adds a source's storage figures to a query's stats: lines the source read and dropped with the
 * query's line filters (in chunks or in ingester heads) were processed too, as Loki counts them.
 */
export function addSourceStats(stats: QueryStats, src: { readonly stats: SourceStats }): QueryStats {
  stats.chunksRef += src.stats.chunksRef
  stats.chunksDownloaded += src.stats.chunksRead
  stats.linesProcessed = Math.max(stats.linesProcessed, src.stats.linesScanned)
  stats.bytesProcessed = Math.max(stats.bytesProcessed, src.stats.bytesScanned)
  return stats
}
