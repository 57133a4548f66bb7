import { describe, expect, it } from 'vitest'
import { fnv1Hex32 } from './fnv1'

// Vectors of Go's hash/fnv New32 (FNV-1): fnv.New32().Write([]byte(in)).Sum32().
describe('fnv1Hex32', () => {
  it.each([
    ['', '811c9dc5'],
    ['a', '050c5d7e'],
    ['foobar', '31f0b262'],
  ])('%j', (input, want) => {
    expect(fnv1Hex32(input)).toBe(want)
  })

  it('hashes parts as their concatenated bytes', () => {
    expect(fnv1Hex32('foo', new TextEncoder().encode('ba'), 'r')).toBe(fnv1Hex32('foobar'))
  })
})
