import { describe, expect, it } from 'vitest'
import { compress, decompress, drain } from './codec'
import { ChunkError } from './errors'
import type { CodecName } from './types'

/** A stream of `pieces`, either a byte stream (BYOB-capable) or a plain one. */
function streamOf(pieces: number[][], bytes: boolean): ReadableStream<Uint8Array> {
  let i = 0
  if (bytes) {
    return new ReadableStream({
      type: 'bytes',
      pull(controller) {
        const p = pieces[i++]
        if (p) controller.enqueue(Uint8Array.from(p))
        else {
          controller.close()
          // A byte source ends a pending BYOB read by responding with zero bytes.
          controller.byobRequest?.respond(0)
        }
      },
    }) as unknown as ReadableStream<Uint8Array>
  }
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const p = pieces[i++]
      if (p) controller.enqueue(Uint8Array.from(p))
      else controller.close()
    },
  })
}

describe('drain', () => {
  it.each([
    ['a byte stream', true],
    ['a plain stream', false],
  ])('%s is read whole up to its limit', async (_name, bytes) => {
    const out = await drain(streamOf([[1, 2], [3], [4, 5, 6]], bytes), 6, false)
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6])
  })

  it.each([
    ['a byte stream', true],
    ['a plain stream', false],
  ])('%s one byte past its limit is refused', async (_name, bytes) => {
    await expect(drain(streamOf([[1, 2], [3], [4, 5, 6]], bytes), 5, false)).rejects.toThrow()
  })

  it.each([
    ['a byte stream', true],
    ['a plain stream', false],
  ])('%s may grow past its first guess when asked to', async (_name, bytes) => {
    const out = await drain(streamOf([[1, 2, 3, 4], [5, 6, 7, 8, 9]], bytes), 2, true)
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})

describe('compress / decompress', () => {
  const text = new TextEncoder().encode('level=info msg="hello" '.repeat(5000))

  it.each(['gzip', 'deflate-raw', 'snappy', 'none'] as CodecName[])('%s round-trips', async (codec) => {
    const packed = await compress(codec, text)
    if (codec !== 'none') expect(packed.length).toBeLessThan(text.length / 5)
    expect(await decompress(codec, packed, text.length)).toEqual(text)
  })

  it.each(['gzip', 'deflate-raw', 'snappy', 'none'] as CodecName[])('%s refuses a size other than the declared one', async (codec) => {
    const packed = await compress(codec, text)
    await expect(decompress(codec, packed, text.length - 1)).rejects.toBeInstanceOf(ChunkError)
    await expect(decompress(codec, packed, text.length + 1)).rejects.toBeInstanceOf(ChunkError)
  })

  it.each(['gzip', 'deflate-raw'] as CodecName[])('%s of incompressible data fits the first buffer guess', async (codec) => {
    const noise = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 24)
    expect(await decompress(codec, await compress(codec, noise), noise.length)).toEqual(noise)
  })

  it('a deflate bomb stops at the declared size', async () => {
    const zeros = new Uint8Array(20_000_000)
    const packed = await compress('gzip', zeros)
    expect(packed.length).toBeLessThan(50_000)
    await expect(decompress('gzip', packed, 1000)).rejects.toMatchObject({ code: 'corrupt' })
  })
})
