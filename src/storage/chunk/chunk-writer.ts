/**
 * Encodes the entries of one stream into a chunk. `ChunkWriter` takes entries one at a time in
 * timestamp order and keeps only the current block uncompressed, so a compactor can re-encode
 * chunks larger than memory would allow as entry arrays; `encodeChunk` sorts an array of entries
 * first (stably: entries sharing a timestamp keep their push order) and runs it through a writer.
 * Duplicates are kept; de-duplication is the ingester's job.
 */

import { BlockBuilder } from './block-writer'
import { ByteWriter, isInt64, zigzag64 } from './bytes'
import { CHUNK_MAGIC, CHUNK_VERSION, DEFAULT_BLOCK_SIZE, DEFAULT_CODEC, MAX_BLOCK_RAW_SIZE } from './chunk'
import { codecId, compress } from './codec'
import { crc32 } from './crc32'
import { invalid } from './errors'
import { TsRenderer } from './ts-text'
import type { BlockRef, ChunkEntry, ChunkMeta, CodecName, EncodeOptions } from './types'

function validate(e: ChunkEntry, i: number): void {
  if (typeof e !== 'object' || e === null) throw invalid(`entry ${i} is not an object`)
  if (typeof e.ts !== 'bigint' || !isInt64(e.ts)) throw invalid(`entry ${i}: timestamp is not a signed 64-bit bigint`)
  if (typeof e.line !== 'string') throw invalid(`entry ${i}: line is not a string`)
  if (e.line.length > MAX_BLOCK_RAW_SIZE) throw invalid(`entry ${i}: line longer than ${MAX_BLOCK_RAW_SIZE} bytes`)
  if (e.metadata === undefined) return
  if (!Array.isArray(e.metadata)) throw invalid(`entry ${i}: metadata is not an array`)
  for (const pair of e.metadata) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw invalid(`entry ${i}: metadata pairs must be [string, string]`)
    }
  }
}

export class ChunkWriter {
  private readonly codec: CodecName
  private readonly cid: number
  private readonly blockSize: number
  private readonly out: ByteWriter
  private readonly builder: BlockBuilder
  private readonly refs: BlockRef[] = []
  private rawBytes = 0
  private entries = 0
  private last: bigint | undefined
  private done = false

  constructor(opts: EncodeOptions = {}) {
    this.codec = opts.codec ?? DEFAULT_CODEC
    this.cid = codecId(this.codec)
    this.blockSize = opts.blockSize ?? DEFAULT_BLOCK_SIZE
    if (!Number.isSafeInteger(this.blockSize) || this.blockSize < 1) {
      throw invalid(`block size ${this.blockSize} is not a positive integer`)
    }
    this.out = new ByteWriter(Math.min(this.blockSize, 1 << 20))
    this.out.bytes(Uint8Array.from([...CHUNK_MAGIC, CHUNK_VERSION, this.cid, 0, 0]))
    this.builder = new BlockBuilder(opts.elideTimestamps === false ? undefined : new TsRenderer(), opts.packHex !== false)
  }

  /** Appends an entry; its timestamp must not be before the previous entry's. */
  async add(e: ChunkEntry): Promise<void> {
    if (this.done) throw invalid('chunk already finished')
    validate(e, this.entries)
    if (this.last !== undefined && e.ts < this.last) throw invalid(`entry ${this.entries} is older than the one before it`)
    this.last = e.ts
    this.entries++
    this.rawBytes += this.builder.add(e)
    if (this.builder.rawSize >= this.blockSize) await this.flush()
  }

  private async flush(): Promise<void> {
    const minTs = this.builder.minTs
    const maxTs = this.builder.maxTs
    const entries = this.builder.count
    const payload = this.builder.finish()
    if (payload.length > MAX_BLOCK_RAW_SIZE) throw invalid(`block of ${payload.length} bytes exceeds ${MAX_BLOCK_RAW_SIZE}`)
    const packed = await compress(this.codec, payload)
    this.refs.push({ offset: this.out.length, length: packed.length, minTs, maxTs, entries, rawSize: payload.length })
    this.out.bytes(packed)
  }

  /** Writes the last block, the index and the footer; the writer cannot be used afterwards. */
  async finish(): Promise<{ bytes: Uint8Array; meta: ChunkMeta }> {
    if (this.done) throw invalid('chunk already finished')
    if (this.entries === 0) throw invalid('a chunk needs at least one entry')
    if (this.builder.count > 0) await this.flush()
    this.done = true
    const index = new ByteWriter(16 + this.refs.length * 24)
    index.uvarint(this.refs.length)
    for (const b of this.refs) {
      index.uvarint(b.length)
      index.uvarintBig(zigzag64(b.minTs))
      index.uvarintBig(b.maxTs - b.minTs)
      index.uvarint(b.entries)
      index.uvarint(b.rawSize)
    }
    const indexBytes = index.view()
    const indexOffset = this.out.length
    this.out.bytes(indexBytes)
    this.out.u64(indexOffset)
    this.out.u32(indexBytes.length)
    this.out.u32(crc32(indexBytes))
    this.out.bytes(Uint8Array.from([CHUNK_VERSION, this.cid, 0, 0, ...CHUNK_MAGIC]))
    const first = this.refs[0] as BlockRef
    const last = this.refs[this.refs.length - 1] as BlockRef
    return {
      bytes: this.out.finish(),
      meta: { minTs: first.minTs, maxTs: last.maxTs, entries: this.entries, rawBytes: this.rawBytes, blocks: this.refs.length },
    }
  }
}

/** By timestamp only: the sort is stable, so entries sharing a timestamp keep their push order. */
function compareEntries(a: ChunkEntry, b: ChunkEntry): number {
  return a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1
}

/** Encodes a stream's entries (in any order) into one chunk. */
export async function encodeChunk(
  input: Iterable<ChunkEntry>,
  opts: EncodeOptions = {},
): Promise<{ bytes: Uint8Array; meta: ChunkMeta }> {
  const writer = new ChunkWriter(opts)
  const entries = Array.from(input)
  let sorted = true
  for (let i = 1; i < entries.length && sorted; i++) {
    if (compareEntries(entries[i - 1] as ChunkEntry, entries[i] as ChunkEntry) > 0) sorted = false
  }
  if (!sorted) entries.sort(compareEntries)
  for (const e of entries) await writer.add(e)
  return writer.finish()
}
