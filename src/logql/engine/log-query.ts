/**
 * Log query evaluation (`/query_range` for log selectors). Every selected stream runs through
 * the pipeline lazily; a heap merges the streams by timestamp (oldest first for `forward`,
 * newest first for `backward`) and stops after `limit` entries, so memory holds one pending
 * entry per stream plus the result, never the whole selection. Each entry lands in the result
 * stream of its final label set (stream labels, structured metadata and parsed labels), which
 * is how structured metadata and parsers split one stored stream. `interval` keeps an entry
 * only when it is at least `interval` after (forward) or before (backward) the last kept one,
 * across all streams, like Loki's `readStreams`.
 */
import type { LogSelectorExpr, StageExpr } from '../syntax/ast'
import { pipelineStages, selectorMatchers } from '../syntax/ast'
import { abortError, QueryError } from './errors'
import { compareStrings, labelsHash, labelsKey, labelsToString } from './labels'
import { defaultPipelineFactory } from './default-pipelines'
import type { EntryLabels, LinePipeline, PipelineFactory, StreamLinePipeline } from './ports'
import { forEachConcurrent } from './concurrency'
import { leadingLineFilters, NS_PER_MS, STREAM_CONCURRENCY } from './range-eval'
import type { Labels, LogEntry, LogSource } from './source'
import { finishStats, newQueryStats, recordLine, type QueryStats } from './stats'

export interface LogQueryParams {
  /** Inclusive, nanoseconds. */
  readonly start: bigint
  /** Exclusive, nanoseconds. */
  readonly end: bigint
  readonly limit: number
  readonly direction: 'forward' | 'backward'
  /** Loki's `interval` parameter in milliseconds; 0 or absent keeps every entry. */
  readonly intervalMs?: number
}

export interface LogResultEntry {
  readonly ts: bigint
  readonly line: string
  readonly structuredMetadata: Labels
  readonly parsed: Labels
  /** The entry's place in the query's merged output, which orders a categorized group. */
  readonly seq?: number
}

export interface LogStreamResult {
  /** Every label of the stream: indexed, structured metadata and parsed. */
  readonly labels: Labels
  /** The indexed labels only (the `stream` of the categorize-labels encoding). */
  readonly stream: Labels
  readonly entries: LogResultEntry[]
}

export interface LogQueryResult {
  readonly resultType: 'streams'
  /** Sorted by label string. Entries inside a stream are ordered by `direction`. */
  readonly streams: LogStreamResult[]
}

export interface LogQueryOptions {
  readonly pipelines?: PipelineFactory
  /** Aborts reading (timeout, client gone); the evaluation rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Span length of the frontend's time split, in ms (default 1h; 0 disables). */
  readonly splitMs?: number
}

interface Head {
  readonly ts: bigint
  readonly line: string
  readonly labels: EntryLabels
  readonly key: string
}

/**
 * One stream's entries after the pipeline. Entries sharing a timestamp come out ordered by their
 * final label string (stable, so equal label sets keep the stream's order), as Loki's querier
 * merges the per-label-set batches an ingester sends.
 */
class Cursor {
  head: Head | null = null
  private batch: readonly LogEntry[] = []
  private next = 0
  /** Heads at `head.ts` still to come, and where the next one is. */
  private group: Head[] = []
  private groupAt = 0
  /** The first head after the current timestamp, read ahead. */
  private carry: Head | null = null
  constructor(
    private readonly it: AsyncIterator<readonly LogEntry[]>,
    private readonly pipeline: StreamLinePipeline,
    private readonly stats: QueryStats,
    private readonly signal: AbortSignal | undefined,
    /** Loki's hash of the stream's labels: the order of streams at one timestamp. */
    readonly hash: bigint,
  ) {}

  /** Moves to the next entry that passes the pipeline; false when the stream is exhausted. */
  async advance(): Promise<boolean> {
    if (this.groupAt < this.group.length) {
      this.head = this.group[this.groupAt++]!
      return true
    }
    const first = this.carry ?? (await this.pull())
    this.carry = null
    if (!first) {
      this.head = null
      return false
    }
    const group = [first]
    for (;;) {
      const h = await this.pull()
      if (!h) break
      if (h.ts !== first.ts) {
        this.carry = h
        break
      }
      group.push(h)
    }
    if (group.length > 1) {
      const text = new Map<Head, string>(group.map((h) => [h, labelsToString(h.labels.labels)]))
      group.sort((a, b) => compareStrings(text.get(a)!, text.get(b)!))
    }
    this.head = group[0]!
    this.group = group
    this.groupAt = 1
    return true
  }

  private async pull(): Promise<Head | null> {
    for (;;) {
      if (this.next >= this.batch.length) {
        const r = await this.it.next()
        if (r.done) return null
        this.batch = r.value
        this.next = 0
        continue
      }
      const e = this.batch[this.next++]!
      if ((this.stats.linesProcessed & 1023) === 0 && this.signal?.aborted) throw abortError(this.signal)
      recordLine(this.stats, e)
      const out = this.pipeline.process(e.ts, e.line, e.metadata)
      if (!out) continue
      this.stats.postFilterLines++
      return { ts: e.ts, line: out.line, labels: out.labels, key: out.labels.key ?? labelsKey(out.labels.labels) }
    }
  }

  async close(): Promise<void> {
    await this.it.return?.()
  }
}

/** A binary heap of cursors ordered by their head entry. */
class CursorHeap {
  private readonly items: Cursor[] = []
  constructor(private readonly before: (a: Cursor, b: Cursor) => boolean) {}

  get size(): number {
    return this.items.length
  }

  push(c: Cursor): void {
    const a = this.items
    a.push(c)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      ;[a[i], a[p]] = [a[p] as Cursor, a[i] as Cursor]
      i = p
    }
  }

  pop(): Cursor | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(l, m)) m = l
        if (r < a.length && this.less(r, m)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m] as Cursor, a[i] as Cursor]
        i = m
      }
    }
    return top
  }

  drain(): Cursor[] {
    return this.items.splice(0)
  }

  private less(i: number, j: number): boolean {
    return this.before(this.items[i] as Cursor, this.items[j] as Cursor)
  }
}

/** Loki's query frontend cuts log queries into spans of `split_queries_by_interval` (1h). */
export const DEFAULT_SPLIT_MS = 3_600_000

/**
 * The spans a query is cut into: boundaries at multiples of `splitNs` since the epoch, in the
 * order the direction reads them.
 */
export function splitRange(start: bigint, end: bigint, splitNs: bigint, forward: boolean): Array<[bigint, bigint]> {
  const out: Array<[bigint, bigint]> = []
  let t = start
  while (t < end) {
    const next = (t / splitNs) * splitNs + splitNs
    const e = next < end ? next : end
    out.push([t, e])
    t = e
  }
  return forward ? out : out.reverse()
}

interface Collector {
  readonly streams: Map<string, LogStreamResult>
  returned: number
  seq: number
}

/**
 * Whether every line that passes the leading line filters leaves the pipeline: then a stream
 * can contribute at most `limit` lines and a source may stop reading it there.
 */
function dropsNoLines(stages: readonly StageExpr[]): boolean {
  const lead = leadingLineFilters(stages).length
  return stages.slice(lead).every((s) => s.kind !== 'LineFilterExpr' && s.kind !== 'LabelFilterExpr')
}

/** Reads one time span, adding up to `limit` entries to `into`. */
async function collect(
  expr: LogSelectorExpr,
  params: LogQueryParams & { readonly limit: number },
  source: LogSource,
  stats: QueryStats,
  pipeline: LinePipeline,
  into: Collector,
  signal: AbortSignal | undefined,
): Promise<void> {
  const forward = params.direction === 'forward'
  const stages = pipelineStages(expr)
  // Loki's lessAscending / lessDescending: at one timestamp, streams by hash of their labels.
  const before = (a: Cursor, b: Cursor): boolean => {
    const x = a.head as Head
    const y = b.head as Head
    if (x.ts !== y.ts) return forward ? x.ts < y.ts : x.ts > y.ts
    if (a.hash !== b.hash) return a.hash < b.hash
    return x.key < y.key
  }
  const heap = new CursorHeap(before)
  const opened: Cursor[] = []
  try {
    const selection = source.select({
      matchers: selectorMatchers(expr),
      lineFilters: leadingLineFilters(stages),
      start: params.start,
      end: params.end,
      direction: params.direction,
      limitPerStream: dropsNoLines(stages) ? params.limit : undefined,
    })
    // Priming reads the first entry of every stream; overlap those reads.
    await forEachConcurrent(selection, STREAM_CONCURRENCY, async (stream) => {
      stats.streamsSelected++
      const cursor = new Cursor(stream.entries[Symbol.asyncIterator](), pipeline.forStream(stream.labels), stats, signal, labelsHash(stream.labels))
      opened.push(cursor)
      if (await cursor.advance()) heap.push(cursor)
    })
    const intervalNs = BigInt(Math.max(0, Math.round(params.intervalMs ?? 0))) * NS_PER_MS
    let returned = 0
    let last: bigint | null = null
    let seenTs: bigint | null = null
    const seenAtTs = new Set<string>()
    while (returned < params.limit && heap.size > 0) {
      const cursor = heap.pop() as Cursor
      const h = cursor.head as Head
      if (await cursor.advance()) heap.push(cursor)
      // Identical entries of identical label sets coming from different streams count once.
      if (seenTs !== h.ts) {
        seenTs = h.ts
        seenAtTs.clear()
      }
      const ident = h.key + '\u0000' + h.line
      if (seenAtTs.has(ident)) continue
      seenAtTs.add(ident)
      if (intervalNs > 0n && last !== null) {
        const keep = forward ? h.ts >= last + intervalNs : h.ts <= last - intervalNs
        if (!keep) continue
      }
      let s = into.streams.get(h.key)
      if (!s) {
        s = { labels: h.labels.labels, stream: h.labels.stream, entries: [] }
        into.streams.set(h.key, s)
      }
      s.entries.push({ ts: h.ts, line: h.line, structuredMetadata: h.labels.structuredMetadata, parsed: h.labels.parsed, seq: into.seq++ })
      last = h.ts
      returned++
    }
    into.returned += returned
  } finally {
    heap.drain()
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)))
  }
}

export async function evaluateLogQuery(
  expr: LogSelectorExpr,
  params: LogQueryParams,
  source: LogSource,
  stats: QueryStats = newQueryStats(),
  options: LogQueryOptions = {},
): Promise<LogQueryResult> {
  if (!(params.limit > 0)) throw new QueryError('limit must be a positive value')
  const pipeline = (options.pipelines ?? defaultPipelineFactory()).linePipeline(pipelineStages(expr))
  const into: Collector = { streams: new Map(), returned: 0, seq: 0 }
  try {
    // Without `interval` the spans change nothing, so the range is read in one go; with it,
    // each span restarts the interval at its own first entry, as the split frontend does.
    const splitMs = options.splitMs ?? DEFAULT_SPLIT_MS
    const spans =
      (params.intervalMs ?? 0) > 0 && splitMs > 0
        ? splitRange(params.start, params.end, BigInt(splitMs) * NS_PER_MS, params.direction === 'forward')
        : [[params.start, params.end] as [bigint, bigint]]
    for (const [start, end] of spans) {
      if (into.returned >= params.limit) break
      stats.splits++
      await collect(expr, { ...params, start, end, limit: params.limit - into.returned }, source, stats, pipeline, into, options.signal)
    }
    stats.entriesReturned += into.returned
    const keyed = [...into.streams.values()].map((s) => [labelsToString(s.labels), s] as const)
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return { resultType: 'streams', streams: keyed.map((k) => k[1]) }
  } finally {
    finishStats(stats)
  }
}

/**
 * Regroups a result by indexed labels, as Loki answers with the `categorize-labels` encoding
 * flag: entries of one stored stream with different metadata or parsed labels share a stream,
 * in the order the merge emitted them.
 */
export function groupByIndexedLabels(result: LogQueryResult, direction: 'forward' | 'backward'): LogStreamResult[] {
  const groups = new Map<string, { stream: Labels; entries: LogResultEntry[] }>()
  for (const s of result.streams) {
    const key = labelsToString(s.stream)
    let g = groups.get(key)
    if (!g) {
      g = { stream: s.stream, entries: [] }
      groups.set(key, g)
    }
    g.entries.push(...s.entries)
  }
  const out: LogStreamResult[] = []
  const keys = [...groups.keys()].sort()
  for (const k of keys) {
    const g = groups.get(k) as { stream: Labels; entries: LogResultEntry[] }
    const entries = g.entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => {
        if (a.e.ts !== b.e.ts) return (a.e.ts < b.e.ts) === (direction === 'forward') ? -1 : 1
        return (a.e.seq ?? a.i) - (b.e.seq ?? b.i)
      })
      .map((x) => x.e)
    out.push({ labels: g.stream, stream: g.stream, entries })
  }
  return out
}
