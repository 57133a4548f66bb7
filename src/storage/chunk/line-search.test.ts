import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeChunk } from './chunk-writer'
import { LinePrefilter } from './line-search'
import { ChunkReader } from './reader'
import { renderTs, TS_FORM_CLF, TS_FORM_MS, TS_FORM_NS } from './ts-text'
import type { ChunkEntry } from './types'

const T0 = 1_764_806_400_000_000_000n // 2025-12-04T00:00:00Z

async function read(entries: ChunkEntry[], prefilter?: LinePrefilter, range?: { from: bigint; through: bigint }) {
  const { bytes } = await encodeChunk(entries, { blockSize: 2048, codec: 'none' })
  const reader = new ChunkReader({ fetch: async (o, l) => bytes.slice(o, o + l), size: bytes.length })
  const scanned = { lines: 0, bytes: 0 }
  const out: ChunkEntry[] = []
  for await (const b of reader.batches(range ?? { from: -(2n ** 63n), through: 2n ** 63n - 1n }, { prefilter, scanned })) out.push(...b)
  return { out, scanned }
}

/** Lines built from pieces that exercise the stored forms: hex runs and the entry's own timestamp. */
function lineArb(ts: bigint) {
  const piece = fc.oneof(
    fc.constantFrom('error', 'rror', 'e', 'deadbeef', '0123456789abcdee', 'abcdef0123456789', 'timeout', ' ', '=', '"', 'é', 'Dec', '/', ':', '+', 'Z', '0', 'level=warn'),
    fc.constantFrom(renderTs(ts, TS_FORM_MS), renderTs(ts, TS_FORM_NS), renderTs(ts, TS_FORM_CLF)),
    fc.stringMatching(/^[0-9a-f]{14,40}$/),
  )
  return fc.array(piece, { maxLength: 8 }).map((p) => p.join(''))
}

const needles = fc.oneof(
  fc.constantFrom('error', 'rror', 'deadbeef', 'e', 'ee', 'Dec', 'c/2', ':', 'Z', ' +', '0Z', 'timeout', 'level=warn', 'é', '/'),
  fc.stringMatching(/^[0-9a-z=" ]{1,20}$/),
)

describe('LinePrefilter', () => {
  it('never rules out a line that holds a required literal, and counts every line scanned', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5000), { minLength: 1, maxLength: 60 }).chain((gaps) => {
          const ts = gaps.map((_, i) => T0 + BigInt(gaps.slice(0, i + 1).reduce((a, b) => a + b, 0)) * 1_000_123n)
          return fc.tuple(...ts.map((t) => lineArb(t).map((line) => ({ ts: t, line }))))
        }),
        fc.array(fc.array(needles, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
        async (entries, groups) => {
          const all = await read(entries)
          const filtered = await read(entries, new LinePrefilter(groups))
          const passes = (l: string) => groups.every((g) => g.some((s) => l.includes(s)))
          const kept = new Set(filtered.out.map((e) => `${e.ts}|${e.line}`))
          for (const e of all.out) if (passes(e.line)) expect(kept.has(`${e.ts}|${e.line}`)).toBe(true)
          expect(filtered.out.every((e) => all.out.some((a) => a.ts === e.ts && a.line === e.line))).toBe(true)
          expect(filtered.scanned).toEqual(all.scanned)
          const enc = new TextEncoder()
          expect(all.scanned).toEqual({ lines: entries.length, bytes: entries.reduce((s, e) => s + enc.encode(e.line).length, 0) })
        },
      ),
      { numRuns: 100 },
    )
  }, 60_000)

  it('rules out the lines without the literal', async () => {
    const entries: ChunkEntry[] = Array.from({ length: 200 }, (_, i) => ({
      ts: T0 + BigInt(i) * 1_000_000n,
      line: `{"ts":"${renderTs(T0 + BigInt(i) * 1_000_000n, TS_FORM_MS)}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"${i % 10 === 0 ? 'error' : 'ok'}"}`,
    }))
    const { out, scanned } = await read(entries, new LinePrefilter([['error']]))
    expect(out.map((e) => e.line)).toEqual(entries.filter((e) => e.line.includes('error')).map((e) => e.line))
    expect(scanned.lines).toBe(200)
  })

  it('narrows nothing for literals made only of hex digits', () => {
    expect(new LinePrefilter([['deadbeef']]).active).toBe(false)
    expect(new LinePrefilter([['0123456789abcdef0123', 'x']]).active).toBe(false)
    expect(new LinePrefilter([['x-0123456789abcdef0123-x']]).active).toBe(false)
    expect(new LinePrefilter([['error']]).active).toBe(true)
  })

  it('keeps the range and counts only lines inside it', async () => {
    const entries: ChunkEntry[] = Array.from({ length: 50 }, (_, i) => ({ ts: T0 + BigInt(i), line: i % 2 ? 'an error' : 'fine' }))
    const { out, scanned } = await read(entries, new LinePrefilter([['error']]), { from: T0 + 10n, through: T0 + 20n })
    expect(out.map((e) => Number(e.ts - T0))).toEqual([11, 13, 15, 17, 19])
    expect(scanned.lines).toBe(10)
  })
})
