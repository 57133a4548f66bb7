import { describe, expect, it } from 'vitest'
import { hasFilter, parseDeletionQuery, shardRanges } from './delete-requests'

const H = 3_600_000

describe('shardRanges (Loki buildRequests with util.ForInterval, end exclusive)', () => {
  it.each([
    ['no interval keeps the request whole', 90 * 60_000, 5 * H, 0, [[90 * 60_000, 5 * H]]],
    ['an interval as long as the range keeps it whole', 0, 2 * H, 2 * H, [[0, 2 * H]]],
    ['the first shard starts at start, the rest on interval boundaries', 90 * 60_000, 5 * H, H, [[90 * 60_000, 2 * H], [2 * H, 3 * H], [3 * H, 4 * H], [4 * H, 5 * H]]],
    ['the last shard ends at end', 0, 2 * H + 1, H, [[0, H], [H, 2 * H], [2 * H, 2 * H + 1]]],
  ] as const)('%s', (_, start, end, interval, want) => {
    expect(shardRanges(start, end, interval)).toEqual(want)
  })
})

describe('hasFilter (Loki LogSelectorExpr.HasFilter)', () => {
  it.each([
    ['{a="b"}', false],
    ['{a="b"} |= ""', false],
    ['{a="b"} |~ ""', false],
    ['{a="b"} != ""', true],
    ['{a="b"} |= "x"', true],
    ['{a="b"} | logfmt', false],
    ['{a="b"} | logfmt | level="error"', true],
  ] as const)('%s', (q, want) => {
    expect(hasFilter(parseDeletionQuery(q))).toBe(want)
  })

  it('refuses metric queries and bad selectors with one text', () => {
    for (const q of ['count_over_time({a="b"}[1m])', '{a=', 'rate({a="b"}[5m]) > 1']) {
      expect(() => parseDeletionQuery(q)).toThrow('invalid query expression')
    }
  })
})
