/**
 * Shared shapes of the chunk codec: the entry of one stream, the per-block index record, the
 * chunk-level summary returned by the encoder, and the fetchers through which readers reach R2
 * (or any other byte store) by range.
 */

/** One log entry of a stream. `ts` is nanoseconds since the epoch (signed 64-bit range). */
export interface ChunkEntry {
  ts: bigint
  line: string
  metadata?: Array<[string, string]>
  /** The line's UTF-8 byte length, set instead of `line` when a read leaves lines out. */
  size?: number
}

/** Compression applied to each block. */
export type CodecName = 'gzip' | 'deflate-raw' | 'snappy' | 'none'

/** One block as recorded in a chunk's index. Offsets are relative to the chunk's first byte. */
export interface BlockRef {
  offset: number
  length: number
  minTs: bigint
  maxTs: bigint
  entries: number
  /** Size of the block payload once decompressed. */
  rawSize: number
}

export interface ChunkIndex {
  version: number
  codec: CodecName
  blocks: BlockRef[]
  /** Size of the whole chunk in bytes. */
  size: number
}

export interface ChunkMeta {
  minTs: bigint
  maxTs: bigint
  entries: number
  /** Bytes of line text plus structured metadata names and values (UTF-8), before encoding. */
  rawBytes: number
  blocks: number
}

export interface EncodeOptions {
  /** Target uncompressed block size in bytes (a block closes once it reaches this). */
  blockSize?: number
  codec?: CodecName
  /** Store a line's copy of its own timestamp as a reference to the entry's (default true). */
  elideTimestamps?: boolean
  /** Store runs of lowercase hex digits in lines two digits per byte (default true). */
  packHex?: boolean
}

/** Reads `length` bytes at `offset` of one stored object (an R2 range read). */
export type RangeFetcher = (offset: number, length: number) => Promise<Uint8Array>

/** Reads the last `length` bytes of one stored object (an R2 suffix read) and reports its size. */
export type SuffixFetcher = (length: number) => Promise<{ bytes: Uint8Array; totalSize: number }>

export type Direction = 'forward' | 'backward'
