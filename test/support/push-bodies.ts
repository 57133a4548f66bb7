/**
 * Builders shared by the distributor's tests: protobuf PushRequests written with pbf's writer,
 * snappy-compressed with snappyjs, and gzip/deflate bodies made with `CompressionStream`.
 */

import { PbfWriter } from 'pbf'
import { compress } from 'snappyjs'
import type { PushRequest } from '../../src/distributor/types'
import { concat } from '../../src/distributor/body'

export function encodeProto(req: PushRequest): Uint8Array {
  const w = new PbfWriter()
  for (const s of req.streams) {
    w.writeMessage(1, (stream: typeof s, pw: PbfWriter) => {
      pw.writeStringField(1, stream.labels)
      for (const e of stream.entries) {
        pw.writeMessage(2, (entry: typeof e, ew: PbfWriter) => {
          ew.writeMessage(1, (ts: bigint, tw: PbfWriter) => {
            tw.writeVarintField(1, Number(ts / 1_000_000_000n))
            tw.writeVarintField(2, Number(ts % 1_000_000_000n))
          }, entry.ts)
          ew.writeStringField(2, entry.line)
          for (const [n, v] of entry.metadata ?? []) {
            ew.writeMessage(3, (pair: [string, string], lw: PbfWriter) => {
              lw.writeStringField(1, pair[0])
              lw.writeStringField(2, pair[1])
            }, [n, v] as [string, string])
          }
        }, e)
      }
    }, s)
  }
  return w.finish()
}

export function snappyProto(req: PushRequest): Uint8Array {
  return compress(encodeProto(req))
}

export async function compressWith(format: 'gzip' | 'deflate' | 'deflate-raw', data: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream(format)
  const writer = cs.writable.getWriter()
  void writer.write(data)
  void writer.close()
  const chunks: Uint8Array[] = []
  const reader = cs.readable.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
  }
  return concat(chunks, chunks.reduce((n, c) => n + c.length, 0))
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
