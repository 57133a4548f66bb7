import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBlock } from './block'
import { ByteWriter, zigzag64 } from './bytes'
import {
  CHUNK_FOOTER_SIZE,
  checkChunkHeader,
  decodeChunk,
  decompressBlock,
  MAX_BLOCK_RAW_SIZE,
  readChunkIndex,
} from './chunk'
import { encodeChunk } from './chunk-writer'
import { crc32 } from './crc32'
import { renderTs } from './ts-text'
import { ChunkError } from './errors'
import type { ChunkEntry, CodecName } from './types'

async function decodeAll(bytes: Uint8Array): Promise<ChunkEntry[]> {
  const out: ChunkEntry[] = []
  for await (const e of decodeChunk(bytes)) out.push(e)
  return out
}

/** What a reader must return for `input`: sorted by timestamp (push order for ties), empty metadata dropped. */
function expected(input: ChunkEntry[]): ChunkEntry[] {
  return input
    .map((e) => (e.metadata && e.metadata.length > 0 ? { ts: e.ts, line: e.line, metadata: e.metadata } : { ts: e.ts, line: e.line }))
    .sort((a, b) => (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1))
}

const T0 = 1_793_491_200_000_000_000n

/** A 16-digit lowercase hex id with letters, different for each i. */
function hexId(i: number): string {
  return `${((i * 0x9e3779b1) >>> 0).toString(16).padStart(8, 'a')}${((i * 0x85ebca6b) >>> 0).toString(16).padStart(8, 'b')}`
}

const entryArb = (unit: 'grapheme' | 'binary' | 'grapheme-ascii') =>
  fc.record(
    {
      ts: fc.oneof(fc.bigInt({ min: T0, max: T0 + 10_000n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      line: fc.string({ unit, maxLength: 300 }),
      metadata: fc.array(fc.tuple(fc.string({ unit, maxLength: 12 }), fc.string({ unit, maxLength: 40 })), { maxLength: 4 }),
    },
    { requiredKeys: ['ts', 'line'] },
  )

describe('encodeChunk / decodeChunk round trip', () => {
  it.each([
    ['grapheme', 'gzip', 4096],
    ['binary', 'deflate-raw', 512],
    ['grapheme-ascii', 'snappy', 1],
    ['binary', 'none', 100_000],
  ] as const)('random %s entries with %s, block size %d', async (unit, codec, blockSize) => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb(unit), { minLength: 1, maxLength: 60 }), async (input) => {
        const { bytes, meta } = await encodeChunk(input, { codec, blockSize })
        const got = await decodeAll(bytes)
        expect(got).toEqual(expected(input))
        expect(meta.entries).toBe(input.length)
        expect(meta.minTs).toBe(got[0]?.ts)
        expect(meta.maxTs).toBe(got[got.length - 1]?.ts)
        expect(readChunkIndex(bytes, bytes.length).blocks.length).toBe(meta.blocks)
      }),
      { numRuns: 40 },
    )
  })

  it.each<[string, ChunkEntry[]]>([
    ['an empty line', [{ ts: 1n, line: '' }]],
    ['only empty lines at one timestamp', Array.from({ length: 50 }, () => ({ ts: 5n, line: '' }))],
    ['a 256 KiB line', [{ ts: 1n, line: 'x'.repeat(256 * 1024) }, { ts: 2n, line: 'after' }]],
    ['a 300 KB non-ASCII line', [{ ts: 1n, line: 'é€😀'.repeat(40_000) }]],
    ['duplicate timestamps and lines', [{ ts: 7n, line: 'b' }, { ts: 7n, line: 'a' }, { ts: 7n, line: 'a' }]],
    ['a leading byte-order mark', [{ ts: 1n, line: '\uFEFFbom' }]],
    ['timestamps at the int64 limits', [{ ts: -(2n ** 63n), line: 'min' }, { ts: 2n ** 63n - 1n, line: 'max' }]],
    ['timestamps before 1970', [{ ts: -5n, line: 'a' }, { ts: -1n, line: 'b' }, { ts: 0n, line: 'c' }]],
    ['metadata with empty names and values', [{ ts: 1n, line: 'a', metadata: [['', ''], ['k', '']] }]],
    ['metadata with repeated names', [{ ts: 1n, line: 'a', metadata: [['trace_id', '1'], ['trace_id', '2']] }]],
    ['unsorted input', [{ ts: 3n, line: 'c' }, { ts: 1n, line: 'a' }, { ts: 2n, line: 'b' }]],
    ['ANSI escapes and control characters', [{ ts: 1n, line: '\x1b[31mERROR\x1b[0m\t\0\r\n' }]],
  ])('%s', async (_name, input) => {
    const { bytes } = await encodeChunk(input, { blockSize: 1024 })
    expect(await decodeAll(bytes)).toEqual(expected(input))
  })

  it('a lone surrogate comes back as U+FFFD (UTF-8 cannot carry it)', async () => {
    const { bytes } = await encodeChunk([{ ts: 1n, line: 'a\uD800b' }])
    expect((await decodeAll(bytes))[0]?.line).toBe('a\uFFFDb')
  })

  it('rawBytes counts UTF-8 bytes of lines, metadata names and values', async () => {
    const { meta } = await encodeChunk([
      { ts: 1n, line: 'héllo', metadata: [['trace_id', 'abc']] },
      { ts: 2n, line: '' },
    ])
    expect(meta.rawBytes).toBe(6 + 8 + 3)
  })
})

describe('block boundaries', () => {
  const lines = (n: number, size: number): ChunkEntry[] =>
    Array.from({ length: n }, (_, i) => ({ ts: BigInt(i), line: String(i % 10).repeat(size) }))

  it.each([
    // entries, line size, block size, expected blocks
    [10, 100, 1, 10],
    [10, 100, 100, 10],
    [10, 100, 101, 5],
    [10, 100, 1000, 1],
    [10, 100, 1001, 1],
    [3, 5000, 1024, 3],
  ])('%d entries of %d bytes with block size %d make %d blocks', async (n, size, blockSize, want) => {
    const input = lines(n, size)
    const { bytes, meta } = await encodeChunk(input, { blockSize })
    const index = readChunkIndex(bytes, bytes.length)
    expect(meta.blocks).toBe(want)
    expect(index.blocks.map((b) => b.entries).reduce((a, b) => a + b, 0)).toBe(n)
    expect(await decodeAll(bytes)).toEqual(input)
  })

  it('block index records each block min/max timestamp, entries and raw size', async () => {
    const input = lines(6, 100)
    const { bytes } = await encodeChunk(input, { blockSize: 200 })
    const index = readChunkIndex(bytes, bytes.length)
    expect(index.blocks.map((b) => [b.minTs, b.maxTs, b.entries])).toEqual([
      [0n, 1n, 2],
      [2n, 3n, 2],
      [4n, 5n, 2],
    ])
    for (const ref of index.blocks) {
      const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
      expect(payload.length).toBe(ref.rawSize)
      expect([...decodeBlock(payload)].length).toBe(ref.entries)
    }
  })

  it('duplicate timestamps may straddle a block boundary', async () => {
    const input = Array.from({ length: 4 }, (_, i) => ({ ts: 9n, line: `line ${i}` }))
    const { bytes } = await encodeChunk(input, { blockSize: 6 })
    const index = readChunkIndex(bytes, bytes.length)
    expect(index.blocks.length).toBe(4)
    expect(index.blocks.every((b) => b.minTs === 9n && b.maxTs === 9n)).toBe(true)
    expect(await decodeAll(bytes)).toEqual(input)
  })

  it('decodeBlock with a range skips entries outside [from, through)', async () => {
    const { bytes } = await encodeChunk(lines(10, 3))
    const index = readChunkIndex(bytes, bytes.length)
    const ref = index.blocks[0]!
    const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
    expect([...decodeBlock(payload, { from: 3n, through: 6n })].map((e) => e.ts)).toEqual([3n, 4n, 5n])
  })
})

describe('decoding without lines', () => {
  const utf8 = new TextEncoder()
  /** Lines with what the encoder transforms: their own timestamp text, hex ids, non-ASCII text. */
  const decoratedArb = fc.array(
    fc.record({
      ts: fc.bigInt({ min: T0, max: T0 + 10n ** 12n }),
      text: fc.string({ unit: 'grapheme', maxLength: 60 }),
      form: fc.integer({ min: -1, max: 2 }),
      hex: fc.nat({ max: 3 }),
      metadata: fc.array(fc.tuple(fc.constantFrom('trace_id', 'detected_level'), fc.string({ maxLength: 20 })), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 80 },
  )

  it('gives each line as "" with its UTF-8 size, and the same timestamps and metadata', async () => {
    await fc.assert(
      fc.asyncProperty(decoratedArb, async (rows) => {
        const input: ChunkEntry[] = rows.map((r, i) => ({
          ts: r.ts,
          line: `${r.form >= 0 ? renderTs(r.ts, r.form) : ''} ${r.text} ${Array.from({ length: r.hex }, (_, k) => hexId(i * 4 + k)).join(' ')}`,
          metadata: r.metadata.map(([k, v]) => [k, v] as [string, string]),
        }))
        const { bytes } = await encodeChunk(input, { blockSize: 512 })
        const index = readChunkIndex(bytes, bytes.length)
        const full: ChunkEntry[] = []
        const bare: ChunkEntry[] = []
        for (const ref of index.blocks) {
          const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
          full.push(...decodeBlock(payload))
          bare.push(...decodeBlock(payload, undefined, { lines: false }))
        }
        expect(bare.map((e) => e.line).every((l) => l === '')).toBe(true)
        expect(bare.map((e) => e.size)).toEqual(full.map((e) => utf8.encode(e.line).length))
        expect(bare.map((e) => [e.ts, e.metadata])).toEqual(full.map((e) => [e.ts, e.metadata]))
      }),
      { numRuns: 60 },
    )
  })

  it('skips the hex runs of entries outside the range as a full decode does', async () => {
    const input = Array.from({ length: 20 }, (_, i) => ({ ts: BigInt(i), line: `${hexId(i)} x ${hexId(i + 100)}` }))
    const { bytes } = await encodeChunk(input)
    const index = readChunkIndex(bytes, bytes.length)
    const ref = index.blocks[0]!
    const payload = await decompressBlock(bytes.subarray(ref.offset, ref.offset + ref.length), index.codec, ref)
    const got = [...decodeBlock(payload, { from: 5n, through: 8n }, { lines: false })]
    expect(got.map((e) => [e.ts, e.size])).toEqual([5n, 6n, 7n].map((ts) => [ts, input[Number(ts)]!.line.length]))
  })
})

describe('bad encoder input', () => {
  it.each<[string, unknown]>([
    ['no entries', []],
    ['a number timestamp', [{ ts: 1, line: 'a' }]],
    ['a timestamp past int64', [{ ts: 2n ** 63n, line: 'a' }]],
    ['a non-string line', [{ ts: 1n, line: 5 }]],
    ['metadata that is not pairs of strings', [{ ts: 1n, line: 'a', metadata: [['k', 1]] }]],
  ])('%s is an invalid_input ChunkError', async (_name, input) => {
    await expect(encodeChunk(input as ChunkEntry[])).rejects.toMatchObject({ name: 'ChunkError', code: 'invalid_input' })
  })

  it('an entry larger than the largest block a reader accepts is rejected', async () => {
    await expect(encodeChunk([{ ts: 1n, line: 'x'.repeat(MAX_BLOCK_RAW_SIZE) }])).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it.each([0, -1, 1.5, Number.NaN])('block size %d is rejected', async (blockSize) => {
    await expect(encodeChunk([{ ts: 1n, line: 'a' }], { blockSize })).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('an unknown codec is rejected', async () => {
    await expect(encodeChunk([{ ts: 1n, line: 'a' }], { codec: 'zstd' as CodecName })).rejects.toMatchObject({ code: 'invalid_input' })
  })
})

describe('corrupted and foreign input', () => {
  const sample = async (codec: CodecName): Promise<Uint8Array> =>
    (
      await encodeChunk(
        Array.from({ length: 200 }, (_, i) => ({
          ts: T0 + BigInt(i * 1000),
          line: `${i % 2 ? renderTs(T0 + BigInt(i * 1000), i % 3) : 'é'} level=info msg="request ${i}" status=${200 + (i % 5)} req=${hexId(i)}`,
          metadata: i % 3 === 0 ? [['trace_id', `t${i}`]] as Array<[string, string]> : undefined,
        })),
        { codec, blockSize: 2048 },
      )
    ).bytes

  it.each([
    ['an empty buffer', 'truncated', new Uint8Array(0)],
    ['random bytes', 'bad_magic', Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)],
    ['a gzip file', 'bad_magic', Uint8Array.from([0x1f, 0x8b, 8, 0, ...new Array<number>(40).fill(0)])],
  ])('%s is rejected with %s', async (_name, code, bytes) => {
    await expect(decodeAll(bytes)).rejects.toMatchObject({ name: 'ChunkError', code })
  })

  it('a chunk of a newer format version is an unsupported_version error', async () => {
    const bytes = (await sample('gzip')).slice()
    bytes[bytes.length - 8] = 2
    expect(() => readChunkIndex(bytes, bytes.length)).toThrow(expect.objectContaining({ code: 'unsupported_version' }))
    const head = bytes.slice()
    head[4] = 9
    expect(() => checkChunkHeader(head)).toThrow(expect.objectContaining({ code: 'unsupported_version' }))
  })

  it('an unknown codec id is an unsupported_codec error', async () => {
    const bytes = (await sample('gzip')).slice()
    bytes[bytes.length - 7] = 77
    expect(() => readChunkIndex(bytes, bytes.length)).toThrow(expect.objectContaining({ code: 'unsupported_codec' }))
  })

  it('a flipped index byte fails the index checksum', async () => {
    const bytes = (await sample('gzip')).slice()
    bytes[bytes.length - CHUNK_FOOTER_SIZE - 2]! ^= 0x10
    expect(() => readChunkIndex(bytes, bytes.length)).toThrow(expect.objectContaining({ code: 'checksum' }))
  })

  it('a footer announcing a 4 GiB index is too_large, and nothing is fetched', async () => {
    const bytes = (await sample('gzip')).slice()
    new DataView(bytes.buffer).setUint32(bytes.length - 16, 0xffff_fff0, true)
    expect(() => readChunkIndex(bytes, bytes.length)).toThrow(expect.objectContaining({ code: 'too_large' }))
  })

  it('a tail that does not reach the index says truncated', async () => {
    const bytes = await sample('gzip')
    expect(() => readChunkIndex(bytes.subarray(bytes.length - CHUNK_FOOTER_SIZE), bytes.length)).toThrow(
      expect.objectContaining({ code: 'truncated' }),
    )
  })

  /** A chunk whose index (with a valid checksum) describes one block with the given fields. */
  function forged(block: Uint8Array, fields: { entries: number; rawSize: number }): Uint8Array {
    const idx = new ByteWriter()
    idx.uvarint(1)
    idx.uvarint(block.length)
    idx.uvarintBig(zigzag64(0n))
    idx.uvarintBig(0n)
    idx.uvarint(fields.entries)
    idx.uvarint(fields.rawSize)
    const index = idx.finish()
    const w = new ByteWriter()
    w.bytes(Uint8Array.from([0x45, 0x4c, 0x4b, 0x43, 1, 0, 0, 0]))
    w.bytes(block)
    w.bytes(index)
    w.u64(8 + block.length)
    w.u32(index.length)
    w.u32(crc32(index))
    w.bytes(Uint8Array.from([1, 0, 0, 0, 0x45, 0x4c, 0x4b, 0x43]))
    return w.finish()
  }

  it.each([
    ['a block claiming a 1 GiB payload', { entries: 1, rawSize: MAX_BLOCK_RAW_SIZE + 1 }],
    ['a block claiming more entries than bytes', { entries: 1000, rawSize: 10 }],
  ])('%s is rejected before any allocation', (_name, fields) => {
    const bytes = forged(Uint8Array.from([1, 2, 3]), fields)
    expect(() => readChunkIndex(bytes, bytes.length)).toThrow(expect.objectContaining({ code: 'corrupt' }))
  })

  it.each([
    ['an entry count far beyond the payload', [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0]],
    ['a plane width of 9', [2, 0, 0, 9, 0, 0, 0, 0, 0, 0]],
    ['unknown block flags', [1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['an elided timestamp past its line', [1, 1, 0, 0, 0, 9, 0, 0, 0, 0]],
    ['an unknown timestamp form', [1, 1, 0, 0, 0, 4, 0, 0, 0, 0]],
    ['line lengths past the end', [1, 0, 0, 1, 200, 0, 0, 0, 0, 0]],
  ])('a block payload with %s is a corrupt error', async (_name, payload) => {
    const bytes = forged(Uint8Array.from(payload), { entries: 1, rawSize: payload.length })
    await expect(decodeAll(bytes)).rejects.toMatchObject({ name: 'ChunkError', code: 'corrupt' })
  })

  it.each(['gzip', 'deflate-raw', 'snappy', 'none'] as const)(
    'any changed byte, overwritten run or truncation of a %s chunk decodes or fails with a ChunkError',
    async (codec) => {
      const good = await sample(codec)
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ kind: fc.constant('flip' as const), at: fc.nat(good.length - 1), xor: fc.integer({ min: 1, max: 255 }) }),
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat(good.length - 1), xor: fc.constant(0) }),
            fc.record({ kind: fc.constant('noise' as const), at: fc.nat(good.length - 1), xor: fc.integer({ min: 1, max: 64 }) }),
          ),
          async ({ kind, at, xor }) => {
            let bytes: Uint8Array
            if (kind === 'flip') {
              bytes = good.slice()
              bytes[at]! ^= xor
            } else if (kind === 'noise') {
              // Overwrite a run of bytes with a fixed pattern.
              bytes = good.slice()
              for (let i = at; i < Math.min(bytes.length, at + xor); i++) bytes[i] = (i * 131 + xor) & 0xff
            } else {
              bytes = good.slice(0, at)
            }
            try {
              const got = await decodeAll(bytes)
              expect(got.length).toBeLessThanOrEqual(200)
            } catch (err) {
              expect(err).toBeInstanceOf(ChunkError)
            }
          },
        ),
        { numRuns: 300 },
      )
    },
  )
})
