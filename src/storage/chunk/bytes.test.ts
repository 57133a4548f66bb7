import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteReader, ByteWriter, unzigzag64, zigzag64 } from './bytes'
import { crc32 } from './crc32'
import { ChunkError } from './errors'

describe('varints', () => {
  it.each([0, 1, 127, 128, 16383, 16384, 2 ** 32, Number.MAX_SAFE_INTEGER])('uvarint %d round-trips', (v) => {
    const w = new ByteWriter(4)
    w.uvarint(v)
    const r = new ByteReader(w.finish())
    expect(r.uvarint()).toBe(v)
    expect(r.remaining).toBe(0)
  })

  it.each([0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n])('uvarintBig %s round-trips', (v) => {
    const w = new ByteWriter()
    w.uvarintBig(v)
    expect(new ByteReader(w.finish()).uvarintBig()).toBe(v)
  })

  it.each([0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n])('zigzag64 %s round-trips', (v) => {
    expect(unzigzag64(zigzag64(v))).toBe(v)
  })

  it('any int64 round-trips through zigzag varint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const w = new ByteWriter()
        w.uvarintBig(zigzag64(v))
        expect(new ByteReader(w.finish()).int64()).toBe(v)
      }),
    )
  })

  it.each([
    ['empty input', []],
    ['unterminated varint', [0x80, 0x80]],
    ['varint longer than 8 bytes for a number', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['number past 2^53', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
  ])('uvarint of %s is a corrupt ChunkError', (_name, bytes) => {
    const r = new ByteReader(Uint8Array.from(bytes))
    expect(() => r.uvarint()).toThrow(ChunkError)
  })

  it('uvarintBig past 2^64 is a corrupt ChunkError', () => {
    const r = new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]))
    expect(() => r.uvarintBig()).toThrow(/too long/)
  })

  it('a reader limited to a slice does not read past its end', () => {
    const r = new ByteReader(Uint8Array.from([1, 2, 3, 4, 5]), 1, 3)
    expect(r.u8()).toBe(2)
    expect(r.u8()).toBe(3)
    expect(() => r.u8()).toThrow(ChunkError)
    expect(() => new ByteReader(Uint8Array.from([1, 2, 3]), 0, 3).u32()).toThrow(ChunkError)
  })

  it('u64 and u32 round-trip little-endian', () => {
    const w = new ByteWriter()
    w.u64(2 ** 40 + 5)
    w.u32(0xdeadbeef)
    const bytes = w.finish()
    expect(bytes[0]).toBe(5)
    const r = new ByteReader(bytes)
    expect(r.u64()).toBe(2 ** 40 + 5)
    expect(r.u32()).toBe(0xdeadbeef)
  })
})

describe('crc32', () => {
  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
  ])('crc32(%j)', (text, want) => {
    expect(crc32(new TextEncoder().encode(text))).toBe(want)
  })
})
