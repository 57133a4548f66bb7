/**
 * What crosses from the Worker to a tenant's Tailer object: the tail a socket was opened with
 * (headers of the upgrade), the entries ingesters stored, and the summary the push path caches to
 * decide whether a push concerns any tail at all.
 */
import type { FrameFormat } from './frames'

/** A validated tail request, as the socket's attachment keeps it (at most 16 KiB). */
export interface TailSpec {
  readonly query: string
  readonly format: FrameFormat
  readonly delayForMs: number
  /** `max_concurrent_tail_requests` of the tenant. */
  readonly maxConcurrent: number
  /** `tail_max_duration` in ms (0: unlimited). */
  readonly maxDurationMs: number
  /** Why the socket must close at once; checked after the tenant's tail count, as Loki does. */
  readonly refusal?: string
}

/** The answer of the open call, in response headers next to the 101. */
export const SOCKET_ID_HEADER = 'X-Tail-Socket'
/** Epoch ms before which stored entries must not be read (see `Tailer.open`). */
export const BACKFILL_AT_HEADER = 'X-Tail-Backfill-At'
export const SPEC_HEADER = 'X-Tail-Spec'

/** One stream's stored entries, packed as the ingester stores them (ingester/packing). */
export interface StoredStream {
  readonly labels: ReadonlyArray<readonly [string, string]>
  readonly entries: string
}

/** Stored streams on their way to the Tailer, stamped with when their push was stored (epoch ms). */
export interface ForwardedStream extends StoredStream {
  readonly storedAt: number
}

/**
 * Which tails are open in a tenant: their distinct queries, or null when there are too many to
 * list (then every stream is forwarded). An empty list means no tail is open.
 */
export interface TailSummary {
  readonly queries: readonly string[] | null
}

/** How long a push path may act on a summary before asking again. */
export const SUMMARY_TTL_MS = 2_000
