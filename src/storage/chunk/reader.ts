/**
 * Reads one chunk through range reads: one read for the tail (footer and block index; a second
 * only when the index is larger than the first guess), then one read per block that overlaps the
 * requested [from, through) time range, in forward or backward order. The next needed block is
 * fetched while the current one is consumed. Entries come out one block at a time (`batches`,
 * the cheap path: one await per block) or one by one (`entries`); memory stays bounded by about
 * two blocks whatever the chunk size.
 */

import { decodeBlockEntries, type DecodeOptions } from './block'
import { CHUNK_FOOTER_SIZE, chunkTailSize, decompressBlock, parseChunkFooter, readChunkIndex } from './chunk'
import { ChunkError, corrupt } from './errors'
import type { BlockRef, ChunkEntry, ChunkIndex, Direction, RangeFetcher, SuffixFetcher } from './types'

export interface ChunkSource {
  /** Range reads relative to the chunk's first byte. */
  fetch: RangeFetcher
  /** The chunk's size when known (e.g. from its index row); otherwise `suffix` is required. */
  size?: number
  suffix?: SuffixFetcher
}

export interface ChunkReaderOptions {
  /** Bytes read from the end of the chunk on the first read (default 4 KiB). */
  tailGuess?: number
  /** A chunk of known size up to this many bytes is read whole in one request (default 64 KiB). */
  readWholeBelow?: number
}

export interface ReadRange {
  /** Inclusive, nanoseconds. */
  from: bigint
  /** Exclusive, nanoseconds. */
  through: bigint
  direction?: Direction
}

/** A fetcher for a chunk stored at `base` inside a larger object (e.g. a compacted object). */
export function sliceFetcher(fetch: RangeFetcher, base: number): RangeFetcher {
  return (offset, length) => fetch(base + offset, length)
}

export class ChunkReader {
  private readonly tailGuess: number
  private readonly readWholeBelow: number
  private indexPromise: Promise<ChunkIndex> | undefined
  /** The bytes of the tail read, with their offset in the chunk: blocks inside are not re-read. */
  private tail: { start: number; bytes: Uint8Array } | undefined

  constructor(
    private readonly source: ChunkSource,
    opts: ChunkReaderOptions = {},
  ) {
    this.tailGuess = Math.max(CHUNK_FOOTER_SIZE, opts.tailGuess ?? 4096)
    this.readWholeBelow = opts.readWholeBelow ?? 64 * 1024
    if (source.size === undefined && !source.suffix) {
      throw new ChunkError('invalid_input', 'a chunk source needs its size or a suffix fetcher')
    }
  }

  /** The block index (read once, then cached). */
  index(): Promise<ChunkIndex> {
    this.indexPromise ??= this.loadIndex()
    return this.indexPromise
  }

  private async fetchExact(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.fetch(offset, length)
    if (bytes.length !== length) {
      throw new ChunkError('truncated', `read of ${length} bytes at ${offset} returned ${bytes.length}`)
    }
    return bytes
  }

  private async loadIndex(): Promise<ChunkIndex> {
    let size = this.source.size
    let tail: Uint8Array
    if (size !== undefined) {
      if (!Number.isSafeInteger(size) || size < 0) throw new ChunkError('invalid_input', `bad chunk size ${size}`)
      const want = size <= this.readWholeBelow ? size : Math.min(size, this.tailGuess)
      tail = await this.fetchExact(size - want, want)
    } else {
      const got = await (this.source.suffix as SuffixFetcher)(this.tailGuess)
      size = got.totalSize
      tail = got.bytes
      if (tail.length > size || tail.length < Math.min(size, this.tailGuess)) {
        throw new ChunkError('truncated', `suffix read returned ${tail.length} bytes of ${size}`)
      }
    }
    const footer = parseChunkFooter(tail, size)
    const need = chunkTailSize(footer)
    if (tail.length < need) {
      const missing = await this.fetchExact(size - need, need - tail.length)
      const joined = new Uint8Array(need)
      joined.set(missing, 0)
      joined.set(tail, missing.length)
      tail = joined
    }
    this.tail = { start: size - tail.length, bytes: tail }
    return readChunkIndex(tail, size)
  }

  /** The blocks that may hold entries in [from, through), in chunk order. */
  async blocksFor(from: bigint, through: bigint): Promise<BlockRef[]> {
    const index = await this.index()
    return index.blocks.filter((b) => b.minTs < through && b.maxTs >= from)
  }

  private fetchBlock(ref: BlockRef): Promise<Uint8Array> {
    const t = this.tail
    if (t && ref.offset >= t.start) {
      const at = ref.offset - t.start
      return Promise.resolve(t.bytes.subarray(at, at + ref.length))
    }
    return this.fetchExact(ref.offset, ref.length)
  }

  /**
   * Entries in [from, through), one array per block read, in the requested direction. Blocks
   * that do not overlap the range are never fetched.
   */
  async *batches(range: ReadRange, opts: DecodeOptions = {}): AsyncGenerator<ChunkEntry[], void, undefined> {
    const index = await this.index()
    const refs = await this.blocksFor(range.from, range.through)
    const backward = range.direction === 'backward'
    if (backward) refs.reverse()
    let next: Promise<Uint8Array> | undefined = refs[0] ? this.fetchBlock(refs[0]) : undefined
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i] as BlockRef
      const bytes = await (next as Promise<Uint8Array>)
      const following = refs[i + 1]
      next = following ? this.fetchBlock(following) : undefined
      next?.catch(() => undefined)
      const payload = await decompressBlock(bytes, index.codec, ref)
      const batch = collect(payload, ref, range, opts)
      if (backward) batch.reverse()
      if (batch.length > 0) yield batch
    }
  }

  /** Entries in [from, through), one at a time, in the requested direction. */
  async *entries(range: ReadRange): AsyncGenerator<ChunkEntry, void, undefined> {
    for await (const batch of this.batches(range)) yield* batch
  }
}

function collect(payload: Uint8Array, ref: BlockRef, range: ReadRange, opts: DecodeOptions): ChunkEntry[] {
  const whole = ref.minTs >= range.from && ref.maxTs < range.through
  const out = decodeBlockEntries(payload, whole ? undefined : range, opts)
  if (whole && !opts.prefilter?.active && out.length !== ref.entries) throw corrupt(`block holds ${out.length} entries, index says ${ref.entries}`)
  return out
}
