/**
 * Block compression. gzip and deflate-raw go through the runtime's native
 * CompressionStream/DecompressionStream (Node 20 and workerd alike); snappy through the pure
 * JavaScript snappyjs. Decompression always knows the size the block must have (from the chunk
 * index), so it stops as soon as the output would exceed it: a hostile or corrupted block can
 * neither allocate more than its declared size nor pass for a valid one of another length.
 */

import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs'
import { ChunkError } from './errors'
import type { CodecName } from './types'

const CODEC_IDS: Record<CodecName, number> = { none: 0, gzip: 1, 'deflate-raw': 2, snappy: 3 }
const CODEC_BY_ID: readonly CodecName[] = ['none', 'gzip', 'deflate-raw', 'snappy']

export function codecId(codec: CodecName): number {
  const id = CODEC_IDS[codec]
  if (id === undefined) throw new ChunkError('invalid_input', `unknown codec ${String(codec)}`)
  return id
}

export function codecFromId(id: number): CodecName {
  const name = CODEC_BY_ID[id]
  if (name === undefined) throw new ChunkError('unsupported_codec', `unknown codec id ${id}`)
  return name
}

async function pump(
  data: Uint8Array,
  stream: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
  sink: (part: Uint8Array) => void,
): Promise<void> {
  const writer = stream.writable.getWriter()
  const writing = writer.write(data).then(() => writer.close())
  writing.catch(() => undefined)
  const reader = stream.readable.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      sink(value)
    }
    await writing
  } catch (err) {
    await reader.cancel().catch(() => undefined)
    await writer.abort().catch(() => undefined)
    throw err
  }
}

export async function compress(codec: CodecName, data: Uint8Array): Promise<Uint8Array> {
  if (codec === 'none') return data.slice()
  if (codec === 'snappy') return snappyCompress(data)
  const parts: Uint8Array[] = []
  let total = 0
  await pump(data, new CompressionStream(codec), (p) => {
    parts.push(p)
    total += p.length
  })
  if (parts.length === 1 && parts[0]) return parts[0]
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Decompresses one block that must come out exactly `size` bytes long. */
export async function decompress(codec: CodecName, data: Uint8Array, size: number): Promise<Uint8Array> {
  if (codec === 'none') {
    if (data.length !== size) throw sizeMismatch(data.length, size)
    return data
  }
  if (codec === 'snappy') {
    let out: Uint8Array
    try {
      out = snappyUncompress(data, size)
    } catch (err) {
      throw new ChunkError('corrupt', 'snappy block cannot be decompressed', { cause: err })
    }
    if (out.length !== size) throw sizeMismatch(out.length, size)
    return out
  }
  const out = new Uint8Array(size)
  let at = 0
  class Overflow extends Error {}
  try {
    await pump(data, new DecompressionStream(codec), (p) => {
      if (at + p.length > size) throw new Overflow()
      out.set(p, at)
      at += p.length
    })
  } catch (err) {
    if (err instanceof Overflow) throw new ChunkError('corrupt', `block decompresses past its declared ${size} bytes`)
    throw new ChunkError('corrupt', `${codec} block cannot be decompressed`, { cause: err })
  }
  if (at !== size) throw sizeMismatch(at, size)
  return out
}

function sizeMismatch(got: number, want: number): ChunkError {
  return new ChunkError('corrupt', `block decompressed to ${got} bytes, index says ${want}`)
}
