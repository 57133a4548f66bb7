/**
 * Live tail by polling `query_range`, for a page that sends a tenant or a token: a browser sets
 * no headers on a WebSocket. The first poll reads the range's newest lines (as the tail's first
 * frame does); each later one reads forward from the newest timestamp shown, about once a
 * second. That timestamp is asked for again, since more entries may share it, and the entries
 * at it that are already shown are dropped, so no line appears twice.
 */
import { queryRange, type Credentials } from './api.mjs'
import { compareNs, rowsOf, type LogRow } from './log-rows.mjs'

const POLL_MS = 1000
const POLL_LIMIT = 1000

/** The newest timestamp shown and the keys of the entries shown at it. */
export interface Boundary {
  readonly ts: string
  readonly keys: ReadonlySet<string>
}

/** Of `rows` (newest first), those not yet shown, and the boundary once they are. */
export function pastBoundary(rows: readonly LogRow[], boundary: Boundary | null): { rows: LogRow[]; boundary: Boundary | null } {
  const fresh = boundary === null ? [...rows] : rows.filter((r) => {
    const c = compareNs(r.ts, boundary.ts)
    return c > 0 || (c === 0 && !boundary.keys.has(r.key))
  })
  const newest = fresh[0]
  if (newest === undefined) return { rows: fresh, boundary }
  const keys = new Set(boundary !== null && boundary.ts === newest.ts ? boundary.keys : [])
  for (const r of fresh) if (r.ts === newest.ts) keys.add(r.key)
  return { rows: fresh, boundary: { ts: newest.ts, keys } }
}

export interface PollEvents {
  rows(rows: readonly LogRow[]): void
  state(text: string): void
  /** The server refused a poll: polling has ended. */
  failed(message: string): void
}

export class TailPoller {
  private readonly abort = new AbortController()
  private timer: ReturnType<typeof setTimeout> | null = null
  private boundary: Boundary | null = null

  constructor(
    private readonly query: string,
    private readonly startNs: bigint,
    private readonly limit: number,
    private readonly creds: Credentials,
    private readonly events: PollEvents,
  ) {
    void this.poll(true)
  }

  stop(): void {
    this.abort.abort()
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private async poll(first: boolean): Promise<void> {
    this.timer = null
    const endNs = BigInt(Date.now()) * 1_000_000n
    const q = first
      ? { query: this.query, startNs: this.startNs, endNs, limit: this.limit }
      : { query: this.query, startNs: this.boundary === null ? this.startNs : BigInt(this.boundary.ts), endNs, limit: POLL_LIMIT, direction: 'forward' as const }
    try {
      const result = await queryRange(q, this.creds, this.abort.signal)
      if (this.abort.signal.aborted) return
      if (result.kind !== 'streams') throw new Error('the query returned no log lines')
      const rows = rowsOf(result.streams)
      const next = pastBoundary(rows, this.boundary)
      this.boundary = next.boundary
      if (first) this.events.state('Live: waiting for new lines…')
      if (next.rows.length > 0) this.events.rows(next.rows)
      // A full forward page may have more behind it: read on without waiting.
      this.timer = setTimeout(() => void this.poll(false), !first && rows.length >= POLL_LIMIT ? 0 : POLL_MS)
    } catch (err) {
      if (this.abort.signal.aborted) return
      this.events.failed(err instanceof Error ? err.message : String(err))
    }
  }
}
