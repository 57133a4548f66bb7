import { describe, expect, it } from 'vitest'
import { xxhash64 } from './xxhash64'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('xxhash64', () => {
  // Reference values of XXH64 with seed 0.
  it.each([
    ['', 0xef46db3751d8e999n],
    ['a', 0xd24ec4f1a98c6e5bn],
    ['abc', 0x44bc2cf5ad770999n],
    ['Nobody inspects the spammish repetition', 0xfbcea83c8a378bf1n],
    // Past 32 bytes, the four-lane path (value from cespare/xxhash).
    ['abcdefghijklmnopqrstuvwxyz012345678901234567890123456789', 0x75e6c25e2be8cf24n],
  ])('%j', (s, want) => {
    expect(xxhash64(enc(s))).toBe(want)
  })
})
