/**
 * Data shapes of the write path: a decoded push request (what the client sent, labels still as
 * Prometheus text) and the distributed result (validated entries grouped by canonical stream,
 * ready to hand to one ingester per stream).
 */

export type LabelPair = [name: string, value: string]

export interface PushEntry {
  /** Unix nanoseconds. */
  ts: bigint
  line: string
  /** Structured metadata, in the order the client sent it. */
  metadata?: LabelPair[]
}

export interface PushStream {
  /** Stream labels in Prometheus text form, e.g. `{app="api", env="prod"}`. */
  labels: string
  entries: PushEntry[]
}

export interface PushRequest {
  streams: PushStream[]
  /**
   * Bytes received as the decoder counts them, when it differs from line plus metadata bytes of
   * every entry (OTLP counts resource and scope attributes once, not once per entry).
   */
  receivedBytes?: number
}

export interface DistributedStream {
  /** Sorted by name; includes `service_name`. */
  labels: ReadonlyArray<LabelPair>
  /** `{a="b", c="d"}`, exactly as Loki prints stream labels. */
  canonical: string
  /** 16 hex digits, FNV-1a 64 of `canonical`; independent of the tenant. */
  fingerprint: string
  entries: PushEntry[]
}

export interface DiscardCount {
  lines: number
  bytes: number
}

export interface PushStats {
  /** Entries in the request, valid or not. */
  linesReceived: number
  /** Bytes of line text plus structured metadata names and values in the request. */
  bytesReceived: number
  /** Rejected entries by Loki's reason label (`line_too_long`, `greater_than_max_sample_age`, ...). */
  discarded: Record<string, DiscardCount>
}

export interface DistributedPush {
  streams: DistributedStream[]
  /** Loki's error for the rejected part of the push (valid entries are still in `streams`). */
  rejected: { status: number; message: string } | null
  stats: PushStats
}
