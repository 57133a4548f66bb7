import { describe, expect, it } from 'vitest'
import { encodeChunk } from './chunk-writer'
import { crc32 } from './crc32'
import { encodeObject, ObjectReader, ObjectWriter, readObjectDirectory } from './object'
import { ChunkReader, sliceFetcher } from './reader'
import type { ChunkEntry } from './types'

function entries(prefix: string, n: number, start: bigint): ChunkEntry[] {
  return Array.from({ length: n }, (_, i) => ({ ts: start + BigInt(i), line: `${prefix} line ${i}`, metadata: [['pod', prefix]] }))
}

const A1 = entries('a', 50, 1000n)
const B = entries('b', 30, 1010n)
const A2 = entries('a', 20, 5000n)
const chunks = {
  a1: (await encodeChunk(A1, { blockSize: 200 })).bytes,
  b: (await encodeChunk(B)).bytes,
  a2: (await encodeChunk(A2)).bytes,
}
const parts = [
  { stream: 'fp:a', chunk: chunks.a1 },
  { stream: 'fp:b', chunk: chunks.b },
  { stream: 'fp:a', chunk: chunks.a2 },
]
const object = encodeObject(parts)

function counting(bytes: Uint8Array) {
  const reads: Array<[number, number]> = []
  return {
    reads,
    fetch: async (offset: number, length: number) => {
      reads.push([offset, length])
      return bytes.slice(offset, offset + length)
    },
  }
}

async function collect(reader: ChunkReader): Promise<ChunkEntry[]> {
  const out: ChunkEntry[] = []
  for await (const e of reader.entries({ from: -(2n ** 63n), through: 2n ** 63n - 1n })) out.push(e)
  return out
}

describe('compacted objects', () => {
  it('the directory maps each stream to the byte and time range of its chunks', () => {
    expect(object.directory).toEqual([
      { stream: 'fp:a', offset: 8, length: chunks.a1.length, minTs: 1000n, maxTs: 1049n, entries: 50 },
      { stream: 'fp:b', offset: 8 + chunks.a1.length, length: chunks.b.length, minTs: 1010n, maxTs: 1039n, entries: 30 },
      { stream: 'fp:a', offset: 8 + chunks.a1.length + chunks.b.length, length: chunks.a2.length, minTs: 5000n, maxTs: 5019n, entries: 20 },
    ])
    expect(readObjectDirectory(object.bytes, object.bytes.length)).toEqual(object.directory)
  })

  it('each embedded chunk is byte-identical to the chunk that was added', () => {
    for (const [i, e] of object.directory.entries()) {
      expect(object.bytes.slice(e.offset, e.offset + e.length)).toEqual(parts[i]!.chunk)
    }
  })

  it('a stream is read from its ranges only, never touching other streams', async () => {
    const s = counting(object.bytes)
    const reader = new ObjectReader({ fetch: s.fetch, size: object.bytes.length }, { readWholeBelow: 0, tailGuess: 64 })
    const readers = await reader.chunks('fp:b')
    expect(readers).toHaveLength(1)
    expect(await collect(readers[0]!)).toEqual(B)
    const b = object.directory[1]!
    const [dirRead, ...chunkReads] = s.reads
    expect(dirRead).toEqual([object.bytes.length - 64, 64])
    expect(chunkReads.length).toBeGreaterThan(0)
    expect(chunkReads.every(([off, len]) => off >= b.offset && off + len <= b.offset + b.length)).toBe(true)
  })

  it('a stream with two chunks in the object gets two readers in object order', async () => {
    const s = counting(object.bytes)
    const suffix = async (n: number) => ({ bytes: object.bytes.slice(object.bytes.length - n), totalSize: object.bytes.length })
    const readers = await new ObjectReader({ fetch: s.fetch, suffix }).chunks('fp:a')
    expect(readers).toHaveLength(2)
    expect([...(await collect(readers[0]!)), ...(await collect(readers[1]!))]).toEqual([...A1, ...A2])
  })

  it('an unknown stream gets no readers', async () => {
    const readers = await new ObjectReader({ fetch: counting(object.bytes).fetch, size: object.bytes.length }).chunks('fp:zzz')
    expect(readers).toEqual([])
  })

  it('a directory larger than the first tail read costs one more read', async () => {
    const s = counting(object.bytes)
    const dir = await new ObjectReader({ fetch: s.fetch, size: object.bytes.length }, { tailGuess: 30 }).directory()
    expect(dir).toHaveLength(3)
    expect(s.reads).toHaveLength(2)
  })

  it('ObjectWriter streams the same bytes as encodeObject', () => {
    const w = new ObjectWriter()
    const pieces: Uint8Array[] = [w.header]
    for (const p of parts) {
      w.add(p.stream, p.chunk)
      pieces.push(p.chunk)
    }
    pieces.push(w.finish())
    const joined = new Uint8Array(pieces.reduce((a, p) => a + p.length, 0))
    let at = 0
    for (const p of pieces) {
      joined.set(p, at)
      at += p.length
    }
    expect(joined).toEqual(object.bytes)
  })

  it('ObjectWriter accepts a chunk summary instead of the bytes', () => {
    const w = new ObjectWriter()
    const e = w.add('fp:x', { length: 123, minTs: 5n, maxTs: 9n, entries: 4 })
    expect(e).toEqual({ stream: 'fp:x', offset: 8, length: 123, minTs: 5n, maxTs: 9n, entries: 4 })
    expect(w.size).toBe(131)
  })

  it('a unicode stream key round-trips', () => {
    const { bytes } = encodeObject([{ stream: '{app="café"}', chunk: chunks.b }])
    expect(readObjectDirectory(bytes, bytes.length)[0]!.stream).toBe('{app="café"}')
  })

  it('an object with no chunks has an empty directory', () => {
    const { bytes } = encodeObject([])
    expect(readObjectDirectory(bytes, bytes.length)).toEqual([])
  })

  it('a chunk read through the directory range equals a chunk read standalone', async () => {
    const e = object.directory[0]!
    const s = counting(object.bytes)
    const viaObject = await collect(new ChunkReader({ fetch: sliceFetcher(s.fetch, e.offset), size: e.length }))
    expect(viaObject).toEqual(A1)
  })
})

describe('bad compacted objects', () => {
  it('adding bytes that are not a chunk is refused', () => {
    expect(() => new ObjectWriter().add('fp', new Uint8Array(100))).toThrow(expect.objectContaining({ code: 'bad_magic' }))
  })

  it.each([
    ['a chunk instead of an object', () => chunks.a1, 'bad_magic'],
    ['a truncated object', () => object.bytes.slice(0, object.bytes.length - 5), 'bad_magic'],
    ['a flipped directory byte', () => flip(object.bytes, object.bytes.length - 30), 'checksum'],
    ['a newer object version', () => flip(object.bytes, object.bytes.length - 8, 1 ^ 2), 'unsupported_version'],
    ['a directory length of 4 GiB', () => setU32(object.bytes, object.bytes.length - 16, 0xffff_fff0), 'too_large'],
    ['a footer pointing outside the object', () => flip(object.bytes, object.bytes.length - 20, 0x40), 'corrupt'],
  ])('%s fails with %s', (_name, make, code) => {
    const bytes = make()
    expect(() => readObjectDirectory(bytes, bytes.length)).toThrow(expect.objectContaining({ name: 'ChunkError', code }))
  })

  it('a directory whose ranges overlap is corrupt even with a valid checksum', () => {
    const good = encodeObject([{ stream: 's', chunk: chunks.b }]).bytes
    // directory: count=1, keyLen=1, 's', offset=8 -> rewrite the offset to 9 and fix the checksum.
    const dirLen = new DataView(good.buffer).getUint32(good.length - 16, true)
    const dirStart = good.length - 24 - dirLen
    const bad = good.slice()
    bad[dirStart + 3] = 9
    new DataView(bad.buffer).setUint32(bad.length - 12, crc32(bad.subarray(dirStart, dirStart + dirLen)), true)
    expect(() => readObjectDirectory(bad, bad.length)).toThrow(expect.objectContaining({ code: 'corrupt' }))
  })
})

function setU32(bytes: Uint8Array, at: number, v: number): Uint8Array {
  const out = bytes.slice()
  new DataView(out.buffer).setUint32(at, v, true)
  return out
}

function flip(bytes: Uint8Array, at: number, xor = 0xff): Uint8Array {
  const out = bytes.slice()
  out[at]! ^= xor
  return out
}
