import { describe, expect, it } from 'vitest'
import { parseBytesConv as parseHumanBytes } from '../../go/bytes'
import { parseGoDurationConv as parseGoDuration } from '../../go/duration'
import { conv, goQuote, parseGoFloat } from '../../go/strconv'
import { utf8Length } from '../../go/utf8'
import { parseAddr } from './ip'

describe('parseGoFloat', () => {
  it.each([
    ['1', 1],
    ['-1.5', -1.5],
    ['+2', 2],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['0x1p-2', 0.25],
    ['0x1.8p1', 3],
    ['-0X10P0', -16],
    ['Inf', Infinity],
    ['-infinity', -Infinity],
    ['+INF', Infinity],
    ['1e-400', 0],
    ['1_000', 1000],
    ['1_0.5', 10.5],
    ['1e1_0', 1e10],
    ['0x_1p0', 1],
    ['0x1_0p0', 16],
    ['1_000.', 1000],
  ])('%s = %d', (s, want) => {
    expect(parseGoFloat(s)).toBe(want)
    expect(conv.error).toBe('')
  })

  it('NaN', () => {
    expect(parseGoFloat('nan')).toBeNaN()
    expect(conv.error).toBe('')
  })

  it.each([
    ['', 'strconv.ParseFloat: parsing "": invalid syntax'],
    [' 1', 'strconv.ParseFloat: parsing " 1": invalid syntax'],
    ['1__0', 'strconv.ParseFloat: parsing "1__0": invalid syntax'],
    ['_1', 'strconv.ParseFloat: parsing "_1": invalid syntax'],
    ['1_', 'strconv.ParseFloat: parsing "1_": invalid syntax'],
    ['in_f', 'strconv.ParseFloat: parsing "in_f": invalid syntax'],
    ['0x10', 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    ['+nan', 'strconv.ParseFloat: parsing "+nan": invalid syntax'],
    ['1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
    ['abc"d', 'strconv.ParseFloat: parsing "abc\\"d": invalid syntax'],
    ['12ms', 'strconv.ParseFloat: parsing "12ms": invalid syntax'],
  ])('%j fails with %s', (s, msg) => {
    parseGoFloat(s)
    expect(conv.error).toBe(msg)
  })
})

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['1ns', 1],
    ['1us', 1e3],
    ['1µs', 1e3],
    ['1μs', 1e3],
    ['1.5ms', 1.5e6],
    ['2m58s', 178e9],
    ['1h30m', 5400e9],
    ['-1s', -1e9],
    ['+.5s', 0.5e9],
    ['1.000000001s', 1000000001],
  ])('%s = %d ns', (s, want) => {
    expect(parseGoDuration(s)).toBe(want)
    expect(conv.error).toBe('')
  })

  it.each([
    ['', 'time: invalid duration ""'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1s2', 'time: missing unit in duration "1s2"'],
    ['s', 'time: invalid duration "s"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ])('%j fails with %s', (s, msg) => {
    parseGoDuration(s)
    expect(conv.error).toBe(msg)
  })
})

describe('parseHumanBytes', () => {
  it.each([
    ['42', 42],
    ['42B', 42],
    ['1kB', 1000],
    ['1KB', 1000],
    ['1KiB', 1024],
    ['1.5 MB', 1_500_000],
    ['1,000 kb', 1_000_000],
    ['2 GiB', 2 * 1024 ** 3],
    ['3m', 3_000_000],
    ['1.5B', 1],
  ])('%s = %d', (s, want) => {
    expect(parseHumanBytes(s)).toBe(want)
    expect(conv.error).toBe('')
  })

  it.each([
    ['', 'strconv.ParseFloat: parsing "": invalid syntax'],
    ['-1KB', 'strconv.ParseFloat: parsing "": invalid syntax'],
    ['1 XB', 'unhandled size name: xb'],
    ['1..2', 'strconv.ParseFloat: parsing "1..2": invalid syntax'],
  ])('%j fails with %s', (s, msg) => {
    parseHumanBytes(s)
    expect(conv.error).toBe(msg)
  })
})

describe('goQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['l1\nl2\r\t', '"l1\\nl2\\r\\t"'],
    ['\u0000\u007f', '"\\x00\\x7f"'],
    ['héllo 😀', '"héllo 😀"'],
    ['\u00a0\u200b', '"\\u00a0\\u200b"'],
    ['\ud800', '"\ufffd"'],
  ])('%j → %s', (s, want) => {
    expect(goQuote(s)).toBe(want)
  })
})

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['a\udc00b', 5],
  ])('%j = %d', (s, n) => {
    expect(utf8Length(s)).toBe(n)
    if (!/[\ud800-\udfff]/.test(s)) expect(n).toBe(new TextEncoder().encode(s).length)
  })
})

describe('parseAddr', () => {
  it.each([
    ['1.2.3.4', false],
    ['255.255.255.255', false],
    ['::', true],
    ['::1', true],
    ['2001:db8::1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['::ffff:1.2.3.4', true],
    ['1:2:3:4:5:6:1.2.3.4', true],
  ])('%s parses (v6=%s)', (s, v6) => {
    expect(parseAddr(s)?.v6).toBe(v6)
  })

  it.each(['256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1:2:3:4:5:6:7', '1::2::3', '1:2:3:4:5:6:7:8::', '12345::', 'fe80::1%eth0', '', '1.2.3.4::'])(
    '%j is not an address',
    (s) => {
      expect(parseAddr(s)).toBeNull()
    },
  )
})
