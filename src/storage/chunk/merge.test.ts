import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeChunk } from './chunk'
import { encodeChunk } from './chunk-writer'
import { ChunkError } from './errors'
import { mergeChunks } from './merge'
import type { ChunkEntry } from './types'

async function all(bytes: Uint8Array): Promise<ChunkEntry[]> {
  const out: ChunkEntry[] = []
  for await (const e of decodeChunk(bytes)) out.push(e)
  return out
}

const byTs = (a: ChunkEntry, b: ChunkEntry) => (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1)

describe('mergeChunks', () => {
  it('overlapping chunks merge into time order, ties in input order', async () => {
    const a = [{ ts: 1n, line: 'a1' }, { ts: 5n, line: 'a5' }, { ts: 9n, line: 'a9' }]
    const b = [{ ts: 2n, line: 'b2' }, { ts: 5n, line: 'b5' }, { ts: 12n, line: 'b12' }]
    const merged = await mergeChunks([(await encodeChunk(a)).bytes, (await encodeChunk(b)).bytes])
    expect((await all(merged.bytes)).map((e) => e.line)).toEqual(['a1', 'b2', 'a5', 'b5', 'a9', 'b12'])
    expect(merged.meta).toMatchObject({ minTs: 1n, maxTs: 12n, entries: 6 })
  })

  it.each([
    [false, ['x', 'x', 'y', 'x']],
    [true, ['x', 'y', 'x']],
  ])('dedupe=%s on a retried push', async (dedupe, want) => {
    const a = [{ ts: 1n, line: 'x' }, { ts: 1n, line: 'y' }]
    const b = [{ ts: 1n, line: 'x' }, { ts: 2n, line: 'x' }]
    const merged = await mergeChunks([(await encodeChunk(a)).bytes, (await encodeChunk(b)).bytes], { dedupe })
    expect((await all(merged.bytes)).map((e) => e.line).sort()).toEqual([...want].sort())
  })

  it('any set of chunks merges to the stable time-sorted concatenation of their entries', async () => {
    const chunkArb = fc.array(
      fc.record({ ts: fc.bigInt({ min: 0n, max: 50n }), line: fc.string({ maxLength: 20 }), metadata: fc.constant([['k', 'v']] as Array<[string, string]>) }),
      { minLength: 1, maxLength: 30 },
    )
    await fc.assert(
      fc.asyncProperty(fc.array(chunkArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 200 }), async (chunks, blockSize) => {
        const inputs = await Promise.all(chunks.map(async (c) => (await encodeChunk(c, { blockSize })).bytes))
        const merged = await mergeChunks(inputs, { blockSize })
        const want = chunks.flatMap((c) => [...c].sort(byTs)).sort(byTs)
        expect(await all(merged.bytes)).toEqual(want)
      }),
      { numRuns: 60 },
    )
  })

  it('a corrupt input is a ChunkError', async () => {
    const good = (await encodeChunk([{ ts: 1n, line: 'a' }])).bytes
    const bad = good.slice()
    bad[20]! ^= 0xff // inside the compressed data of the only block
    await expect(mergeChunks([good, bad])).rejects.toBeInstanceOf(ChunkError)
  })

  it('no inputs at all is an invalid_input error', async () => {
    await expect(mergeChunks([])).rejects.toMatchObject({ code: 'invalid_input' })
  })
})
