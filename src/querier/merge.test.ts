import { describe, expect, it } from 'vitest'
import type { LogEntry } from '../logql/engine/source'
import { mergeEntries } from './merge'

type Batch = readonly LogEntry[]

function source(...batches: Array<Array<[number, string]>>): AsyncIterable<Batch> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const b of batches) yield b.map(([ts, line]) => ({ ts: BigInt(ts), line }))
    },
  }
}

async function merged(sources: AsyncIterable<Batch>[], forward = true): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = []
  for await (const batch of mergeEntries(sources, forward)) for (const e of batch) out.push([Number(e.ts), e.line])
  return out
}

describe('mergeEntries', () => {
  it('interleaves sources by time and keeps push order for equal timestamps', async () => {
    const a = source([[1, 'a1'], [3, 'a3']], [[5, 'a5']])
    const b = source([[2, 'b2'], [3, 'b3'], [4, 'b4']])
    expect(await merged([a, b])).toEqual([[1, 'a1'], [2, 'b2'], [3, 'a3'], [3, 'b3'], [4, 'b4'], [5, 'a5']])
  })

  it('drops an entry repeated in another source, also once only one source is left', async () => {
    // The head (b) repeats the chunk's (a) last entries; after a is exhausted, b continues alone.
    const a = source([[1, 'x'], [2, 'y']])
    const b = source([[2, 'y'], [2, 'z']], [[3, 'w']])
    expect(await merged([a, b])).toEqual([[1, 'x'], [2, 'y'], [2, 'z'], [3, 'w']])
  })

  it('checks the repeat across a batch boundary of the remaining source', async () => {
    const a = source([[5, 'p']])
    const b = source([[5, 'p']], [[5, 'p'], [5, 'q'], [6, 'r']])
    // The second "p" at 5 is a repeat of an emitted entry too: identical entries collapse.
    expect(await merged([a, b])).toEqual([[5, 'p'], [5, 'q'], [6, 'r']])
  })

  it('merges backward, later sources first for equal timestamps', async () => {
    const a = source([[3, 'a3'], [1, 'a1']])
    const b = source([[3, 'b3'], [2, 'b2']])
    expect(await merged([a, b], false)).toEqual([[3, 'b3'], [3, 'a3'], [2, 'b2'], [1, 'a1']])
  })

  it('passes distinct entries of equal timestamps in one source through', async () => {
    const a = source()
    const b = source([[7, 'same'], [7, 'same'], [7, 'other']])
    // A single source holds no repeats of its own (ingest and cut drop them), so none are removed.
    expect(await merged([a, b])).toEqual([[7, 'same'], [7, 'same'], [7, 'other']])
  })

  it('yields nothing when every source is empty', async () => {
    expect(await merged([source(), source([])])).toEqual([])
  })
})
