import { describe, expect, it } from 'vitest'
import { formatTime, msToNs, parseTime, resolveRange, stepSeconds } from './time-range.mjs'

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678)

describe('parseTime', () => {
  it.each([
    ['now', NOW],
    ['now-30s', NOW - 30_000],
    ['now-15m', NOW - 900_000],
    ['now-6h', NOW - 6 * 3_600_000],
    ['now-7d', NOW - 7 * 86_400_000],
    ['now-1w', NOW - 7 * 86_400_000],
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    [' 2026-01-01T00:00:00.5Z ', Date.UTC(2026, 0, 1, 0, 0, 0, 500)],
    ['2026-01-01 10:30', Date.UTC(2026, 0, 1, 10, 30)],
    ['2026-01-01T10:30:00+02:00', Date.UTC(2026, 0, 1, 8, 30)],
    ['2026-01-01', Date.UTC(2026, 0, 1)],
  ])('%s', (text, want) => expect(parseTime(text, NOW)).toBe(want))

  it.each(['', 'now-', 'now-5', 'now+5m', 'yesterday', 'now-5y', '2026-13-01', '2026-01-01T25:00', '1 May 2001', '1700000000'])('refuses %j', (text) => expect(parseTime(text, NOW)).toBeNull())
})

describe('resolveRange', () => {
  it('resolves both ends', () => expect(resolveRange('now-1h', 'now', NOW)).toEqual({ startMs: NOW - 3_600_000, endMs: NOW }))
  it('names a bad start, a bad end and a reversed range', () => {
    expect(resolveRange('soon', 'now', NOW)).toBe('cannot read the start time "soon"')
    expect(resolveRange('now-1h', 'later', NOW)).toBe('cannot read the end time "later"')
    expect(resolveRange('now', 'now-1h', NOW)).toBe('the end of the range must be after its start')
  })
})

describe('steps and units', () => {
  it('draws at most the given points, whole seconds, at least one', () => {
    expect(stepSeconds({ startMs: 0, endMs: 3_600_000 }, 120)).toBe(30)
    expect(stepSeconds({ startMs: 0, endMs: 3_600_001 }, 120)).toBe(31)
    expect(stepSeconds({ startMs: 0, endMs: 10_000 }, 120)).toBe(1)
  })
  it('converts to nanoseconds exactly and formats UTC seconds', () => {
    expect(msToNs(NOW)).toBe(1767323045678000000n)
    expect(formatTime(NOW)).toBe('2026-01-02T03:04:05Z')
  })
})
