/**
 * What one socket has not yet been sent: entries waiting for the stored entries to go first,
 * entries held back by `delay_for`, and the entries dropped since the last frame. The Workers
 * runtime gives a server socket no write backpressure, so a socket's delivery is bounded the way
 * Loki's querier bounds it (10 buffered responses of 100 entries): a bucket of 1,000 entries
 * refilled at 1,000 a second; entries beyond it are dropped and listed in `dropped_entries` of
 * the next frame, at most 1,000 of them.
 */
import { MAX_DROPPED_PER_FRAME, MAX_ENTRIES_PER_FRAME } from './frames'
import { compareEntries, type DroppedEntry, type TailEntry } from './entry'

const BUCKET_ENTRIES = 10 * MAX_ENTRIES_PER_FRAME
const REFILL_PER_MS = BUCKET_ENTRIES / 1000
/** `delay_for` is at most 5 s, and a socket takes at most 1,000 entries a second after that. */
const MAX_DELAYED = 5 * BUCKET_ENTRIES + BUCKET_ENTRIES

export class Delivery {
  /** Live entries that arrived before the stored ones were sent (bounded by the bucket size). */
  readonly waiting: TailEntry[] = []
  /** Entries held back until their timestamp plus `delay_for`, in timestamp order. */
  readonly delayed: TailEntry[] = []
  private dropped: DroppedEntry[] = []
  private tokens = BUCKET_ENTRIES
  private refilledAt: number

  constructor(
    now: number,
    private readonly categorized: boolean,
  ) {
    this.refilledAt = now
  }

  drop(entries: readonly TailEntry[]): void {
    for (const e of entries) {
      if (this.dropped.length >= MAX_DROPPED_PER_FRAME) return
      this.dropped.push({ ts: e.ts, labels: this.categorized ? e.stream : e.labels })
    }
  }

  wait(entries: readonly TailEntry[]): void {
    const room = BUCKET_ENTRIES - this.waiting.length
    this.waiting.push(...entries.slice(0, Math.max(0, room)))
    if (entries.length > room) this.drop(entries.slice(Math.max(0, room)))
  }

  /** How many of `count` entries the bucket lets through now (the first ones). */
  admit(count: number, now: number): number {
    this.tokens = Math.min(BUCKET_ENTRIES, this.tokens + (now - this.refilledAt) * REFILL_PER_MS)
    this.refilledAt = now
    const n = Math.min(count, Math.floor(this.tokens))
    this.tokens -= n
    return n
  }

  /** The dropped entries to report with the next frame, cleared. */
  takeDropped(): readonly DroppedEntry[] {
    const d = this.dropped
    this.dropped = []
    return d
  }

  /** Holds entries back until `dueMs(entry)` (a bounded number; the rest is dropped); returns those already due. */
  hold(entries: readonly TailEntry[], now: number, dueMs: (e: TailEntry) => number): TailEntry[] {
    const due: TailEntry[] = []
    const overflow: TailEntry[] = []
    for (const e of entries) {
      if (dueMs(e) <= now) due.push(e)
      else if (this.delayed.length < MAX_DELAYED) this.delayed.push(e)
      else overflow.push(e)
    }
    if (overflow.length > 0) this.drop(overflow)
    this.delayed.sort(compareEntries)
    return due
  }

  /** Delayed entries due by now, removed from the buffer. */
  release(now: number, dueMs: (e: TailEntry) => number): TailEntry[] {
    let n = 0
    while (n < this.delayed.length && dueMs(this.delayed[n]!) <= now) n++
    return this.delayed.splice(0, n)
  }
}
