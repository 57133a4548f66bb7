import { describe, expect, it } from 'vitest'
import { chunkKb, factorOfTime, factorOfTimeNs, indexStats, type SeriesData } from './index-stats'
import { computeVolume, encodeVolume, prepareMatchers, volumeBuckets } from './volume'

const MS = 1_000_000n

function series(labels: Record<string, string>, chunks: SeriesData['chunks'], head: SeriesData['head'] = null): SeriesData {
  return { stream: { fingerprint: JSON.stringify(labels), labels, canonical: '', firstSeenMs: 0, lastSeenMs: 0 }, chunks, head }
}

describe('factorOfTime', () => {
  it.each([
    [[0, 100, 0, 100], 1],
    [[0, 50, 0, 100], 0.5],
    [[25, 75, 0, 100], 0.5],
    [[200, 300, 0, 100], 0],
    [[0, 10, 5, 5], 1],
    [[-50, 50, 0, 100], 0.5],
  ])('%j → %d', (args, want) => {
    const [a, b, c, d] = args as [number, number, number, number]
    expect(factorOfTime(a, b, c, d)).toBe(want)
    expect(factorOfTimeNs(BigInt(a), BigInt(b), BigInt(c), BigInt(d))).toBe(want)
  })
})

describe('chunkKb', () => {
  it.each([
    [2123, 22, true, 2],
    [1694, 22, false, 2],
    [512, 1, false, 1],
    [100, 10, true, 0],
  ])('%d raw bytes, %d entries, level detection %s → %d KiB', (raw, entries, level, kb) => {
    expect(chunkKb(raw, entries, level)).toBe(kb)
  })
})

describe('indexStats', () => {
  const a = series({ app: 'a' }, [{ minMs: 0, maxMs: 100_000, kb: 10, entries: 100 }])
  const b = series({ app: 'b' }, [{ minMs: 90_000, maxMs: 100_000, kb: 1, entries: 3 }])
  const h = series({ app: 'h' }, [], { minNs: 0n, maxNs: 100_000n * MS, entries: 7, bytes: 1000 })

  it('whole range: every chunk in full', () => {
    expect(indexStats([a, b, h], 0n, 100_000n * MS)).toEqual({ streams: 3, chunks: 3, bytes: 11 * 1024 + 1000, entries: 110 })
  })

  it('first half: prorated and truncated; a series with no prorated entries is not counted', () => {
    expect(indexStats([a, b, h], 0n, 50_000n * MS)).toEqual({ streams: 2, chunks: 2, bytes: 5 * 1024 + 500, entries: 53 })
  })

  it('a range touching only the chunk start of b by 1 ms counts nothing of b', () => {
    expect(indexStats([b], 0n, 90_001n * MS)).toEqual({ streams: 0, chunks: 0, bytes: 0, entries: 0 })
  })
})

describe('volume', () => {
  it.each([
    ['instant', 0, [[0n, 180_000n * MS]]],
    ['aligned step', 60_000, [[0n, 59_999n * MS], [60_000n * MS, 119_999n * MS], [120_000n * MS, 180_000n * MS]]],
    ['unaligned start', 60_000, [[30_000n * MS, 59_999n * MS], [60_000n * MS, 90_000n * MS]]],
  ])('buckets: %s', (name, step, want) => {
    const [start, end] = name === 'unaligned start' ? [30_000n * MS, 90_000n * MS] : [0n, 180_000n * MS]
    expect(volumeBuckets(start, end, step)).toEqual(want)
  })

  it('target labels not in the selector get a .+ matcher', () => {
    const { labelsToMatch, matchers } = prepareMatchers(['env', 'app'], [{ type: '=', name: 'app', value: 'x' }])
    expect([...labelsToMatch]).toEqual(['env', 'app'])
    expect(matchers).toEqual([{ type: '=', name: 'app', value: 'x' }, { type: '=~', name: 'env', value: '.+' }])
  })

  const s1 = series({ app: 'a', env: 'prod' }, [{ minMs: 0, maxMs: 120_000, kb: 12, entries: 120 }])
  const s2 = series({ app: 'b', env: 'prod' }, [{ minMs: 0, maxMs: 120_000, kb: 2, entries: 120 }])
  const s3 = series({ app: 'c', env: 'dev' }, [{ minMs: 0, maxMs: 120_000, kb: 1, entries: 1 }])
  const req = { matchers: [{ type: '=~' as const, name: 'app', value: '.+' }], targetLabels: [], aggregateBy: 'series' as const, limit: 2 }

  it('instant: a vector of the limit largest series at end', () => {
    const v = encodeVolume(computeVolume([s1, s2, s3], req, 0n, 120_000n * MS, 0, 100))
    expect(v).toEqual({
      resultType: 'vector',
      result: [
        { metric: { app: 'a' }, value: [120, String(12 * 1024)] },
        { metric: { app: 'b' }, value: [120, String(2 * 1024)] },
      ],
    })
  })

  it('range: a matrix; a series only has samples in buckets where its chunks have entries', () => {
    const late = series({ app: 'd', env: 'prod' }, [{ minMs: 60_000, maxMs: 120_000, kb: 4, entries: 10 }])
    const v = encodeVolume(computeVolume([s1, late, s3], { ...req, limit: 10 }, 0n, 120_000n * MS, 60_000, 100))
    expect(v).toEqual({
      resultType: 'matrix',
      result: [
        { metric: { app: 'a' }, values: [[59.999, '5120'], [120, '6144']] },
        { metric: { app: 'd' }, values: [[120, '4096']] },
      ],
    })
  })

  it('aggregateBy=labels with target labels sums per label name', () => {
    const v = computeVolume([s1, s2], { ...req, targetLabels: ['env'], aggregateBy: 'labels', limit: 10 }, 0n, 120_000n * MS, 0, 100)
    expect(v.series).toEqual([{ metric: { env: '' }, samples: [{ ts: 120_000, value: 14 * 1024 }] }])
  })

  it('more series than volume_max_series is an error', () => {
    expect(() => computeVolume([s1, s2, s3], { ...req, limit: 10 }, 0n, 120_000n * MS, 0, 2)).toThrow(
      'the query hit the max number of series limit (limit: 2 series)',
    )
  })
})
