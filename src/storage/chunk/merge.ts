/**
 * Merging chunks of one stream into one chunk, for compaction: a k-way merge by timestamp over
 * the inputs' blocks, written through a `ChunkWriter`. Memory holds one decoded block per input
 * plus the block being written, whatever the inputs' total size. Entries sharing a timestamp come
 * out in input order (give the chunks oldest flush first and push order is kept); with `dedupe`,
 * an entry whose (timestamp, line) was already written is dropped, as the ingester drops retried
 * pushes.
 */

import { decodeBlock } from './block'
import { checkChunkHeader, decompressBlock, readChunkIndex } from './chunk'
import { ChunkWriter } from './chunk-writer'
import { corrupt } from './errors'
import type { BlockRef, ChunkEntry, ChunkIndex, ChunkMeta, EncodeOptions } from './types'

/** Walks one in-memory chunk entry by entry, decompressing a block at a time. */
class Cursor {
  private readonly index: ChunkIndex
  private block = 0
  private entries: ChunkEntry[] = []
  private at = 0

  constructor(
    private readonly bytes: Uint8Array,
    readonly order: number,
  ) {
    checkChunkHeader(bytes)
    this.index = readChunkIndex(bytes, bytes.length)
  }

  get current(): ChunkEntry | undefined {
    return this.entries[this.at]
  }

  /** Moves to the next entry, loading the next block when this one is used up. */
  async advance(): Promise<void> {
    this.at++
    while (this.at >= this.entries.length && this.block < this.index.blocks.length) {
      const ref = this.index.blocks[this.block++] as BlockRef
      const payload = await decompressBlock(this.bytes.subarray(ref.offset, ref.offset + ref.length), this.index.codec, ref)
      this.entries = [...decodeBlock(payload)]
      if (this.entries.length !== ref.entries) throw corrupt(`block holds ${this.entries.length} entries, index says ${ref.entries}`)
      this.at = 0
    }
  }
}

function before(a: Cursor, b: Cursor): boolean {
  const x = (a.current as ChunkEntry).ts
  const y = (b.current as ChunkEntry).ts
  return x < y || (x === y && a.order < b.order)
}

/** A binary min-heap of cursors ordered by (current timestamp, input order). */
class Heap {
  readonly items: Cursor[] = []

  push(c: Cursor): void {
    const h = this.items
    h.push(c)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i] as Cursor, h[p] as Cursor)) break
      ;[h[i], h[p]] = [h[p] as Cursor, h[i] as Cursor]
      i = p
    }
  }

  /** Restores order after the top cursor moved on (or ran out, then it is removed). */
  fixTop(): void {
    const h = this.items
    if ((h[0] as Cursor).current === undefined) {
      const last = h.pop() as Cursor
      if (h.length === 0) return
      h[0] = last
    }
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < h.length && before(h[l] as Cursor, h[m] as Cursor)) m = l
      if (r < h.length && before(h[r] as Cursor, h[m] as Cursor)) m = r
      if (m === i) return
      ;[h[i], h[m]] = [h[m] as Cursor, h[i] as Cursor]
      i = m
    }
  }
}

/** Merges chunks of one stream into one chunk. */
export async function mergeChunks(
  inputs: readonly Uint8Array[],
  opts: EncodeOptions & { dedupe?: boolean } = {},
): Promise<{ bytes: Uint8Array; meta: ChunkMeta }> {
  const heap = new Heap()
  for (const [i, bytes] of inputs.entries()) {
    const c = new Cursor(bytes, i)
    await c.advance()
    if (c.current) heap.push(c)
  }
  const writer = new ChunkWriter(opts)
  let groupTs: bigint | undefined
  const groupLines = new Set<string>()
  while (heap.items.length > 0) {
    const top = heap.items[0] as Cursor
    const e = top.current as ChunkEntry
    let keep = true
    if (opts.dedupe) {
      if (e.ts !== groupTs) {
        groupTs = e.ts
        groupLines.clear()
      }
      keep = !groupLines.has(e.line)
      groupLines.add(e.line)
    }
    if (keep) await writer.add(e)
    await top.advance()
    heap.fixTop()
  }
  return writer.finish()
}
