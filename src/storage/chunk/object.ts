/**
 * Compacted objects: many complete chunks (of one or more streams) concatenated behind a small
 * header, then a directory mapping each stream key to the byte range and time range of its
 * chunks, then a fixed-size footer pointing at the directory. Each embedded chunk stays a valid
 * chunk, so a reader given a stream's byte range (from the index or the directory) reads it with
 * a `ChunkReader` over a sliced fetcher and never touches the other streams. `ObjectWriter`
 * builds the object piece by piece so a compactor can stream it out without holding it whole.
 */

import { ByteReader, ByteWriter, isInt64, zigzag64 } from './bytes'
import { readChunkIndex } from './chunk'
import { crc32 } from './crc32'
import { ChunkError, corrupt, invalid } from './errors'
import { ChunkReader, sliceFetcher, type ChunkReaderOptions } from './reader'
import type { RangeFetcher, SuffixFetcher } from './types'

export const OBJECT_VERSION = 1
export const OBJECT_HEADER_SIZE = 8
export const OBJECT_FOOTER_SIZE = 24
/** Largest directory a reader will fetch (about 300 000 chunks). */
export const MAX_DIRECTORY_SIZE = 16 * 1024 * 1024
const OBJECT_MAGIC = [0x45, 0x4c, 0x4b, 0x4f] // "ELKO"

/** One embedded chunk. `offset` is from the start of the object. */
export interface ObjectEntry {
  stream: string
  offset: number
  length: number
  minTs: bigint
  maxTs: bigint
  entries: number
}

/** What the directory needs about a chunk when its bytes are not at hand. */
export interface ChunkSummary {
  length: number
  minTs: bigint
  maxTs: bigint
  entries: number
}

export class ObjectWriter {
  /** The object's first bytes; chunk bytes follow in the order they are added. */
  readonly header = Uint8Array.from([...OBJECT_MAGIC, OBJECT_VERSION, 0, 0, 0])
  readonly directory: ObjectEntry[] = []
  private end = OBJECT_HEADER_SIZE

  /** Records the next chunk; its bytes must be written right after the previous chunk's. */
  add(stream: string, chunk: Uint8Array | ChunkSummary): ObjectEntry {
    if (typeof stream !== 'string') throw invalid('stream key must be a string')
    let summary: ChunkSummary
    if (chunk instanceof Uint8Array) {
      const index = readChunkIndex(chunk, chunk.length)
      const first = index.blocks[0]
      const last = index.blocks[index.blocks.length - 1]
      if (!first || !last) throw corrupt('chunk without blocks')
      summary = { length: chunk.length, minTs: first.minTs, maxTs: last.maxTs, entries: index.blocks.reduce((a, b) => a + b.entries, 0) }
    } else {
      summary = chunk
      if (!Number.isSafeInteger(summary.length) || summary.length < 1) throw invalid('chunk length must be positive')
    }
    const entry: ObjectEntry = { stream, offset: this.end, ...summary }
    this.directory.push(entry)
    this.end += summary.length
    return entry
  }

  /** Size of the object so far (header and chunks). */
  get size(): number {
    return this.end
  }

  /** The directory and footer: the object's last bytes. */
  finish(): Uint8Array {
    const enc = new TextEncoder()
    const dir = new ByteWriter(64 + this.directory.length * 48)
    dir.uvarint(this.directory.length)
    for (const e of this.directory) {
      const key = enc.encode(e.stream)
      dir.uvarint(key.length)
      dir.bytes(key)
      dir.uvarint(e.offset)
      dir.uvarint(e.length)
      dir.uvarintBig(zigzag64(e.minTs))
      dir.uvarintBig(e.maxTs - e.minTs)
      dir.uvarint(e.entries)
    }
    const dirBytes = dir.finish()
    const w = new ByteWriter(dirBytes.length + OBJECT_FOOTER_SIZE)
    w.bytes(dirBytes)
    w.u64(this.end)
    w.u32(dirBytes.length)
    w.u32(crc32(dirBytes))
    w.bytes(Uint8Array.from([OBJECT_VERSION, 0, 0, 0, ...OBJECT_MAGIC]))
    return w.finish()
  }
}

/** Builds a whole compacted object in memory. */
export function encodeObject(parts: ReadonlyArray<{ stream: string; chunk: Uint8Array }>): {
  bytes: Uint8Array
  directory: ObjectEntry[]
} {
  const w = new ObjectWriter()
  for (const p of parts) w.add(p.stream, p.chunk)
  const tail = w.finish()
  const out = new Uint8Array(w.size + tail.length)
  out.set(w.header, 0)
  let at = OBJECT_HEADER_SIZE
  for (const p of parts) {
    out.set(p.chunk, at)
    at += p.chunk.length
  }
  out.set(tail, at)
  return { bytes: out, directory: w.directory }
}

export interface ObjectFooter {
  dirOffset: number
  dirLength: number
  dirCrc: number
}

export function parseObjectFooter(tail: Uint8Array, totalSize: number): ObjectFooter {
  if (!Number.isSafeInteger(totalSize) || totalSize < OBJECT_HEADER_SIZE + OBJECT_FOOTER_SIZE) {
    throw new ChunkError('truncated', `object of ${totalSize} bytes is shorter than header and footer`)
  }
  if (tail.length < OBJECT_FOOTER_SIZE || tail.length > totalSize) {
    throw new ChunkError('truncated', `tail of ${tail.length} bytes cannot hold the footer`)
  }
  const at = tail.length - OBJECT_FOOTER_SIZE
  for (let i = 0; i < 4; i++) {
    if (tail[at + 20 + i] !== OBJECT_MAGIC[i]) throw new ChunkError('bad_magic', 'not an edgeloki compacted object')
  }
  const r = new ByteReader(tail, at)
  const dirOffset = r.u64()
  const dirLength = r.u32()
  const dirCrc = r.u32()
  const version = r.u8()
  if (version !== OBJECT_VERSION) {
    throw new ChunkError('unsupported_version', `object format version ${version} (this reader knows ${OBJECT_VERSION})`)
  }
  if (dirLength > MAX_DIRECTORY_SIZE) {
    throw new ChunkError('too_large', `object directory of ${dirLength} bytes exceeds ${MAX_DIRECTORY_SIZE}`)
  }
  if (dirOffset < OBJECT_HEADER_SIZE || dirOffset + dirLength + OBJECT_FOOTER_SIZE !== totalSize) {
    throw corrupt(`footer points at directory [${dirOffset}, +${dirLength}) in an object of ${totalSize} bytes`)
  }
  return { dirOffset, dirLength, dirCrc }
}

/** Reads the directory from the object's last bytes (which must cover directory and footer). */
export function readObjectDirectory(tail: Uint8Array, totalSize: number): ObjectEntry[] {
  const footer = parseObjectFooter(tail, totalSize)
  const need = footer.dirLength + OBJECT_FOOTER_SIZE
  if (tail.length < need) throw new ChunkError('truncated', `the directory needs the last ${need} bytes, got ${tail.length}`)
  const dirBytes = tail.subarray(tail.length - need, tail.length - OBJECT_FOOTER_SIZE)
  if (crc32(dirBytes) !== footer.dirCrc) throw new ChunkError('checksum', 'object directory checksum mismatch')
  const r = new ByteReader(dirBytes)
  const count = r.uvarint()
  if (count > dirBytes.length) throw corrupt(`directory claims ${count} chunks`)
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  const out: ObjectEntry[] = []
  let expected = OBJECT_HEADER_SIZE
  for (let i = 0; i < count; i++) {
    let stream: string
    try {
      stream = dec.decode(r.bytes(r.uvarint()))
    } catch (err) {
      if (err instanceof ChunkError) throw err
      throw corrupt('stream key is not UTF-8')
    }
    const offset = r.uvarint()
    const length = r.uvarint()
    const minTs = r.int64()
    const maxTs = minTs + r.uvarintBig()
    const entries = r.uvarint()
    if (offset !== expected || length < 1 || offset + length > footer.dirOffset || !isInt64(maxTs)) {
      throw corrupt(`directory entry ${i} has an impossible range`)
    }
    out.push({ stream, offset, length, minTs, maxTs, entries })
    expected = offset + length
  }
  if (r.remaining !== 0 || expected !== footer.dirOffset) throw corrupt('directory does not cover the object exactly')
  return out
}

export interface ObjectSource {
  fetch: RangeFetcher
  size?: number
  suffix?: SuffixFetcher
}

/** Reads a compacted object's directory by range reads and opens readers on its chunks. */
export class ObjectReader {
  private dirPromise: Promise<ObjectEntry[]> | undefined

  constructor(
    private readonly source: ObjectSource,
    private readonly opts: ChunkReaderOptions & { tailGuess?: number } = {},
  ) {
    if (source.size === undefined && !source.suffix) {
      throw new ChunkError('invalid_input', 'an object source needs its size or a suffix fetcher')
    }
  }

  directory(): Promise<ObjectEntry[]> {
    this.dirPromise ??= this.load()
    return this.dirPromise
  }

  private async exact(offset: number, length: number): Promise<Uint8Array> {
    const b = await this.source.fetch(offset, length)
    if (b.length !== length) throw new ChunkError('truncated', `read of ${length} bytes at ${offset} returned ${b.length}`)
    return b
  }

  private async load(): Promise<ObjectEntry[]> {
    const guess = Math.max(OBJECT_FOOTER_SIZE, this.opts.tailGuess ?? 16 * 1024)
    let size = this.source.size
    let tail: Uint8Array
    if (size !== undefined) {
      tail = await this.exact(size - Math.min(size, guess), Math.min(size, guess))
    } else {
      const got = await (this.source.suffix as SuffixFetcher)(guess)
      size = got.totalSize
      tail = got.bytes
    }
    const footer = parseObjectFooter(tail, size)
    const need = footer.dirLength + OBJECT_FOOTER_SIZE
    if (tail.length < need) {
      const missing = await this.exact(size - need, need - tail.length)
      const joined = new Uint8Array(need)
      joined.set(missing, 0)
      joined.set(tail, missing.length)
      tail = joined
    }
    return readObjectDirectory(tail, size)
  }

  /** One reader per chunk of `stream` in the object, in object order. */
  async chunks(stream: string): Promise<ChunkReader[]> {
    const dir = await this.directory()
    return dir
      .filter((e) => e.stream === stream)
      .map((e) => new ChunkReader({ fetch: sliceFetcher(this.source.fetch, e.offset), size: e.length }, this.opts))
  }
}
