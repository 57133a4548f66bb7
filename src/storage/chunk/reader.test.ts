import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readChunkIndex } from './chunk'
import { encodeChunk } from './chunk-writer'
import { ChunkError } from './errors'
import { ChunkReader, sliceFetcher, type ChunkReaderOptions, type ReadRange } from './reader'
import type { ChunkEntry } from './types'

/** A byte store that records every range read. */
function store(bytes: Uint8Array) {
  const reads: Array<[number, number]> = []
  const suffixes: number[] = []
  return {
    reads,
    suffixes,
    fetch: async (offset: number, length: number) => {
      reads.push([offset, length])
      return bytes.slice(offset, offset + length)
    },
    suffix: async (length: number) => {
      suffixes.push(length)
      return { bytes: bytes.slice(Math.max(0, bytes.length - length)), totalSize: bytes.length }
    },
  }
}

// 100 entries at ts 0, 10, ..., 990; 10 entries per block (each line is 100 bytes).
const ENTRIES: ChunkEntry[] = Array.from({ length: 100 }, (_, i) => ({
  ts: BigInt(i * 10),
  line: `entry ${String(i).padStart(3, '0')} `.padEnd(100, '.'),
}))
const chunk = await encodeChunk(ENTRIES, { blockSize: 1000 })
/** Reads that cover only footer and index (about 100 bytes here), never whole blocks. */
const NO_WHOLE: ChunkReaderOptions = { readWholeBelow: 0, tailGuess: 128 }

async function readAll(reader: ChunkReader, range: ReadRange): Promise<bigint[]> {
  const out: bigint[] = []
  for await (const e of reader.entries(range)) out.push(e.ts)
  return out
}

function tsRange(from: number, through: number, step = 10): bigint[] {
  const out: bigint[] = []
  for (let t = from; t < through; t += step) out.push(BigInt(t))
  return out
}

describe('ChunkReader range selection', () => {
  it('the test chunk has 10 blocks of 10 entries', () => {
    expect(readChunkIndex(chunk.bytes, chunk.bytes.length).blocks.map((b) => b.entries)).toEqual(new Array(10).fill(10))
  })

  it.each([
    // from, through, expected block reads
    [0n, 1000n, 10],
    [0n, 1n, 1],
    [0n, 100n, 1],
    [0n, 101n, 2],
    [90n, 100n, 1],
    [95n, 100n, 0],
    [99n, 100n, 0],
    [100n, 100n, 0],
    [300n, 600n, 3],
    [305n, 306n, 1],
    [990n, 991n, 1],
    [991n, 5000n, 0],
    [985n, 5000n, 1],
    [1000n, 2000n, 0],
    [-100n, 0n, 0],
  ])('[%s, %s) reads the tail and %d block(s)', async (from, through, blocks) => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, NO_WHOLE)
    const got = await readAll(reader, { from, through })
    expect(got).toEqual(ENTRIES.map((e) => e.ts).filter((t) => t >= from && t < through))
    expect(s.reads.length).toBe(1 + blocks)
  })

  it('reads exactly the byte ranges of the overlapping blocks', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, NO_WHOLE)
    await readAll(reader, { from: 300n, through: 500n })
    const index = await reader.index()
    expect(s.reads.slice(1)).toEqual(index.blocks.slice(3, 5).map((b) => [b.offset, b.length]))
  })

  it('backward order yields the newest entry first', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, NO_WHOLE)
    expect(await readAll(reader, { from: 250n, through: 520n, direction: 'backward' })).toEqual(tsRange(250, 520).reverse())
    expect(s.reads.length).toBe(1 + 4)
  })

  it('backward batches come newest block first', async () => {
    const reader = new ChunkReader({ fetch: store(chunk.bytes).fetch, size: chunk.bytes.length }, NO_WHOLE)
    const firsts: bigint[] = []
    for await (const batch of reader.batches({ from: 0n, through: 1000n, direction: 'backward' })) firsts.push(batch[0]!.ts)
    expect(firsts).toEqual(tsRange(90, 1000, 100).reverse())
  })

  it('any range in either direction returns exactly the entries in [from, through)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -50n, max: 1050n }), fc.bigInt({ min: 0n, max: 500n }), fc.boolean(), async (from, width, back) => {
        const through = from + width
        const reader = new ChunkReader({ fetch: store(chunk.bytes).fetch, size: chunk.bytes.length })
        const want = ENTRIES.map((e) => e.ts).filter((t) => t >= from && t < through)
        if (back) want.reverse()
        expect(await readAll(reader, { from, through, direction: back ? 'backward' : 'forward' })).toEqual(want)
      }),
      { numRuns: 60 },
    )
  })

  it('random chunks and ranges: exactly the entries in range, and only overlapping blocks fetched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ts: fc.bigInt({ min: 0n, max: 200n }), line: fc.string({ maxLength: 40 }) }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 300 }),
        fc.bigInt({ min: -10n, max: 210n }),
        fc.bigInt({ min: 0n, max: 100n }),
        fc.boolean(),
        async (input, blockSize, from, width, back) => {
          const { bytes } = await encodeChunk(input, { blockSize })
          const s = store(bytes)
          const reader = new ChunkReader({ fetch: s.fetch, size: bytes.length }, { readWholeBelow: 0, tailGuess: 24 })
          const through = from + width
          const got: ChunkEntry[] = []
          for await (const e of reader.entries({ from, through, direction: back ? 'backward' : 'forward' })) got.push(e)
          const want = [...input]
            .sort((a, b) => (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1))
            .filter((e) => e.ts >= from && e.ts < through)
          if (back) want.reverse()
          expect(got).toEqual(want)
          const index = await reader.index()
          const overlapping = index.blocks.filter((b) => b.minTs < through && b.maxTs >= from).length
          const indexReads = s.reads.length - overlapping
          expect(indexReads).toBeGreaterThanOrEqual(1)
          expect(indexReads).toBeLessThanOrEqual(2)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('reads without lines: the same timestamps, each line as "" with its byte size', async () => {
    const reader = new ChunkReader({ fetch: store(chunk.bytes).fetch, size: chunk.bytes.length })
    const got: ChunkEntry[] = []
    for await (const batch of reader.batches({ from: 95n, through: 605n }, { lines: false })) got.push(...batch)
    expect(got.map((e) => e.ts)).toEqual(tsRange(100, 605))
    expect(got.every((e) => e.line === '' && e.size === 100)).toBe(true)
  })

  it('the index is read once for several queries', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, NO_WHOLE)
    await readAll(reader, { from: 0n, through: 10n })
    await readAll(reader, { from: 990n, through: 1000n })
    expect(s.reads.length).toBe(1 + 1 + 1)
  })

  it('stopping after the first batch leaves at most one block prefetched', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, NO_WHOLE)
    for await (const batch of reader.batches({ from: 0n, through: 1000n })) {
      expect(batch.length).toBe(10)
      break
    }
    expect(s.reads.length).toBeLessThanOrEqual(1 + 2)
  })
})

describe('ChunkReader tail reads', () => {
  it('without a size it uses one suffix read', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, suffix: s.suffix }, NO_WHOLE)
    expect(await readAll(reader, { from: 0n, through: 10n })).toEqual([0n])
    expect(s.suffixes).toEqual([128])
    expect(s.reads.length).toBe(1)
  })

  it('blocks inside the first tail read are not fetched again', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, suffix: s.suffix }, { tailGuess: chunk.bytes.length })
    expect(await readAll(reader, { from: 0n, through: 1000n })).toHaveLength(100)
    expect(s.reads.length).toBe(0)
  })

  it('an index larger than the first guess costs one more read', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length }, { readWholeBelow: 0, tailGuess: 30 })
    const index = await reader.index()
    expect(index.blocks.length).toBe(10)
    expect(s.reads.length).toBe(2)
  })

  it('a small chunk is read whole once, blocks included', async () => {
    const s = store(chunk.bytes)
    const reader = new ChunkReader({ fetch: s.fetch, size: chunk.bytes.length })
    expect(await readAll(reader, { from: 0n, through: 1000n })).toHaveLength(100)
    expect(s.reads).toEqual([[0, chunk.bytes.length]])
  })

  it('a chunk inside a larger object is read through a sliced fetcher', async () => {
    const object = new Uint8Array(500 + chunk.bytes.length + 300)
    object.set(chunk.bytes, 500)
    const s = store(object)
    const reader = new ChunkReader({ fetch: sliceFetcher(s.fetch, 500), size: chunk.bytes.length }, NO_WHOLE)
    expect(await readAll(reader, { from: 500n, through: 520n })).toEqual([500n, 510n])
    expect(s.reads.every(([off]) => off >= 500)).toBe(true)
  })

  it.each([
    ['a fetcher returning short reads', { fetch: async () => new Uint8Array(3), size: chunk.bytes.length }, 'truncated'],
    ['a size smaller than the real chunk', { fetch: store(chunk.bytes).fetch, size: 100 }, 'bad_magic'],
    ['a suffix read of the wrong object', { fetch: store(chunk.bytes).fetch, suffix: async () => ({ bytes: new Uint8Array(4096), totalSize: 9000 }) }, 'bad_magic'],
  ])('%s fails with %s', async (_name, source, code) => {
    const reader = new ChunkReader(source, NO_WHOLE)
    await expect(reader.index()).rejects.toMatchObject({ name: 'ChunkError', code })
  })

  it('a block whose bytes were altered in storage fails with a ChunkError', async () => {
    const bad = chunk.bytes.slice()
    const ref = readChunkIndex(bad, bad.length).blocks[4]!
    bad[ref.offset + Math.floor(ref.length / 2)]! ^= 0xff
    const reader = new ChunkReader({ fetch: store(bad).fetch, size: bad.length }, NO_WHOLE)
    expect(await readAll(reader, { from: 0n, through: 100n })).toHaveLength(10)
    await expect(readAll(reader, { from: 400n, through: 500n })).rejects.toBeInstanceOf(ChunkError)
  })

  it('a source with neither size nor suffix is refused', () => {
    expect(() => new ChunkReader({ fetch: store(chunk.bytes).fetch })).toThrow(ChunkError)
  })
})
