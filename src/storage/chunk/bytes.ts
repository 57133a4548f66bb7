/**
 * Byte-level building blocks of the chunk format: a growable writer and a bounds-checked reader
 * for unsigned LEB128 varints (numbers up to 2^53, bigints up to 2^64), zigzag-encoded signed
 * 64-bit integers and fixed little-endian words. The reader never reads past its slice: running
 * out of bytes raises a `ChunkError` instead of returning garbage, which is what keeps decoding of
 * hostile input bounded.
 */

import { corrupt } from './errors'

const UTF8 = new TextEncoder()
const TWO_POW_64 = 1n << 64n
const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n

export function isInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX
}

export function zigzag64(v: bigint): bigint {
  return v >= 0n ? v << 1n : ((-v) << 1n) - 1n
}

export function unzigzag64(v: bigint): bigint {
  return (v & 1n) === 0n ? v >> 1n : -((v + 1n) >> 1n)
}

export class ByteWriter {
  private buf: Uint8Array
  length = 0

  constructor(initial = 1024) {
    this.buf = new Uint8Array(Math.max(16, initial))
  }

  private ensure(extra: number): void {
    const need = this.length + extra
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }

  u8(v: number): void {
    this.ensure(1)
    this.buf[this.length++] = v & 0xff
  }

  /** Unsigned varint of a non-negative safe integer. */
  uvarint(v: number): void {
    this.ensure(8)
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buf[this.length++] = v
  }

  /** Unsigned varint of a bigint in [0, 2^64). */
  uvarintBig(v: bigint): void {
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return this.uvarint(Number(v))
    this.ensure(10)
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.buf[this.length++] = Number(v)
  }

  u32(v: number): void {
    this.ensure(4)
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0, true)
    this.length += 4
  }

  u64(v: number): void {
    this.ensure(8)
    const dv = new DataView(this.buf.buffer)
    dv.setUint32(this.length, v % 0x1_0000_0000, true)
    dv.setUint32(this.length + 4, Math.floor(v / 0x1_0000_0000), true)
    this.length += 8
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  /** Appends the UTF-8 encoding of `s`; returns the number of bytes written. */
  utf8(s: string): number {
    this.ensure(s.length * 3)
    const { written } = UTF8.encodeInto(s, this.buf.subarray(this.length))
    this.length += written
    return written
  }

  /** Drops everything from byte `n` on. */
  truncate(n: number): void {
    this.length = Math.min(this.length, n)
  }

  /** Removes `n` bytes at `at`, moving what follows back. */
  remove(at: number, n: number): void {
    this.buf.copyWithin(at, at + n, this.length)
    this.length -= n
  }

  /** Reserves `n` bytes and returns a view the caller fills in place. */
  reserve(n: number): Uint8Array {
    this.ensure(n)
    const view = this.buf.subarray(this.length, this.length + n)
    this.length += n
    return view
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length)
  }

  /** The bytes written so far, without copying (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length)
  }
}

export class ByteReader {
  pos: number

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start
  }

  get remaining(): number {
    return this.end - this.pos
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw corrupt(`unexpected end of data at byte ${this.pos}`)
  }

  u8(): number {
    this.need(1)
    return this.buf[this.pos++] as number
  }

  /** Unsigned varint that must fit a safe integer. */
  uvarint(): number {
    let result = 0
    let mul = 1
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw corrupt(`unexpected end of data at byte ${this.pos}`)
      const b = this.buf[this.pos++] as number
      result += (b & 0x7f) * mul
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) break
        return result
      }
      mul *= 0x80
    }
    throw corrupt('varint too long')
  }

  /** Unsigned varint in [0, 2^64). */
  uvarintBig(): bigint {
    const start = this.pos
    let result = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw corrupt(`unexpected end of data at byte ${this.pos}`)
      const b = this.buf[this.pos++] as number
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) {
        if (result >= TWO_POW_64) break
        return result
      }
      shift += 7n
    }
    throw corrupt(`64-bit varint too long at byte ${start}`)
  }

  int64(): bigint {
    return unzigzag64(this.uvarintBig())
  }

  u32(): number {
    this.need(4)
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4)
    this.pos += 4
    return dv.getUint32(0, true)
  }

  u64(): number {
    this.need(8)
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8)
    this.pos += 8
    const v = dv.getUint32(0, true) + dv.getUint32(4, true) * 0x1_0000_0000
    if (!Number.isSafeInteger(v)) throw corrupt('64-bit offset out of range')
    return v
  }

  bytes(n: number): Uint8Array {
    this.need(n)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
}
