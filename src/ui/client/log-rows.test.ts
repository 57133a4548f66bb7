import { describe, expect, it } from 'vitest'
import { compareNs, formatNs, levelNamed, levelOf, lineFields, rowsOf } from './log-rows.mjs'

describe('rowsOf', () => {
  it('merges streams newest first, comparing nanoseconds beyond float precision', () => {
    const rows = rowsOf([
      { labels: { app: 'a' }, values: [{ ts: '1700000000000000002', line: 'a2', metadata: {}, parsed: {} }, { ts: '999999999999999999', line: 'a0', metadata: {}, parsed: {} }] },
      { labels: { app: 'b' }, values: [{ ts: '1700000000000000001', line: 'b1', metadata: {}, parsed: {} }] },
    ])
    expect(rows.map((r) => r.line)).toEqual(['a2', 'b1', 'a0'])
    expect(new Set(rows.map((r) => r.key)).size).toBe(3)
  })

  it('orders decimal nanosecond strings', () => {
    expect(compareNs('10', '9')).toBeGreaterThan(0)
    expect(compareNs('1700000000000000001', '1700000000000000002')).toBeLessThan(0)
    expect(compareNs('5', '5')).toBe(0)
  })
})

describe('levels', () => {
  it.each([
    ['ERROR', 'error'],
    ['warning', 'warn'],
    ['fatal', 'critical'],
    ['INFO', 'info'],
    ['dbg', 'debug'],
    ['trace', 'trace'],
    ['', 'unknown'],
    ['loud', 'unknown'],
  ])('%s is %s', (raw, want) => expect(levelNamed(raw)).toBe(want))

  it('prefers detected_level metadata over a level label', () => {
    const row = { key: '', ts: '1', line: '', labels: { level: 'info' }, metadata: { detected_level: 'error' }, parsed: {} }
    expect(levelOf(row)).toBe('error')
    expect(levelOf({ ...row, metadata: {} })).toBe('info')
  })
})

describe('lineFields', () => {
  it('flattens a JSON line as | json names its fields', () => {
    expect(lineFields('{"level":"info","req":{"path":"/x","ms":3},"ok":true}')).toEqual({ level: 'info', req_path: '/x', req_ms: '3', ok: 'true' })
  })
  it('reads a logfmt line with quoted values', () => {
    expect(lineFields('level=warn msg="disk \\"sda\\" full" pct=93')).toEqual({ level: 'warn', msg: 'disk "sda" full', pct: '93' })
  })
  it('finds no fields in plain text', () => {
    expect(lineFields('connection reset by peer')).toEqual({})
    expect(lineFields('{not json')).toEqual({})
  })
})

it('formats a nanosecond timestamp in UTC with milliseconds', () => {
  expect(formatNs('1767323045678901234')).toBe('2026-01-02 03:04:05.678')
})
