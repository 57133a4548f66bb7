/**
 * Hex packing. Trace ids, request ids and hashes are long runs of lowercase hexadecimal digits:
 * four bits of information per character that deflate, coding them among ordinary text, stores
 * in closer to five. A run of at least 16 lowercase hex characters that contains at least one
 * letter (a run of decimal digits compresses better as text) is cut out of the stored line and
 * replaced by the byte 0xFF, which never occurs in UTF-8; its length goes to a column of run
 * lengths and its digits, two per byte, to a column of run bytes. Decoding puts the same
 * characters back, so lines round-trip exactly. On the benchmark corpus this saves 5 % of the
 * stored bytes.
 */

import type { ByteWriter } from './bytes'
import { corrupt } from './errors'

export const HEX_MARK = 0xff
export const MIN_HEX_RUN = 16
/** Longest run a reader accepts (a line cannot be longer than a block). */
export const MAX_HEX_RUN = 32 * 1024 * 1024

const HEX_ASCII = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0))

/** Value 0..15 of a lowercase hex digit byte, or -1. */
function nibble(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  return -1
}

/**
 * Packs the hex runs of `buf[start, end)` in place. Run lengths are appended to `lens` and
 * packed digits to `out`; returns the new end of the line.
 */
export function packHexRuns(buf: Uint8Array, start: number, end: number, lens: number[], out: ByteWriter): number {
  let write = start
  let i = start
  while (i < end) {
    const b = buf[i] as number
    if (nibble(b) < 0) {
      buf[write++] = b
      i++
      continue
    }
    let j = i
    let letter = false
    while (j < end) {
      const v = nibble(buf[j] as number)
      if (v < 0) break
      if (v >= 10) letter = true
      j++
    }
    const len = j - i
    if (len >= MIN_HEX_RUN && letter) {
      for (let k = i; k < j; k += 2) {
        const hi = nibble(buf[k] as number)
        const lo = k + 1 < j ? nibble(buf[k + 1] as number) : 0
        out.u8((hi << 4) | lo)
      }
      lens.push(len)
      buf[write++] = HEX_MARK
    } else {
      buf.copyWithin(write, i, j)
      write += len
    }
    i = j
  }
  return write
}

/**
 * The part of `needle` (UTF-8) that a stored line keeps intact wherever the original line holds
 * `needle`: without its leading and trailing hex digits, which may belong to a packed run. Null
 * when nothing is left, or when what is left holds a run long enough to be packed itself.
 */
export function hexSafeCore(needle: Uint8Array): Uint8Array | null {
  let start = 0
  let end = needle.length
  while (start < end && nibble(needle[start] as number) >= 0) start++
  while (end > start && nibble(needle[end - 1] as number) >= 0) end--
  if (start === end) return null
  let run = 0
  for (let i = start; i < end; i++) {
    run = nibble(needle[i] as number) >= 0 ? run + 1 : 0
    if (run >= MIN_HEX_RUN) return null
  }
  return needle.subarray(start, end)
}

/** Cursor over the run-length and run-byte columns of one block. */
export class HexRuns {
  private run = 0
  private at = 0

  constructor(
    private readonly lens: Uint32Array,
    private readonly bytes: Uint8Array,
  ) {}

  /** Passes over the next `count` runs (of a line that is not decoded). */
  skip(count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.run >= this.lens.length) throw corrupt('more hex runs than the block records')
      this.at += ((this.lens[this.run++] as number) + 1) >> 1
    }
  }

  /** Length of a stored line of `length` bytes once its next `count` runs are expanded. */
  unpackedSize(length: number, count: number): number {
    let size = length - count
    for (let r = this.run; r < this.run + count; r++) {
      if (r >= this.lens.length) throw corrupt('more hex runs than the block records')
      size += this.lens[r] as number
    }
    return size
  }

  /**
   * Writes the stored line `line`, its `count` marked runs expanded back to hex digits, to the
   * start of `out` (at least `unpackedSize` long); returns the bytes written.
   */
  unpack(line: Uint8Array, count: number, out: Uint8Array): number {
    let o = 0
    let i = 0
    for (let seen = 0; seen < count; seen++) {
      const mark = line.indexOf(HEX_MARK, i)
      if (mark < 0) throw corrupt('fewer hex marks in a line than its run count')
      out.set(line.subarray(i, mark), o)
      o += mark - i
      i = mark + 1
      const len = this.lens[this.run++] as number
      const need = (len + 1) >> 1
      if (this.at + need > this.bytes.length) throw corrupt('hex run bytes past their column')
      for (let k = 0; k < len; k++) {
        const byte = this.bytes[this.at + (k >> 1)] as number
        out[o++] = HEX_ASCII[k & 1 ? byte & 0x0f : byte >> 4] as number
      }
      this.at += need
    }
    if (line.indexOf(HEX_MARK, i) >= 0) throw corrupt('more hex marks in a line than its run count')
    out.set(line.subarray(i), o)
    return o + line.length - i
  }
}
