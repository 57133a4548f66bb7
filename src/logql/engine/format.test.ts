/**
 * Text forms of sample values and timestamps as Loki's JSON writes them.
 */
import { describe, expect, it } from 'vitest'
import { formatSampleTime, formatSampleValue } from './format'

describe('formatSampleValue', () => {
  it.each([
    [1, '1'],
    [0.1, '0.1'],
    [186632.39619999996, '186632.39619999996'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-2.5e-8, '-0.000000025'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s → %s', (v, want) => {
    expect(formatSampleValue(v)).toBe(want)
  })
})

describe('formatSampleTime', () => {
  it.each([
    [1793491800000, '1793491800'],
    [1793495853500, '1793495853.5'],
    [1588889221123, '1588889221.123'],
    [4160624850173000, '4160624850173'],
  ])('%d ms → %s', (ms, want) => {
    expect(formatSampleTime(ms)).toBe(want)
  })
})
