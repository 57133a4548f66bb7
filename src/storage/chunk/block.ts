/**
 * Decoding of one block's uncompressed payload (written by `block-writer.ts`; `format.md` beside
 * this file is the byte-level specification). Decoding is a generator over the payload: it
 * checks every length against the bytes actually present before trusting it, allocates per entry
 * only the strings it yields, and stops at the end of a requested time range. Lines come back
 * with their hex runs unpacked (`hex-runs.ts`) and then their elided timestamp text re-inserted
 * (`ts-text.ts`), the reverse of the order in which they were applied.
 */

import { ByteReader } from './bytes'
import { corrupt } from './errors'
import { HexRuns, MAX_HEX_RUN } from './hex-runs'
import { splitTs, TS_FORMS, TsRenderer } from './ts-text'
import type { ChunkEntry } from './types'
import type { LinePrefilter } from './line-search'

export const FLAG_TS_ELISION = 1
export const FLAG_HEX_RUNS = 2
/** Deltas below this keep millisecond arithmetic exact in doubles. */
const SMALL_DELTA = 2 ** 52

/** Reads `count` values stored as byte planes; returns safe numbers or, when wider, bigints. */
function readPlanes(r: ByteReader, count: number, maxWidth: number): Float64Array | bigint[] {
  const width = r.u8()
  if (width > maxWidth) throw corrupt(`plane width ${width} exceeds ${maxWidth}`)
  const planes = r.bytes(width * count)
  if (width <= 6) {
    const out = new Float64Array(count)
    let mul = 1
    for (let k = 0; k < width; k++) {
      const base = k * count
      for (let i = 0; i < count; i++) out[i] = (out[i] as number) + (planes[base + i] as number) * mul
      mul *= 256
    }
    return out
  }
  const out: bigint[] = new Array<bigint>(count)
  for (let i = 0; i < count; i++) {
    let v = 0n
    for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(planes[k * count + i] as number)
    out[i] = v
  }
  return out
}

export interface TimeRange {
  /** Inclusive lower bound, nanoseconds. */
  from: bigint
  /** Exclusive upper bound, nanoseconds. */
  through: bigint
}

/** Values up to this many bytes share one metadata array per block (longer ones are mostly ids). */
const SHARED_VALUE_MAX = 24

/** Whether `s` is the ASCII text of bytes[start, end). */
function asciiEquals(s: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== bytes[start + i]) return false
  return true
}

/** Short ASCII values are built directly; a TextDecoder call costs more than they do. */
function shortString(bytes: Uint8Array, start: number, end: number, dec: TextDecoder): string {
  if (end - start > 32) return dec.decode(bytes.subarray(start, end))
  let out = ''
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number
    if (b >= 0x80) return dec.decode(bytes.subarray(start, end))
    out += String.fromCharCode(b)
  }
  return out
}

export interface DecodeOptions {
  /**
   * False leaves every line out (`line` is '') and gives its byte length as `size` instead, for
   * readers that need only timestamps and metadata: no line text is rebuilt or decoded.
   */
  readonly lines?: boolean
  /** Rules lines out on their stored bytes; the lines it keeps may still fail the query's filters. */
  readonly prefilter?: LinePrefilter
  /** Counts every entry in the range and its line's UTF-8 byte length, returned or ruled out. */
  readonly scanned?: { lines: number; bytes: number }
}

/** The columns of a block payload; the lines column only when asked for. */
function readColumns(payload: Uint8Array, withLines: boolean) {
  const r = new ByteReader(payload)
  const n = r.uvarint()
  // Every entry owns at least its one-byte metadata count, which bounds n by the payload size.
  if (n < 1 || n > payload.length) throw corrupt(`block claims ${n} entries in ${payload.length} bytes`)
  const flags = r.u8()
  if ((flags & ~(FLAG_TS_ELISION | FLAG_HEX_RUNS)) !== 0) throw corrupt(`unknown block flags ${flags}`)
  const firstTs = r.int64()
  const deltas = readPlanes(r, n - 1, 8)
  const lens = readPlanes(r, n, 4)
  if (!(lens instanceof Float64Array)) throw corrupt('line length wider than 32 bits')
  let elisions: Float64Array | undefined
  if (flags & FLAG_TS_ELISION) {
    elisions = new Float64Array(n)
    for (let i = 0; i < n; i++) elisions[i] = r.uvarint()
  }
  let hexCounts: Uint32Array | undefined
  let hexLens: Uint32Array | undefined
  let hexTotal = 0
  if (flags & FLAG_HEX_RUNS) {
    hexCounts = new Uint32Array(n)
    let runs = 0
    for (let i = 0; i < n; i++) {
      const c = r.uvarint()
      // Each run leaves one marker byte in its line.
      if (c > (lens[i] as number)) throw corrupt('more hex runs than bytes in a line')
      hexCounts[i] = c
      runs += c
    }
    if (runs > r.remaining) throw corrupt('hex run count larger than block')
    hexLens = new Uint32Array(runs)
    for (let i = 0; i < runs; i++) {
      const len = r.uvarint()
      if (len < 1 || len > MAX_HEX_RUN) throw corrupt(`hex run of ${len} digits`)
      hexLens[i] = len
      hexTotal += (len + 1) >> 1
    }
  }

  const nameCount = r.uvarint()
  if (nameCount > r.remaining) throw corrupt('metadata name table larger than block')
  const dec = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })
  const names: string[] = []
  for (let i = 0; i < nameCount; i++) names.push(dec.decode(r.bytes(r.uvarint())))
  const pairs = r.uvarint()
  if (pairs > r.remaining) throw corrupt('metadata pair count larger than block')
  const counts = new Uint32Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    const c = r.uvarint()
    counts[i] = c
    sum += c
  }
  if (sum !== pairs) throw corrupt('metadata pair counts do not add up')
  const nameRefs = new Uint32Array(pairs)
  for (let i = 0; i < pairs; i++) {
    const ref = r.uvarint()
    if (ref >= nameCount) throw corrupt('metadata name reference out of range')
    nameRefs[i] = ref
  }
  const valueEnds = new Float64Array(pairs)
  let valueTotal = 0
  for (let i = 0; i < pairs; i++) {
    valueTotal += r.uvarint()
    valueEnds[i] = valueTotal
  }
  const values = r.bytes(valueTotal)
  const hexRuns = hexLens ? new HexRuns(hexLens, r.bytes(hexTotal)) : undefined
  let lineTotal = 0
  for (let i = 0; i < n; i++) lineTotal += lens[i] as number
  let lines: Uint8Array | undefined
  if (withLines) {
    lines = r.bytes(lineTotal)
    if (r.remaining !== 0) throw corrupt(`${r.remaining} trailing bytes after block`)
  }
  return { n, firstTs, deltas, lens, elisions, hexCounts, names, counts, nameRefs, valueEnds, values, hexRuns, lines, dec }

}

/** Yields the entries of one decompressed block (see `decodeBlockEntries`). */
export function* decodeBlock(
  payload: Uint8Array,
  range?: TimeRange,
  opts: DecodeOptions = {},
): Generator<ChunkEntry, void, undefined> {
  yield* decodeBlockEntries(payload, range, opts)
}

/**
 * The entries of one decompressed block in stored order (ascending timestamp). With a range,
 * entries outside [from, through) are skipped without decoding their text; with a prefilter,
 * so are lines it rules out. Timestamps are kept as offsets from the block's first one in
 * doubles (exact below 2^53 ns, 104 days) and become bigints only for the entries returned.
 */
export function decodeBlockEntries(payload: Uint8Array, range?: TimeRange, opts: DecodeOptions = {}): ChunkEntry[] {
  const withLines = opts.lines !== false
  const { n, firstTs, deltas, lens, elisions, hexCounts, names, counts, nameRefs, valueEnds, values, hexRuns, lines, dec } =
    readColumns(payload, withLines)
  const out: ChunkEntry[] = []
  const singlePairs = new Map<number, Array<Array<[string, string]>>>()
  const renderer = new TsRenderer()
  let scratch = new Uint8Array(4096)
  const [ms0, sub0] = splitTs(firstTs)
  // Offsets from the first timestamp; null when the block spans more than doubles hold exactly.
  let offs: Float64Array | null = null
  let tsList: bigint[] | null = null
  if (deltas instanceof Float64Array) {
    offs = new Float64Array(n)
    let off = 0
    for (let i = 1; i < n; i++) {
      off += deltas[i - 1] as number
      offs[i] = off
    }
    if (off >= SMALL_DELTA) offs = null
  }
  if (!offs) {
    tsList = new Array<bigint>(n)
    let t = firstTs
    tsList[0] = t
    for (let i = 1; i < n; i++) {
      const d = deltas[i - 1] as number | bigint
      t += typeof d === 'bigint' ? d : BigInt(d)
      tsList[i] = t
    }
  }
  const tsOf = (i: number): bigint => (offs ? firstTs + BigInt(offs[i] as number) : (tsList as bigint[])[i] as bigint)
  // The range as offsets (doubles order the same way for every offset a block holds exactly).
  const fromOff = range && offs ? Number(range.from - firstTs) : 0
  const throughOff = range && offs ? Number(range.through - firstTs) : 0
  const beforeRange = (i: number): boolean =>
    range !== undefined && (offs ? (offs[i] as number) < fromOff : ((tsList as bigint[])[i] as bigint) < range.from)
  const pastRange = (i: number): boolean =>
    range !== undefined && (offs ? (offs[i] as number) >= throughOff : ((tsList as bigint[])[i] as bigint) >= range.through)
  let ms = 0
  let sub = 0
  /** Sets ms and sub to entry i's timestamp split into milliseconds and the nanoseconds below. */
  const splitAt = (i: number): void => {
    if (!offs) {
      ;[ms, sub] = splitTs((tsList as bigint[])[i] as bigint)
      return
    }
    const total = sub0 + (offs[i] as number)
    const carry = Math.floor(total / 1_000_000)
    ms = ms0 + carry
    sub = total - carry * 1_000_000
  }
  /** The UTF-8 byte length of the last line `lineText` rebuilt. */
  let textSize = 0
  /** The original text of a stored line: hex runs expanded, then its timestamp text put back. */
  const lineText = (stored: Uint8Array, el: number, runs: number): string => {
    let bytes = stored
    if (runs > 0 || el !== 0) {
      // Undo the transforms at the byte level, in reverse order: expand hex runs, then put
      // the timestamp text back.
      const form = (el - 1) % TS_FORMS
      if (el !== 0 && form >= TS_FORMS - 1) throw corrupt(`unknown timestamp form ${form}`)
      const tsLen = el !== 0 ? renderer.byteLength(ms, form) : 0
      const unpacked = runs > 0 ? (hexRuns as HexRuns).unpackedSize(bytes.length, runs) : bytes.length
      if (scratch.length < unpacked + tsLen) scratch = new Uint8Array(2 * (unpacked + tsLen))
      if (el === 0) (hexRuns as HexRuns).unpack(bytes, runs, scratch)
      else {
        const pos = Math.floor((el - 1) / TS_FORMS)
        if (pos > unpacked) throw corrupt('elided timestamp position past its line')
        if (runs > 0) {
          ;(hexRuns as HexRuns).unpack(bytes, runs, scratch)
          scratch.copyWithin(pos + tsLen, pos, unpacked)
        } else {
          scratch.set(bytes.subarray(0, pos), 0)
          scratch.set(bytes.subarray(pos), pos + tsLen)
        }
        renderer.write(ms, sub, form, scratch, pos)
      }
      bytes = scratch.subarray(0, unpacked + tsLen)
    }
    textSize = bytes.length
    // Each string is decoded on its own: slices of one decoded column would keep the whole
    // column alive for as long as a line taken from it lives (results would pin whole blocks).
    return bytes.length === 0 ? '' : dec.decode(bytes)
  }
  /** The original byte length of a stored line, passing over its hex runs. */
  const lineSize = (storedLength: number, el: number, runs: number): number => {
    let size = storedLength
    if (runs > 0) {
      size = (hexRuns as HexRuns).unpackedSize(storedLength, runs)
      ;(hexRuns as HexRuns).skip(runs)
    }
    if (el !== 0) {
      const form = (el - 1) % TS_FORMS
      if (form >= TS_FORMS - 1) throw corrupt(`unknown timestamp form ${form}`)
      size += renderer.byteLength(ms, form)
    }
    return size
  }
  let keep: Uint8Array | null = null
  if (withLines && opts.prefilter?.active) {
    const starts = new Float64Array(n + 1)
    for (let i = 0; i < n; i++) starts[i + 1] = (starts[i] as number) + (lens[i] as number)
    keep = opts.prefilter.candidates({ count: n, bytes: lines as Uint8Array, starts, elisions })
  }
  const scanned = opts.scanned
  let lineAt = 0
  let pairAt = 0
  for (let i = 0; i < n; i++) {
    const lineEnd = lineAt + (lens[i] as number)
    const count = counts[i] as number
    if (pastRange(i)) break
    const runs = hexCounts ? (hexCounts[i] as number) : 0
    if (!beforeRange(i)) {
      const el = elisions ? (elisions[i] as number) : 0
      if (el !== 0) splitAt(i)
      if (keep && keep[i] === 0) {
        if (scanned) {
          scanned.lines++
          scanned.bytes += lineSize(lens[i] as number, el, runs)
        } else if (runs > 0) (hexRuns as HexRuns).skip(runs)
        lineAt = lineEnd
        pairAt += count
        continue
      }
      const ts = tsOf(i)
      const entry: ChunkEntry = withLines
        ? { ts, line: lineText((lines as Uint8Array).subarray(lineAt, lineEnd), el, runs) }
        : { ts, line: '', size: lineSize(lens[i] as number, el, runs) }
      if (scanned) {
        scanned.lines++
        scanned.bytes += entry.size ?? textSize
      }
      if (count === 1) {
        // Most entries carry one pair (detected_level): share one array per distinct short pair,
        // found by a hash of its bytes, so repeated values build no string.
        const start = pairAt === 0 ? 0 : (valueEnds[pairAt - 1] as number)
        const end = valueEnds[pairAt] as number
        const ref = nameRefs[pairAt] as number
        const name = names[ref] as string
        if (end - start > SHARED_VALUE_MAX) entry.metadata = [[name, shortString(values, start, end, dec)]]
        else {
          let h = (0x811c9dc5 ^ ref) >>> 0
          let high = 0
          for (let k = start; k < end; k++) {
            const b = values[k] as number
            high |= b
            h = Math.imul(h ^ b, 0x01000193) >>> 0
          }
          const list = high < 0x80 ? singlePairs.get(h) : undefined
          let md = list?.find((p) => p[0]![0] === name && asciiEquals(p[0]![1], values, start, end))
          if (!md) {
            const value = shortString(values, start, end, dec)
            md = [[name, value]]
            // Only ASCII values can be found again by their bytes.
            if (high < 0x80) {
              if (list) list.push(md)
              else singlePairs.set(h, [md])
            }
          }
          entry.metadata = md
        }
      } else if (count > 0) {
        const md: Array<[string, string]> = []
        for (let p = pairAt; p < pairAt + count; p++) {
          const start = p === 0 ? 0 : (valueEnds[p - 1] as number)
          md.push([names[nameRefs[p] as number] as string, shortString(values, start, valueEnds[p] as number, dec)])
        }
        entry.metadata = md
      }
      out.push(entry)
    } else if (runs > 0) {
      ;(hexRuns as HexRuns).skip(runs)
    }
    lineAt = lineEnd
    pairAt += count
  }
  return out
}
