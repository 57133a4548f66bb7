/**
 * Content-Encoding handling for push bodies, as `pkg/loghttp/push/push.go` does it: none and
 * `snappy` pass the bytes through (snappy is decoded with the protobuf), `gzip` and `deflate`
 * (raw DEFLATE like Go's `flate.NewReader`; a zlib-wrapped body is accepted too) are inflated with
 * the runtime's `DecompressionStream`, chunk by chunk, and stopped as soon as the output passes the
 * decompressed-size limit, so a decompression bomb is never fully inflated.
 */

import { bodyTooLarge, PushError } from './errors'
import { goQuote } from '../go/strconv'
import type { PushBodyLimits } from './limits'

const WRITE_SLICE = 64 * 1024

function looksLikeZlib(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0
}

/** Joins byte chunks whose lengths add up to `total`. */
export function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(total)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.length
  }
  return out
}

async function feed(writer: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>, body: Uint8Array): Promise<void> {
  for (let off = 0; off < body.length; off += WRITE_SLICE) {
    await writer.ready
    await writer.write(body.subarray(off, Math.min(off + WRITE_SLICE, body.length)))
  }
  await writer.close()
}

async function inflate(body: Uint8Array, format: 'gzip' | 'deflate' | 'deflate-raw', limit: number, encoding: string): Promise<Uint8Array> {
  const stream = new DecompressionStream(format)
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  const feeding = feed(writer, body).catch(() => undefined)
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > limit) {
        await reader.cancel().catch(() => undefined)
        await writer.abort().catch(() => undefined)
        throw bodyTooLarge(total, limit)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof PushError) throw err
    const text = err instanceof Error ? err.message.toLowerCase() : ''
    if (encoding === 'gzip' && text.includes('check')) throw new PushError(400, 'gzip: invalid checksum')
    if (text.includes('unexpected end') || text.includes('premature') || text.includes('incomplete') || text.includes('truncat')) {
      throw new PushError(400, 'unexpected EOF')
    }
    throw new PushError(400, 'flate: corrupt input before offset 0')
  }
  await feeding
  return concat(chunks, total)
}

/**
 * Applies the request's Content-Encoding and the size limits; returns the bytes to decode.
 * `beforeInflate` runs once the encoding is known to be supported and its header readable, before
 * any inflating (where Loki parses the media type).
 * Throws `PushError` (400 for a bad or unsupported encoding, 413 for a body over a limit).
 */
export async function decompressBody(
  body: Uint8Array,
  contentEncoding: string | null,
  limits: PushBodyLimits,
  beforeInflate: () => void = () => undefined,
): Promise<Uint8Array> {
  if (body.length > limits.maxBodyBytes) throw bodyTooLarge(body.length, limits.maxBodyBytes)
  const encoding = contentEncoding ?? ''
  switch (encoding) {
    case '':
    case 'snappy':
      beforeInflate()
      return body
    case 'gzip':
      if (body.length === 0) throw new PushError(400, 'EOF')
      if (body.length < 10 || body[0] !== 0x1f || body[1] !== 0x8b) {
        throw new PushError(400, body.length < 10 ? 'unexpected EOF' : 'gzip: invalid header')
      }
      beforeInflate()
      return inflate(body, 'gzip', limits.maxDecompressedBytes, encoding)
    case 'deflate':
      beforeInflate()
      if (body.length === 0) throw new PushError(400, 'unexpected EOF')
      return inflate(body, looksLikeZlib(body) ? 'deflate' : 'deflate-raw', limits.maxDecompressedBytes, encoding)
    default:
      throw new PushError(400, `Content-Encoding ${goQuote(encoding)} not supported`)
  }
}
