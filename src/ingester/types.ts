/**
 * What crosses the Durable Object RPC boundary between the Worker and a stream's ingester.
 * Everything here is structured-clone-able.
 */

export type MetadataPairs = ReadonlyArray<readonly [string, string]>

export interface IngestEntry {
  readonly ts: bigint
  readonly line: string
  readonly metadata?: MetadataPairs
  /** UTF-8 byte length of the line, given instead of its text by a select `withoutLines`. */
  readonly size?: number
}

/** Per-stream settings the ingester enforces, resolved from the tenant's limits. */
export interface IngesterLimits {
  readonly maxChunkAgeMs: number
  readonly chunkIdlePeriodMs: number
  /** Raw bytes of unflushed lines at which the head is cut into a chunk. */
  readonly chunkTargetRawBytes: number
  readonly chunkBlockSize: number
  /** Line bytes the head may hold unflushed; pushes past it are refused with 429. */
  readonly maxMemoryBytes: number
  readonly perStreamRateLimitBytes: number
  readonly perStreamRateLimitBurstBytes: number
  /** Loki's max_global_streams_per_user: active streams per tenant (0: no limit). */
  readonly maxGlobalStreamsPerUser: number
}

export interface StreamIdentity {
  readonly tenant: string
  readonly fingerprint: string
  /** Canonical label string `{a="b", c="d"}`. */
  readonly labels: string
  readonly labelPairs: ReadonlyArray<readonly [string, string]>
}

export interface StreamPushRequest {
  readonly stream: StreamIdentity
  /** The stream's entries in packed form (see packing.ts). */
  readonly entries: string
  readonly limits: IngesterLimits
}

export interface StreamPushResult {
  readonly accepted: number
  readonly acceptedBytes: number
  /** Loki's per-stream error (status and text) when some entries were refused. */
  readonly error: { readonly status: number; readonly message: string } | null
  readonly discarded: ReadonlyArray<{ readonly reason: string; readonly lines: number; readonly bytes: number }>
  readonly rowsWritten: number
  /** The entries stored, packed, when only some of the push's entries were (for live tails). */
  readonly stored?: string
}

/** A page request over the head: [start, end) in ns, line filters applied in the object. */
export interface HeadSelectRequest {
  readonly start: bigint
  readonly end: bigint
  readonly direction: 'forward' | 'backward'
  /** LogQL line filter stages (AST nodes) to apply before returning entries. */
  readonly lineFilters: readonly unknown[]
  readonly pageSize: number
  /** Resume strictly after this timestamp (in the request's direction). */
  readonly cursor: { readonly ts: bigint } | null
  /** Return each line as '' with its `size`: the reader needs timestamps and metadata only. */
  readonly withoutLines?: boolean
}

export interface HeadSelectResult {
  readonly entries: IngestEntry[]
  readonly next: { readonly ts: bigint } | null
  readonly bytesScanned: number
  readonly linesScanned: number
  readonly rowsRead: number
}
