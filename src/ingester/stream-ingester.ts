/**
 * One Durable Object per (tenant, stream): the durable head of the stream. A push is validated
 * against the stream's ordering window, de-duplicated against its last line, rate limited, and
 * appended in one implicit transaction; the call returns only once the write is durable, so an
 * acknowledged entry survives a crash. The first push registers the stream in the D1 index;
 * if that fails the alarm retries until it succeeds. No in-memory timers: idle objects hibernate.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { Head, type HeadRowMeta } from './head'
import { TokenBucket } from './rate-limiter'
import { validateOrder } from './ordering'
import { selectPage } from './select'
import { forgetStreamWithoutChunks, registerStream, updateStreamRange } from '../storage/label-index'
import type {
  HeadSelectRequest,
  HeadSelectResult,
  IngestEntry,
  StreamIdentity,
  StreamPushRequest,
  StreamPushResult,
} from './types'
import { nsToMs } from '../util/time'
import { utf8Length } from '../go/utf8'
import { doRequests, doRowsRead, doRowsWritten, streamsCreated } from '../metrics/meters'
import { streamLimiterFor, streamLimitMessage } from './stream-limiter'
import { packEntries, unpackEntries } from './packing'
import { flushedKeys, withoutStored } from './stored-duplicates'
import { flushSegment, type FlushResult, type FlushStepHook } from './flush'
import { entryBytes, MemoryAccount } from './memory'
import { memoryRefusal } from './ordering'
import type { IngesterLimits } from './types'

const HOUR_MS = 3_600_000

/** What `headSummary` returns; timestamps as decimal strings so the value crosses RPC as is. */
export interface HeadSummary {
  readonly entries: number
  readonly bytes: number
  readonly minNs: string
  readonly maxNs: string
}
const REGISTER_RETRY_MS = 2_000

/**
 * The stream this object owns, plus a random incarnation id: chunk keys are deterministic per
 * flush (so a retried flush overwrites its own object) yet never reuse a key of an earlier
 * incarnation of the object whose storage was wiped.
 */
interface StoredIdentity extends StreamIdentity {
  readonly incarnation: string
}

interface IndexState {
  /** The range recorded in D1, or null until the stream is registered. */
  firstMs: number
  lastMs: number
  registered: boolean
}

export class StreamIngester extends DurableObject<Env> {
  private readonly head: Head
  private identity: StoredIdentity | null = null
  private highestTs = 0n
  /** Newest timestamp any flush has moved to R2 (0 before the first flush). */
  private flushedMaxTs = 0n
  private lastLine: IngestEntry | null = null
  private index: IndexState | null = null
  private limiter: TokenBucket | null = null
  private indexing: Promise<void> | null = null
  private limits: IngesterLimits | null = null
  private alarmAt: number | null = null
  private flushing: Promise<FlushResult> | null = null
  /** Whether the tenant's StreamLimiter counts this stream as active. */
  private admitted = false
  private readonly memory = new MemoryAccount()
  /** A push was refused because the head is full: flush now, whatever its size. */
  private headFull = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    const sql = ctx.storage.sql
    sql.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)')
    let flushedThrough = 0
    for (const row of sql.exec<{ k: string; v: string }>('SELECT k, v FROM meta')) {
      if (row.k === 'identity') this.identity = JSON.parse(row.v) as StoredIdentity
      if (row.k === 'index') this.index = JSON.parse(row.v) as IndexState
      if (row.k === 'limits') this.limits = JSON.parse(row.v) as IngesterLimits
      if (row.k === 'admitted') this.admitted = true
      if (row.k === 'high') {
        const [high, ts, line, through, flushedMax] = JSON.parse(row.v) as [string, string, string, number, string?]
        this.highestTs = BigInt(high)
        this.lastLine = { ts: BigInt(ts), line }
        flushedThrough = through
        this.flushedMaxTs = BigInt(flushedMax ?? high)
      }
    }
    this.head = new Head(sql, flushedThrough, this.memory)
    const last = this.head.lastState()
    if (last && last.highestTs >= this.highestTs) {
      this.highestTs = last.highestTs
      this.lastLine = last.lastLine
    }
  }

  async push(req: StreamPushRequest): Promise<StreamPushResult> {
    const sql = this.ctx.storage.sql
    let rowsWritten = 0
    if (!this.admitted && req.limits.maxGlobalStreamsPerUser > 0) {
      const refused = await this.admit(req)
      if (refused) return refused
      rowsWritten++
    }
    if (!this.identity) {
      this.identity = { ...req.stream, incarnation: crypto.randomUUID().slice(0, 8) }
      sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', 'identity', JSON.stringify(this.identity))
      rowsWritten++
      streamsCreated(1)
    }
    if (!this.limits || JSON.stringify(this.limits) !== JSON.stringify(req.limits)) {
      this.limits = req.limits
      sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', 'limits', JSON.stringify(req.limits))
      rowsWritten++
    }
    const now = Date.now()
    if (!this.limiter || this.limiter.limit !== req.limits.perStreamRateLimitBytes) {
      this.limiter = new TokenBucket(req.limits.perStreamRateLimitBytes, req.limits.perStreamRateLimitBurstBytes, now)
    }
    const entries = unpackEntries(req.entries)
    const incoming = entryBytes(entries)
    // The packed text and its parsed entries.
    const release = this.memory.hold(req.entries.length + incoming)
    try {
      return await this.append(req, entries, incoming, this.limiter, rowsWritten, now)
    } finally {
      release()
    }
  }

  private async append(
    req: StreamPushRequest,
    entries: IngestEntry[],
    incoming: number,
    limiter: TokenBucket,
    rowsWritten: number,
    now: number,
  ): Promise<StreamPushResult> {
    // Entries no newer than the stream's newest may repeat stored ones (a retried push).
    const older = this.highestTs === 0n ? [] : entries.filter((e) => e.ts <= this.highestTs)
    const flushed = older.length > 0 ? await flushedKeys(this.env, req.stream, older, this.flushedMaxTs) : new Set<string>()
    // From here to the append nothing awaits, so no other push interleaves.
    const unflushed = this.head.bounds()?.bytes ?? 0
    if (unflushed > 0 && unflushed + incoming > req.limits.maxMemoryBytes) {
      // The head is full: refuse the whole push (the client retries) and make sure a flush runs.
      const refusal = memoryRefusal(req, entries, req.limits.maxMemoryBytes)
      this.headFull = true
      rowsWritten += await this.scheduleFlush(now)
      doRowsWritten(rowsWritten)
      return { accepted: 0, acceptedBytes: 0, rowsWritten, ...refusal }
    }
    const outcome = validateOrder(req, entries, this.highestTs, this.lastLine, limiter, now)
    const fresh = older.length > 0 ? withoutStored(outcome.accepted, this.head, flushed) : outcome.accepted
    if (fresh.length > 0) {
      this.highestTs = outcome.highestTs
      this.lastLine = outcome.lastLine
      rowsWritten += this.head.append(fresh, outcome.highestTs, outcome.lastLine ?? fresh[0]!)
    }
    if (fresh.length > 0) rowsWritten += await this.scheduleFlush(now)
    doRowsWritten(rowsWritten)
    if (fresh.length > 0) await this.keepIndexCurrent(fresh)
    return {
      accepted: fresh.length,
      acceptedBytes: outcome.acceptedBytes,
      error: outcome.error,
      discarded: outcome.discarded,
      rowsWritten,
      ...(fresh.length > 0 && fresh.length < entries.length ? { stored: packEntries(fresh) } : {}),
    }
  }

  async select(req: HeadSelectRequest): Promise<HeadSelectResult> {
    const scan = this.head.scan(req.start, req.end)
    doRowsRead(scan.rowsRead)
    try {
      return selectPage(scan, req)
    } finally {
      scan.release()
    }
  }

  /**
   * Size of the unflushed data as Loki's head block counts it: entries, UTF-8 bytes of the lines
   * plus 8 bytes per structured metadata pair (two symbol references), and the time bounds (ns);
   * null when empty.
   */
  async headSummary(): Promise<HeadSummary | null> {
    const scan = this.head.scan(-(2n ** 63n), 2n ** 63n)
    doRowsRead(scan.rowsRead)
    // The scan is already in stream order without duplicates.
    const entries = scan.entries
    scan.release()
    if (entries.length === 0) return null
    let bytes = 0
    let minNs = entries[0]!.ts
    let maxNs = minNs
    for (const e of entries) {
      bytes += utf8Length(e.line)
      bytes += 8 * (e.metadata?.length ?? 0)
      if (e.ts < minNs) minNs = e.ts
      if (e.ts > maxNs) maxNs = e.ts
    }
    return { entries: entries.length, bytes, minNs: minNs.toString(), maxNs: maxNs.toString() }
  }

  /** Time bounds of unflushed data in ms, or null when the head is empty. */
  /**
   * Retention: removes the stream from the D1 index when nothing of it is left (no head rows, no
   * chunk references). Pushes wait meanwhile, so the next one registers the stream again.
   */
  async forgetIfEmpty(tenant: string, fingerprint: string, labelPairs: ReadonlyArray<readonly [string, string]>): Promise<boolean> {
    return this.ctx.blockConcurrencyWhile(async () => {
      if (this.head.bounds()) return false
      if (!(await forgetStreamWithoutChunks(this.env.DB, tenant, fingerprint, labelPairs))) return false
      this.index = null
      this.ctx.storage.sql.exec("DELETE FROM meta WHERE k = 'index'")
      doRowsWritten(1)
      return true
    })
  }

  async headBounds(): Promise<HeadRowMeta | null> {
    return this.head.bounds()
  }

  /**
   * Cuts everything unflushed into chunks in R2 (Loki's `/flush`), in segments of at most the
   * chunk target and the memory bound, so a flush never holds more than one segment.
   */
  async flush(hook?: FlushStepHook): Promise<FlushResult> {
    const identity = this.identity
    if (!identity) return { entries: 0, key: null, rowsDeleted: 0 }
    // One flush at a time: a second caller waits for the running one, then flushes what is left.
    while (this.flushing) await this.flushing.catch(() => undefined)
    const run = (async () => {
      const result = await this.flushThrough(identity, hook)
      this.headFull = false
      if (this.admitted && !this.head.bounds()) await this.releaseSlot(identity)
      return result
    })()
    // Cleared as the flush settles, before any waiter resumes, so a waiter never spins on it.
    const tracked: Promise<FlushResult> = run.finally(() => {
      if (this.flushing === tracked) this.flushing = null
    })
    this.flushing = tracked
    return tracked
  }

  private async flushThrough(identity: StoredIdentity, hook: FlushStepHook | undefined): Promise<FlushResult> {
    const throughSeq = this.head.bounds()?.lastSeq ?? 0
    const limits = this.limits
    const targets = {
      bucket: this.env.CHUNKS,
      db: this.env.DB,
      objectId: `${this.ctx.id.toString()}-${identity.incarnation}`,
      blockSize: limits?.chunkBlockSize ?? 262_144,
      throughSeq,
      maxBytes: Math.min(limits?.chunkTargetRawBytes ?? Infinity, limits?.maxMemoryBytes ?? Infinity),
    }
    let entries = 0
    let rowsDeleted = 0
    let key: string | null = null
    for (;;) {
      const step = await flushSegment(this.head, identity, targets, (through, maxTs) => this.saveOrderingState(through, maxTs), this.memory, hook)
      doRowsWritten(step.rowsDeleted + (step.key ? 1 : 0))
      if (step.rowsDeleted === 0) return { entries, key, rowsDeleted }
      entries += step.entries
      rowsDeleted += step.rowsDeleted
      key = step.key ?? key
    }
  }

  /**
   * Takes a slot in the tenant's active-stream limit as the stream becomes active; null when
   * granted, else the push's answer: every entry refused with Loki's 429 text.
   */
  private async admit(req: StreamPushRequest): Promise<StreamPushResult | null> {
    doRequests(1)
    const limiter = streamLimiterFor(this.env, req.stream.tenant)
    if (await limiter.admit(req.stream.fingerprint, req.limits.maxGlobalStreamsPerUser)) {
      this.admitted = true
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('admitted', '1')")
      return null
    }
    const entries = unpackEntries(req.entries)
    let bytes = 0
    for (const e of entries) bytes += utf8Length(e.line)
    return {
      accepted: 0,
      acceptedBytes: 0,
      error: { status: 429, message: streamLimitMessage(req.stream.labels, req.stream.tenant) },
      discarded: [{ reason: 'stream_limit', lines: entries.length, bytes }],
      rowsWritten: 0,
    }
  }

  /** Gives the stream's slot back once its head is flushed empty, as Loki forgets flushed streams. */
  private async releaseSlot(identity: StreamIdentity): Promise<void> {
    doRequests(1)
    await streamLimiterFor(this.env, identity.tenant).release(identity.fingerprint)
    this.admitted = false
    this.ctx.storage.sql.exec("DELETE FROM meta WHERE k = 'admitted'")
    doRowsWritten(1)
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null
    const bounds = this.head.bounds()
    if (!bounds || !this.identity) return
    if (!this.index?.registered) await this.syncIndex(bounds.minMs, bounds.maxMs)
    const now = Date.now()
    const due = this.flushDueAt(bounds)
    if (due <= now) await this.flush()
    await this.scheduleFlush(now)
  }

  /** Persists what the head rows carried before they are deleted: ordering state and sequence. */
  private saveOrderingState(flushedThrough: number, flushedMaxTs: bigint): void {
    const last = this.lastLine
    if (!last) return
    if (flushedMaxTs > this.flushedMaxTs) this.flushedMaxTs = flushedMaxTs
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)',
      'high',
      JSON.stringify([this.highestTs.toString(), last.ts.toString(), last.line, flushedThrough, this.flushedMaxTs.toString()]),
    )
  }

  /**
   * When the head must be cut: target size (or half the memory bound) reached, a push refused
   * for room, max age, or idle period (Loki's rules).
   */
  private flushDueAt(bounds: { bytes: number; oldestWriteMs: number; newestWriteMs: number }): number {
    const limits = this.limits
    if (!limits) return bounds.oldestWriteMs
    if (this.headFull) return 0
    if (bounds.bytes >= Math.min(limits.chunkTargetRawBytes, limits.maxMemoryBytes / 2)) return 0
    return Math.min(bounds.oldestWriteMs + limits.maxChunkAgeMs, bounds.newestWriteMs + limits.chunkIdlePeriodMs)
  }

  /** Keeps one alarm pending while the head holds data; returns rows written (setAlarm is one). */
  private async scheduleFlush(now: number): Promise<number> {
    const bounds = this.head.bounds()
    if (!bounds) return 0
    const at = Math.max(now, this.flushDueAt(bounds))
    if (this.alarmAt !== null && this.alarmAt <= at) return 0
    if (this.alarmAt === null) {
      const pending = await this.ctx.storage.getAlarm()
      if (pending !== null && pending <= at) {
        this.alarmAt = pending
        return 0
      }
    }
    await this.ctx.storage.setAlarm(at)
    this.alarmAt = at
    return 1
  }

  /**
   * Registers the stream in D1 on its first push and widens its recorded time range when data
   * falls outside it. The range is kept at hour granularity, so a stream writes to D1 at most
   * once an hour of data, never per push.
   */
  private async keepIndexCurrent(entries: readonly IngestEntry[]): Promise<void> {
    let lo = Infinity
    let hi = -Infinity
    for (const e of entries) {
      const ms = nsToMs(e.ts)
      if (ms < lo) lo = ms
      if (ms > hi) hi = ms
    }
    const idx = this.index
    if (idx && idx.registered && lo >= idx.firstMs && hi <= idx.lastMs) return
    if (this.indexing) await this.indexing.catch(() => undefined)
    const again = this.index
    if (again && again.registered && lo >= again.firstMs && hi <= again.lastMs) return
    await this.syncIndex(lo, hi)
  }

  private async syncIndex(lo: number, hi: number): Promise<void> {
    const identity = this.identity
    if (!identity) return
    const prev = this.index
    const firstMs = Math.min(prev?.firstMs ?? lo, lo)
    const lastMs = Math.max(prev?.lastMs ?? hi, Math.ceil((hi + 1) / HOUR_MS) * HOUR_MS)
    const work = (async () => {
      if (prev?.registered) await updateStreamRange(this.env.DB, identity, firstMs, lastMs)
      else await registerStream(this.env.DB, identity, firstMs, lastMs)
      this.index = { firstMs, lastMs, registered: true }
      this.ctx.storage.sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', 'index', JSON.stringify(this.index))
      doRowsWritten(1)
    })()
    this.indexing = work
    try {
      await work
    } catch (err) {
      console.error('stream index update failed; retrying from the alarm', err)
      this.alarmAt = Date.now() + REGISTER_RETRY_MS
      await this.ctx.storage.setAlarm(this.alarmAt)
    } finally {
      if (this.indexing === work) this.indexing = null
    }
  }
}
