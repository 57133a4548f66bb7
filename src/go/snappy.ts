/**
 * Snappy block-format decoder with Go's `github.com/golang/snappy` semantics: the declared
 * uncompressed length is read and checked against a limit before anything is allocated, every
 * offset and length is bounds-checked, and the output must fill exactly the declared length.
 * Errors carry Go's texts (`snappy: corrupt input`, `snappy: decoded block is too large`).
 */

export class SnappyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SnappyError'
  }
}

const CORRUPT = 'snappy: corrupt input'
const TOO_LARGE = 'snappy: decoded block is too large'

/** The uncompressed length a snappy block declares, and where its body starts. */
export function snappyDecodedLength(src: Uint8Array): { length: number; start: number } {
  let result = 0
  let shift = 0
  for (let i = 0; i < src.length && i < 10; i++) {
    const b = src[i]!
    if (b < 0x80) {
      if (i === 9 && b > 1) throw new SnappyError(CORRUPT)
      result += b * 2 ** shift
      if (result > 0xffffffff) throw new SnappyError(TOO_LARGE)
      return { length: result, start: i + 1 }
    }
    result += (b & 0x7f) * 2 ** shift
    shift += 7
  }
  throw new SnappyError(CORRUPT)
}

/**
 * Decodes one snappy block. `maxLength` is checked against the declared length first; `onTooLarge`
 * builds the error thrown when it is exceeded.
 */
export function snappyDecode(
  src: Uint8Array,
  maxLength: number,
  onTooLarge: (declared: number) => Error,
): Uint8Array {
  const { length, start } = snappyDecodedLength(src)
  if (length > maxLength) throw onTooLarge(length)
  const dst = new Uint8Array(length)
  let s = start
  let d = 0
  const end = src.length
  while (s < end) {
    const tag = src[s]!
    let len: number
    let offset: number
    switch (tag & 3) {
      case 0: {
        let x = tag >>> 2
        if (x < 60) {
          s += 1
        } else if (x === 60) {
          s += 2
          if (s > end) throw new SnappyError(CORRUPT)
          x = src[s - 1]!
        } else if (x === 61) {
          s += 3
          if (s > end) throw new SnappyError(CORRUPT)
          x = src[s - 2]! | (src[s - 1]! << 8)
        } else if (x === 62) {
          s += 4
          if (s > end) throw new SnappyError(CORRUPT)
          x = src[s - 3]! | (src[s - 2]! << 8) | (src[s - 1]! << 16)
        } else {
          s += 5
          if (s > end) throw new SnappyError(CORRUPT)
          x = (src[s - 4]! | (src[s - 3]! << 8) | (src[s - 2]! << 16)) + src[s - 1]! * 0x1000000
        }
        len = x + 1
        if (len > length - d || len > end - s) throw new SnappyError(CORRUPT)
        dst.set(src.subarray(s, s + len), d)
        d += len
        s += len
        continue
      }
      case 1:
        s += 2
        if (s > end) throw new SnappyError(CORRUPT)
        len = 4 + ((tag >>> 2) & 7)
        offset = ((tag & 0xe0) << 3) | src[s - 1]!
        break
      case 2:
        s += 3
        if (s > end) throw new SnappyError(CORRUPT)
        len = 1 + (tag >>> 2)
        offset = src[s - 2]! | (src[s - 1]! << 8)
        break
      default:
        s += 5
        if (s > end) throw new SnappyError(CORRUPT)
        len = 1 + (tag >>> 2)
        offset = (src[s - 4]! | (src[s - 3]! << 8) | (src[s - 2]! << 16)) + src[s - 1]! * 0x1000000
        break
    }
    if (offset <= 0 || d < offset || len > length - d) throw new SnappyError(CORRUPT)
    if (offset >= len) {
      dst.copyWithin(d, d - offset, d - offset + len)
    } else {
      for (let i = 0; i < len; i++) dst[d + i] = dst[d - offset + i]!
    }
    d += len
  }
  if (d !== length) throw new SnappyError(CORRUPT)
  return dst
}
