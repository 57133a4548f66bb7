import { describe, expect, it } from 'vitest'
import { decodeChunk } from './chunk'
import { ChunkWriter, encodeChunk } from './chunk-writer'
import type { ChunkEntry } from './types'

const ENTRIES: ChunkEntry[] = Array.from({ length: 500 }, (_, i) => ({
  ts: 1_000_000n + BigInt(i) * 7n,
  line: `i=${i} ${'abc'.repeat(i % 40)}`,
  metadata: i % 4 === 0 ? [['trace_id', `${i}`]] : undefined,
}))

describe('ChunkWriter', () => {
  it('entries added one by one give the same bytes as encodeChunk', async () => {
    const w = new ChunkWriter({ blockSize: 2048 })
    for (const e of ENTRIES) await w.add(e)
    const streamed = await w.finish()
    const whole = await encodeChunk(ENTRIES, { blockSize: 2048 })
    expect(streamed.bytes).toEqual(whole.bytes)
    expect(streamed.meta).toEqual(whole.meta)
    expect(streamed.meta.blocks).toBeGreaterThan(5)
  })

  it('entries sharing a timestamp keep the order they were added in', async () => {
    const w = new ChunkWriter()
    for (const line of ['c', 'a', 'b']) await w.add({ ts: 5n, line })
    const got: string[] = []
    for await (const e of decodeChunk((await w.finish()).bytes)) got.push(e.line)
    expect(got).toEqual(['c', 'a', 'b'])
  })

  it.each<[string, (w: ChunkWriter) => Promise<unknown>]>([
    ['an entry older than the previous one', async (w) => {
      await w.add({ ts: 10n, line: 'a' })
      await w.add({ ts: 9n, line: 'b' })
    }],
    ['finishing an empty chunk', (w) => w.finish()],
    ['adding after finish', async (w) => {
      await w.add({ ts: 1n, line: 'a' })
      await w.finish()
      await w.add({ ts: 2n, line: 'b' })
    }],
    ['finishing twice', async (w) => {
      await w.add({ ts: 1n, line: 'a' })
      await w.finish()
      await w.finish()
    }],
    ['a null entry', (w) => w.add(null as unknown as ChunkEntry)],
  ])('%s is an invalid_input error', async (_name, run) => {
    await expect(run(new ChunkWriter())).rejects.toMatchObject({ name: 'ChunkError', code: 'invalid_input' })
  })
})
