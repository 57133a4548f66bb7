import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBlock } from './block'
import { ByteWriter } from './bytes'
import { decodeChunk, decompressBlock, readChunkIndex } from './chunk'
import { encodeChunk } from './chunk-writer'
import { HEX_MARK, HexRuns, packHexRuns } from './hex-runs'
import { renderTs } from './ts-text'
import type { ChunkEntry } from './types'

const enc = new TextEncoder()
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'

function pack(line: string): { stored: number[]; lens: number[]; bytes: Uint8Array } {
  const buf = enc.encode(line)
  const lens: number[] = []
  const out = new ByteWriter()
  const end = packHexRuns(buf, 0, buf.length, lens, out)
  return { stored: [...buf.subarray(0, end)], lens, bytes: out.finish() }
}

describe('packHexRuns', () => {
  it.each<[string, string, number[]]>([
    ['a trace id in JSON', `{"trace_id":"${TRACE}"}`, [32]],
    ['a 15-digit run', 'id=0123456789abcde', []],
    ['16 decimal digits', 'n=1234567890123456', []],
    ['an odd 17-digit run', 'x 0123456789abcdef0 y', [17]],
    ['runs at both ends', `${TRACE} and ${TRACE.slice(0, 16)}`, [32, 16]],
    ['upper-case hex', 'ID=4BF92F3577B34DA6A3CE929D0E0E4736', []],
    ['a UUID (groups shorter than 16)', 'id=123e4567-e89b-12d3-a456-426614174000', []],
  ])('%s', (_name, line, lens) => {
    const p = pack(line)
    expect(p.lens).toEqual(lens)
    expect(p.stored.filter((b) => b === HEX_MARK).length).toBe(lens.length)
    const runs = new HexRuns(Uint32Array.from(p.lens), p.bytes)
    const out = new Uint8Array(runs.unpackedSize(p.stored.length, lens.length))
    expect(runs.unpack(Uint8Array.from(p.stored), lens.length, out)).toBe(out.length)
    expect(new TextDecoder().decode(out)).toBe(line)
  })

  it('a packed trace id takes 17 bytes instead of 32', () => {
    const p = pack(TRACE)
    expect(p.stored.length + p.bytes.length).toBe(1 + 16)
  })
})

async function roundTrip(input: ChunkEntry[], blockSize = 1 << 20): Promise<ChunkEntry[]> {
  const { bytes } = await encodeChunk(input, { blockSize })
  const out: ChunkEntry[] = []
  for await (const e of decodeChunk(bytes)) out.push(e)
  return out
}

describe('hex packing round trip', () => {
  const hexArb = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 40 })
  const pieceArb = fc.oneof(hexArb, fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constant('-'), fc.constant('\u00ff'))

  it('lines made of hex runs, text and their own timestamps round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(pieceArb, { maxLength: 6 }), fc.boolean(), fc.nat(50)), { minLength: 1, maxLength: 30 }),
        async (specs) => {
          const input = specs.map(([pieces, withTs, gap], i) => {
            const ts = 1_793_491_200_000_000_000n + BigInt(i * 1000 + gap)
            const mid = Math.floor(pieces.length / 2)
            const line = [...pieces.slice(0, mid), withTs ? renderTs(ts, i % 2) : '', ...pieces.slice(mid)].join('')
            return { ts, line }
          })
          expect(await roundTrip(input, 200)).toEqual(input)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('hex runs on both sides of an elided timestamp join and still round-trip', async () => {
    const ts = 1_793_491_204_890_379_802n
    const input = [{ ts, line: `0123456789abcdef${renderTs(ts, 1)}fedcba9876543210` }]
    expect(await roundTrip(input)).toEqual(input)
  })

  it('a range that skips lines with hex runs still decodes the later ones', async () => {
    const input = Array.from({ length: 20 }, (_, i) => ({ ts: BigInt(i), line: `${i} ${TRACE} ${i % 3 ? TRACE : ''}` }))
    const { bytes } = await encodeChunk(input)
    const index = readChunkIndex(bytes, bytes.length)
    const ref = index.blocks[0]!
    const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
    expect([...decodeBlock(payload, { from: 7n, through: 12n })]).toEqual(input.slice(7, 12))
  })

  it('packing can be turned off and the chunk gets larger', async () => {
    const input = Array.from({ length: 200 }, (_, i) => ({ ts: BigInt(i), line: `trace_id=${TRACE.slice(i % 8)}${i.toString(16).padStart(8, 'a')}` }))
    const on = await encodeChunk(input)
    const off = await encodeChunk(input, { packHex: false })
    expect(on.bytes.length).toBeLessThan(off.bytes.length)
    expect(await roundTrip(input)).toEqual(input)
  })
})

describe('corrupt hex columns', () => {
  it('a line claiming more runs than the block records is a corrupt error', () => {
    expect(() => new HexRuns(Uint32Array.from([16]), new Uint8Array(8)).unpackedSize(3, 2)).toThrow(
      expect.objectContaining({ code: 'corrupt' }),
    )
  })

  it.each<[string, number[], number[], number[]]>([
    ['a line with more marks than its count', [HEX_MARK, HEX_MARK], [16], [0, 0, 0, 0, 0, 0, 0, 0]],
    ['a line with fewer marks than its count', [0x61], [16], [0, 0, 0, 0, 0, 0, 0, 0]],
    ['run bytes past their column', [HEX_MARK], [16], [0, 0, 0]],
  ])('%s is a corrupt error', (_name, line, lens, bytes) => {
    const count = 1
    expect(() => new HexRuns(Uint32Array.from(lens), Uint8Array.from(bytes)).unpack(Uint8Array.from(line), count, new Uint8Array(64))).toThrow(
      expect.objectContaining({ name: 'ChunkError', code: 'corrupt' }),
    )
  })
})
