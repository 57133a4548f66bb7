/**
 * A chunk: the entries of one stream in timestamp order, cut into independently compressed
 * blocks, then a block index and a fixed-size footer that points at it. A reader needs only the
 * chunk's tail (one suffix range read) to know which byte ranges hold which time ranges. This
 * module holds the format's constants, parses footers and indexes (checking every offset before
 * it is trusted) and decompresses single blocks; `chunk-writer.ts` encodes and `reader.ts`
 * fetches.
 */

import { decodeBlock } from './block'
import { ByteReader, isInt64 } from './bytes'
import { codecFromId, decompress } from './codec'
import { crc32 } from './crc32'
import { ChunkError, corrupt } from './errors'
import type { BlockRef, ChunkEntry, ChunkIndex, CodecName } from './types'

export const CHUNK_VERSION = 1
export const CHUNK_HEADER_SIZE = 8
export const CHUNK_FOOTER_SIZE = 24
export const DEFAULT_BLOCK_SIZE = 1024 * 1024
export const DEFAULT_CODEC: CodecName = 'gzip'
/** Largest block payload a reader will allocate; the encoder never writes a larger one. */
export const MAX_BLOCK_RAW_SIZE = 16 * 1024 * 1024
/** Largest block index a reader will fetch (about 300 000 blocks). */
export const MAX_INDEX_SIZE = 4 * 1024 * 1024

export const CHUNK_MAGIC = [0x45, 0x4c, 0x4b, 0x43] // "ELKC"

export interface ChunkFooter {
  version: number
  codec: CodecName
  indexOffset: number
  indexLength: number
  indexCrc: number
}

function checkMagic(bytes: Uint8Array, at: number, what: string): void {
  for (let i = 0; i < 4; i++) {
    if (bytes[at + i] !== CHUNK_MAGIC[i]) throw new ChunkError('bad_magic', `${what} is not an edgeloki chunk`)
  }
}

/** Parses the fixed-size footer from the last bytes of a chunk of `totalSize` bytes. */
export function parseChunkFooter(tail: Uint8Array, totalSize: number): ChunkFooter {
  if (!Number.isSafeInteger(totalSize) || totalSize < CHUNK_HEADER_SIZE + CHUNK_FOOTER_SIZE) {
    throw new ChunkError('truncated', `chunk of ${totalSize} bytes is shorter than header and footer`)
  }
  if (tail.length < CHUNK_FOOTER_SIZE || tail.length > totalSize) {
    throw new ChunkError('truncated', `tail of ${tail.length} bytes cannot hold the footer`)
  }
  const at = tail.length - CHUNK_FOOTER_SIZE
  checkMagic(tail, at + 20, 'footer')
  const r = new ByteReader(tail, at)
  const indexOffset = r.u64()
  const indexLength = r.u32()
  const indexCrc = r.u32()
  const version = r.u8()
  if (version !== CHUNK_VERSION) {
    throw new ChunkError('unsupported_version', `chunk format version ${version} (this reader knows ${CHUNK_VERSION})`)
  }
  const codec = codecFromId(r.u8())
  if (indexLength > MAX_INDEX_SIZE) throw new ChunkError('too_large', `chunk index of ${indexLength} bytes exceeds ${MAX_INDEX_SIZE}`)
  if (indexOffset < CHUNK_HEADER_SIZE || indexOffset + indexLength + CHUNK_FOOTER_SIZE !== totalSize) {
    throw corrupt(`footer points at index [${indexOffset}, +${indexLength}) in a chunk of ${totalSize} bytes`)
  }
  return { version, codec, indexOffset, indexLength, indexCrc }
}

/** How many trailing bytes of the chunk are needed to read footer and index. */
export function chunkTailSize(footer: ChunkFooter): number {
  return footer.indexLength + CHUNK_FOOTER_SIZE
}

/**
 * Reads the block index from the last bytes of a chunk. `tail` must cover the index and the
 * footer (see `chunkTailSize`); otherwise a `truncated` error says how many bytes are needed.
 */
export function readChunkIndex(tail: Uint8Array, totalSize: number): ChunkIndex {
  const footer = parseChunkFooter(tail, totalSize)
  const need = chunkTailSize(footer)
  if (tail.length < need) throw new ChunkError('truncated', `the index needs the last ${need} bytes, got ${tail.length}`)
  const indexStart = tail.length - need
  const indexBytes = tail.subarray(indexStart, indexStart + footer.indexLength)
  if (crc32(indexBytes) !== footer.indexCrc) throw new ChunkError('checksum', 'chunk index checksum mismatch')
  const r = new ByteReader(indexBytes)
  const count = r.uvarint()
  if (count < 1 || count > indexBytes.length) throw corrupt(`index claims ${count} blocks`)
  const blocks: BlockRef[] = []
  let offset = CHUNK_HEADER_SIZE
  let prevMax: bigint | undefined
  for (let i = 0; i < count; i++) {
    const length = r.uvarint()
    const minTs = r.int64()
    const maxTs = minTs + r.uvarintBig()
    const entries = r.uvarint()
    const rawSize = r.uvarint()
    if (length < 1 || offset + length > footer.indexOffset) throw corrupt(`block ${i} runs past the index`)
    if (entries < 1 || entries > rawSize || rawSize > MAX_BLOCK_RAW_SIZE) throw corrupt(`block ${i} has implausible sizes`)
    if (!isInt64(maxTs) || (prevMax !== undefined && minTs < prevMax)) throw corrupt(`block ${i} is out of time order`)
    blocks.push({ offset, length, minTs, maxTs, entries, rawSize })
    offset += length
    prevMax = maxTs
  }
  if (r.remaining !== 0 || offset !== footer.indexOffset) throw corrupt('index does not cover the blocks exactly')
  return { version: footer.version, codec: footer.codec, blocks, size: totalSize }
}

/** Checks the header at the start of a chunk (magic and version). */
export function checkChunkHeader(head: Uint8Array): void {
  if (head.length < CHUNK_HEADER_SIZE) throw new ChunkError('truncated', 'chunk shorter than its header')
  checkMagic(head, 0, 'header')
  if (head[4] !== CHUNK_VERSION) {
    throw new ChunkError('unsupported_version', `chunk format version ${String(head[4])} (this reader knows ${CHUNK_VERSION})`)
  }
}

/** Decompresses one block's bytes (exactly `ref.length` of them) into its payload. */
export async function decompressBlock(bytes: Uint8Array, codec: CodecName, ref: BlockRef): Promise<Uint8Array> {
  if (bytes.length !== ref.length) throw new ChunkError('truncated', `block needs ${ref.length} bytes, got ${bytes.length}`)
  return decompress(codec, bytes, ref.rawSize)
}

/** Every entry of a whole in-memory chunk, in order, one block decompressed at a time. */
export async function* decodeChunk(bytes: Uint8Array): AsyncGenerator<ChunkEntry, void, undefined> {
  checkChunkHeader(bytes)
  const index = readChunkIndex(bytes, bytes.length)
  for (const ref of index.blocks) {
    const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
    let n = 0
    for (const e of decodeBlock(payload)) {
      n++
      yield e
    }
    if (n !== ref.entries) throw corrupt(`block holds ${n} entries, index says ${ref.entries}`)
  }
}
