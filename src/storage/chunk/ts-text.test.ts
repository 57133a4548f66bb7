import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeChunk } from './chunk'
import { encodeChunk } from './chunk-writer'
import { findTs, renderTs, TS_FORM_CLF, TS_FORM_MS, TS_FORM_NS, TsRenderer } from './ts-text'
import type { ChunkEntry } from './types'

const TS = 1_793_491_204_890_379_802n // 2026-11-01T00:00:04.890379802Z

async function roundTrip(input: ChunkEntry[], elideTimestamps = true): Promise<{ got: ChunkEntry[]; size: number }> {
  const { bytes } = await encodeChunk(input, { elideTimestamps, codec: 'none' })
  const got: ChunkEntry[] = []
  for await (const e of decodeChunk(bytes)) got.push(e)
  return { got, size: bytes.length }
}

describe('renderTs', () => {
  it.each([
    [TS, TS_FORM_MS, '2026-11-01T00:00:04.890Z'],
    [TS, TS_FORM_NS, '2026-11-01T00:00:04.890379802Z'],
    [0n, TS_FORM_NS, '1970-01-01T00:00:00.000000000Z'],
    [-1n, TS_FORM_MS, '1969-12-31T23:59:59.999Z'],
    [-1n, TS_FORM_NS, '1969-12-31T23:59:59.999999999Z'],
    [TS, TS_FORM_CLF, '01/Nov/2026:00:00:04 +0000'],
    [-1n, TS_FORM_CLF, '31/Dec/1969:23:59:59 +0000'],
  ])('renderTs(%s, form %d) is %s', (ts, form, want) => {
    expect(renderTs(ts, form)).toBe(want)
  })
})

describe('TsRenderer', () => {
  it('renders exactly what toISOString renders, for any millisecond', () => {
    const r = new TsRenderer()
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), (ts, step) => {
        for (const t of [ts, ts + step]) {
          if (t >= 2n ** 63n) continue
          let ms = t / 1_000_000n
          if (ms * 1_000_000n > t) ms -= 1n
          const iso = new Date(Number(ms)).toISOString()
          expect(r.render(t, TS_FORM_MS)).toBe(iso)
          const frac = String(((t % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).padStart(9, '0')
          expect(r.render(t, TS_FORM_NS)).toBe(`${iso.slice(0, -4)}${frac}Z`)
          const d = new Date(Number(ms))
          const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
          const p2 = (n: number) => String(n).padStart(2, '0')
          const clf = `${p2(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
          expect(r.render(t, TS_FORM_CLF)).toBe(clf)
        }
      }),
      { numRuns: 2000 },
    )
  })
})

describe('findTs', () => {
  it.each([
    ['{"ts":"2026-11-01T00:00:04.890Z","level":"info"}', { index: 7, length: 24, form: TS_FORM_MS }],
    ['ts=2026-11-01T00:00:04.890379802Z level=info', { index: 3, length: 30, form: TS_FORM_NS }],
    ['2026-11-01T00:00:04.890Z', { index: 0, length: 24, form: TS_FORM_MS }],
    ['10.0.0.1 - - [01/Nov/2026:00:00:04 +0000] "GET / HTTP/1.1" 200', { index: 14, length: 26, form: TS_FORM_CLF }],
    ['[01/Nov/2026:00:00:05 +0000] one second later', undefined],
    ['[01/Nov/2026:00:00:04 +0100] another zone', undefined],
    ['at 2026-11-01T00:00:04.891Z (one millisecond later)', undefined],
    ['2026-11-01 00:00:04.890 (not ISO)', undefined],
    ['short', undefined],
  ])('%s', (line, want) => {
    expect(findTs(line, TS, new TsRenderer())).toEqual(want)
  })
})

describe('timestamp elision round trip', () => {
  it.each<[string, string]>([
    ['JSON with ms time', '{"ts":"2026-11-01T00:00:04.890Z","msg":"hi"}'],
    ['logfmt with ns time at the end', 'level=info msg=x ts=2026-11-01T00:00:04.890379802Z'],
    ['non-ASCII before the time', 'héllo 😀 2026-11-01T00:00:04.890Z wörld'],
    ['the time twice', '2026-11-01T00:00:04.890Z 2026-11-01T00:00:04.890Z'],
    ['a different time', '2026-11-01T00:00:05.000Z'],
    ['an nginx access log line', '10.0.0.1 - - [01/Nov/2026:00:00:04 +0000] "GET /a HTTP/1.1" 200 12'],
  ])('%s comes back unchanged', async (_name, line) => {
    const input = [{ ts: TS, line }, { ts: TS + 1n, line: `x ${line}` }]
    expect((await roundTrip(input)).got).toEqual(input)
  })

  it('elision makes a block smaller than storing the time text', async () => {
    const input = Array.from({ length: 100 }, (_, i) => {
      const ts = TS + BigInt(i) * 1_234_567_891n
      return { ts, line: `{"ts":"${renderTs(ts, TS_FORM_MS)}","i":${i}}` }
    })
    const on = await roundTrip(input, true)
    const off = await roundTrip(input, false)
    expect(on.got).toEqual(input)
    expect(off.got).toEqual(input)
    expect(on.size).toBeLessThan(off.size - 100 * 20)
  })

  it('a block of lines holding their own timestamps, with any gaps between them, round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 2_000_000n }), fc.bigInt({ min: 0n, max: 2n ** 56n })), { minLength: 1, maxLength: 40 }),
        async (start, gaps) => {
          let ts = start
          const input = gaps.map((gap, i) => {
            ts += gap
            return { ts, line: `${i} ${renderTs(ts, i % 3)} end` }
          })
          expect((await roundTrip(input)).got).toEqual(input)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('any line holding its own timestamp anywhere round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom(TS_FORM_MS, TS_FORM_NS, TS_FORM_CLF),
        async (ts, before, after, form) => {
          const input = [{ ts, line: before + renderTs(ts, form) + after }]
          expect((await roundTrip(input)).got).toEqual(input)
        },
      ),
      { numRuns: 200 },
    )
  })
})
