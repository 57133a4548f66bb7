/**
 * Go/Prometheus duration and go-humanize byte-size conversions used by the lexer and printer.
 */

import { describe, expect, it } from 'vitest'
import { humanizeBytes, parseBytes } from '../../go/bytes'
import { formatGoDuration, formatPromDuration, parseGoDuration, parsePromDuration } from '../../go/duration'
import { parseLokiDuration } from './units'
import { formatGoFloatF, formatGoFloatV } from './number-format'
import { goQuote, goUnquote } from '../../go/strconv'

const S = 1_000_000_000n
const MS = 1_000_000n

describe('Prometheus durations', () => {
  const ok: readonly (readonly [string, bigint])[] = [
    ['5m', 300n * S],
    ['1h30m', 5400n * S],
    ['2d', 172800n * S],
    ['1w', 604800n * S],
    ['1y', 31536000n * S],
    ['1500ms', 1500n * MS],
    ['0', 0n],
    ['1y2w3d4h5m6s7ms', 31536000n * S + 1209600n * S + 259200n * S + 14400n * S + 300n * S + 6n * S + 7n * MS],
  ]
  for (const [s, ns] of ok) it(s, () => expect(parsePromDuration(s)).toBe(ns))
  it('rejects fractions, unknown units and wrong order', () => {
    expect(() => parsePromDuration('1.5h')).toThrow('unknown unit "." in duration "1.5h"')
    expect(() => parsePromDuration('5x')).toThrow('unknown unit "x" in duration "5x"')
    expect(() => parsePromDuration('5m1h')).toThrow('not a valid duration string: "5m1h"')
    expect(() => parsePromDuration('')).toThrow('empty duration string')
  })
})

describe('Go durations', () => {
  const ok: readonly (readonly [string, bigint])[] = [
    ['1.5h', 5400n * S],
    ['-5m', -300n * S],
    ['+1s', S],
    ['250ms', 250n * MS],
    ['10us', 10_000n],
    ['10µs', 10_000n],
    ['10μs', 10_000n],
    ['3ns', 3n],
    ['1h0m0.5s', 3600n * S + 500n * MS],
    ['.5s', 500n * MS],
    ['0', 0n],
  ]
  for (const [s, ns] of ok) it(s, () => expect(parseGoDuration(s)).toBe(ns))
  it('reports Go errors', () => {
    expect(() => parseGoDuration('5minutes')).toThrow('time: unknown unit "minutes" in duration "5minutes"')
    expect(() => parseGoDuration('5')).toThrow('time: missing unit in duration "5"')
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""')
    expect(() => parseGoDuration('1d')).toThrow('time: unknown unit "d" in duration "1d"')
  })
  it('Loki tries Prometheus syntax first, then Go', () => {
    expect(parseLokiDuration('1d')).toBe(86400n * S)
    expect(parseLokiDuration('1.5m')).toBe(90n * S)
  })
  const fmt: readonly (readonly [bigint, string])[] = [
    [0n, '0s'],
    [300n * S, '5m0s'],
    [3600n * S, '1h0m0s'],
    [5400n * S + 500n * MS, '1h30m0.5s'],
    [250n * MS, '250ms'],
    [1500n, '1.5µs'],
    [7n, '7ns'],
    [-300n * S, '-5m0s'],
    [120n * 3600n * S, '120h0m0s'],
  ]
  for (const [ns, s] of fmt) it(`formats ${s}`, () => expect(formatGoDuration(ns)).toBe(s))
  const prom: readonly (readonly [bigint, string])[] = [
    [0n, '0s'],
    [300n * S, '5m'],
    [5400n * S, '1h30m'],
    [7n * 86400n * S, '1w'],
    [10n * 86400n * S, '10d'],
    [365n * 86400n * S, '1y'],
    [366n * 86400n * S, '366d'],
    [1500n * MS, '1s500ms'],
    [999_999n, '0s'],
  ]
  for (const [ns, s] of prom) it(`formats range ${s}`, () => expect(formatPromDuration(ns)).toBe(s))
})

describe('byte sizes', () => {
  const parse: readonly (readonly [string, number])[] = [
    ['10MB', 10_000_000],
    ['10M', 10_000_000],
    ['1KiB', 1024],
    ['2.5KiB', 2560],
    ['1kB', 1000],
    ['1KB', 1000],
    ['5B', 5],
    ['5', 5],
    ['1GiB', 1024 ** 3],
    ['1 MB', 1_000_000],
  ]
  for (const [s, n] of parse) it(s, () => expect(parseBytes(s)).toBe(n))
  it('rejects unknown units', () => expect(() => parseBytes('10XB')).toThrow('unhandled size name: xb'))
  const human: readonly (readonly [number, string])[] = [
    [5, '5 B'],
    [10, '10 B'],
    [1000, '1.0 kB'],
    [1024, '1.0 kB'],
    [2560, '2.6 kB'],
    [10_000_000, '10 MB'],
    [125_000, '125 kB'],
    [1_250_000_000, '1.3 GB'],
    [1_240_000_000, '1.2 GB'],
  ]
  for (const [n, s] of human) it(`humanizes ${n}`, () => expect(humanizeBytes(n)).toBe(s))
})

describe('Go float formatting', () => {
  const v: readonly (readonly [number, string])[] = [
    [2, '2'],
    [1.6, '1.6'],
    [-1.5, '-1.5'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ]
  for (const [n, s] of v) it(`%v ${s}`, () => expect(formatGoFloatV(n)).toBe(s))
  const f: readonly (readonly [number, string])[] = [
    [500, '500'],
    [5.01, '5.01'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [-0.5, '-0.5'],
  ]
  for (const [n, s] of f) it(`'f' ${s}`, () => expect(formatGoFloatF(n)).toBe(s))
})

describe('Go strings', () => {
  const quote: readonly (readonly [string, string])[] = [
    ['abc', '"abc"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['\n\t\r', '"\\n\\t\\r"'],
    ['\x07\b\f\v', '"\\a\\b\\f\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    ['é✓😀', '"é✓😀"'],
    ['\u00a0\u200b\u2028', '"\\u00a0\\u200b\\u2028"'],
  ]
  for (const [s, q] of quote) it(`quotes ${JSON.stringify(s)}`, () => expect(goQuote(s)).toBe(q))
  const unquote: readonly (readonly [string, string])[] = [
    ['"abc"', 'abc'],
    ['`a\\b`', 'a\\b'],
    ['"\\u00e9\\U0001F600"', 'é😀'],
    ['"\\101\\x41"', 'AA'],
    ['"\\\'"'.replace("\\'", "'"), "'"],
  ]
  for (const [q, s] of unquote) it(`unquotes ${q}`, () => expect(goUnquote(q)).toBe(s))
  it('rejects invalid escapes', () => {
    expect(() => goUnquote('"\\q"')).toThrow('invalid syntax')
    expect(() => goUnquote('"\\400"')).toThrow('invalid syntax')
    expect(() => goUnquote('"\\\'"')).toThrow('invalid syntax')
    expect(() => goUnquote('"\\ud800"')).toThrow('invalid syntax')
  })
})
