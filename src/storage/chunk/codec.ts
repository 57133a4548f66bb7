/**
 * Block compression. gzip and deflate-raw go through the runtime's native
 * CompressionStream/DecompressionStream (Node 20 and workerd alike); snappy is compressed by the
 * pure JavaScript snappyjs and decoded by src/go/snappy. Decompression always knows the size the
 * block must have (from the chunk index), so it stops as soon as the output would exceed it: a
 * hostile or corrupted block can neither allocate more than its declared size nor pass for a
 * valid one of another length.
 * Output is collected with a BYOB reader where the runtime offers one: workerd hands a
 * decompressor's output to JavaScript in 4 KiB pieces, and one native fill per block instead of
 * a promise per piece makes decompression there about twice as fast.
 */

import { compress as snappyCompress } from 'snappyjs'
import { snappyDecode } from '../../go/snappy'
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

/** Thrown inside `drain` when a stream yields more than it may. */
class Overflow extends Error {}

/**
 * Reads a stream to its end into one buffer of at most `limit` bytes (or growing past `limit`
 * when `grow`). Where the stream supports it (workerd), a BYOB reader fills the buffer natively
 * in one call; otherwise chunks are copied in as they come. Either way, one byte past `limit`
 * stops the read.
 */
export async function drain(readable: ReadableStream<Uint8Array>, limit: number, grow: boolean): Promise<Uint8Array> {
  let byob: ReadableStreamBYOBReader | undefined
  try {
    byob = readable.getReader({ mode: 'byob' })
  } catch {
    byob = undefined
  }
  let buf = new Uint8Array(limit + 1)
  let at = 0
  const room = (): void => {
    if (at < buf.length) return
    if (!grow) throw new Overflow()
    const next = new Uint8Array(buf.length * 2)
    next.set(buf)
    buf = next
  }
  if (byob) {
    const reader = byob
    try {
      for (;;) {
        const view = buf.subarray(at)
        const { done, value } =
          typeof reader.readAtLeast === 'function' ? await reader.readAtLeast(view.length, view) : await reader.read(view)
        if (value) {
          // Each read transfers the buffer: keep the new one.
          buf = new Uint8Array(value.buffer)
          at += value.byteLength
        }
        if (done) break
        room()
      }
    } catch (err) {
      await reader.cancel().catch(() => undefined)
      throw err
    }
    if (!grow && at > limit) throw new Overflow()
    return buf.subarray(0, at)
  }
  const reader = readable.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      let from = 0
      while (from < value.length) {
        room()
        const n = Math.min(value.length - from, buf.length - at)
        buf.set(value.subarray(from, from + n), at)
        at += n
        from += n
      }
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined)
    throw err
  }
  if (!grow && at > limit) throw new Overflow()
  return buf.subarray(0, at)
}

async function transform(data: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number, grow: boolean): Promise<Uint8Array> {
  const writer = stream.writable.getWriter()
  const writing = writer.write(data).then(() => writer.close())
  writing.catch(() => undefined)
  try {
    const out = await drain(stream.readable, limit, grow)
    await writing
    return out
  } catch (err) {
    await writer.abort().catch(() => undefined)
    throw err
  }
}

export async function compress(codec: CodecName, data: Uint8Array): Promise<Uint8Array> {
  if (codec === 'none') return data.slice()
  if (codec === 'snappy') return snappyCompress(data)
  // Deflate never grows data by more than a few bytes per 16 KiB, plus its header.
  const out = await transform(data, new CompressionStream(codec), data.length + (data.length >>> 10) + 64, true)
  return out.length === out.buffer.byteLength ? out : out.slice()
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
      out = snappyDecode(data, size, (declared) => sizeMismatch(declared, size))
    } catch (err) {
      throw new ChunkError('corrupt', 'snappy block cannot be decompressed', { cause: err })
    }
    if (out.length !== size) throw sizeMismatch(out.length, size)
    return out
  }
  let out: Uint8Array
  try {
    out = await transform(data, new DecompressionStream(codec), size, false)
  } catch (err) {
    if (err instanceof Overflow) throw new ChunkError('corrupt', `block decompresses past its declared ${size} bytes`)
    throw new ChunkError('corrupt', `${codec} block cannot be decompressed`, { cause: err })
  }
  if (out.length !== size) throw sizeMismatch(out.length, size)
  return out
}

function sizeMismatch(got: number, want: number): ChunkError {
  return new ChunkError('corrupt', `block decompressed to ${got} bytes, index says ${want}`)
}
