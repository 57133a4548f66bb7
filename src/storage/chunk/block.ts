/**
 * One block's uncompressed payload, laid out by column so that the compressor sees like next to
 * like: first the entry count and first timestamp, then the timestamp deltas and the line
 * lengths as little-endian byte planes, then structured metadata (a per-block table of names,
 * per-entry pair counts, name references, value lengths, value bytes) and finally all line bytes.
 * `format.md` beside this file is the byte-level specification and explains the measurements
 * behind this layout. Decoding is a generator over the payload: it allocates per entry only the
 * strings it yields, and stops at the end of a requested time range.
 */

import { ByteReader, ByteWriter } from './bytes'
import { corrupt } from './errors'
import { zigzag64 } from './bytes'
import type { ChunkEntry } from './types'

/** An entry whose line and metadata values are already UTF-8 encoded. */
export interface PreparedEntry {
  ts: bigint
  line: Uint8Array
  metadata: Array<[string, Uint8Array]> | undefined
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function widthOf(max: number): number {
  let w = 0
  while (max >= 1) {
    w++
    max = Math.floor(max / 256)
  }
  return w
}

function widthOfBig(max: bigint): number {
  let w = 0
  while (max > 0n) {
    w++
    max >>= 8n
  }
  return w
}

/** Writes `values` as `width` planes: all lowest bytes, then all second bytes, and so on. */
function writePlanes(w: ByteWriter, values: Float64Array, width: number): void {
  w.u8(width)
  const n = values.length
  const out = w.reserve(width * n)
  let div = 1
  for (let k = 0; k < width; k++) {
    const base = k * n
    for (let i = 0; i < n; i++) out[base + i] = Math.floor((values[i] as number) / div) % 256
    div *= 256
  }
}

function writeBigPlanes(w: ByteWriter, values: bigint[], width: number): void {
  w.u8(width)
  const n = values.length
  const out = w.reserve(width * n)
  for (let k = 0; k < width; k++) {
    const shift = BigInt(8 * k)
    for (let i = 0; i < n; i++) out[k * n + i] = Number(((values[i] as bigint) >> shift) & 0xffn)
  }
}

export function encodeBlockPayload(entries: readonly PreparedEntry[], sizeHint: number): Uint8Array {
  const n = entries.length
  const first = entries[0]
  if (!first) throw corrupt('empty block')
  const w = new ByteWriter(sizeHint + 16 * n + 64)
  w.uvarint(n)
  w.uvarintBig(zigzag64(first.ts))

  const deltas = new Float64Array(n - 1)
  let bigDeltas: bigint[] | undefined
  let maxDelta = 0
  let maxBig = 0n
  for (let i = 1; i < n; i++) {
    const d = (entries[i] as PreparedEntry).ts - (entries[i - 1] as PreparedEntry).ts
    if (d > SAFE || bigDeltas) {
      bigDeltas ??= Array.from(deltas.subarray(0, i - 1), (v) => BigInt(v))
      bigDeltas.push(d)
      if (d > maxBig) maxBig = d
    } else {
      const v = Number(d)
      deltas[i - 1] = v
      if (v > maxDelta) maxDelta = v
    }
  }
  if (bigDeltas) writeBigPlanes(w, bigDeltas, widthOfBig(maxBig > BigInt(maxDelta) ? maxBig : BigInt(maxDelta)))
  else writePlanes(w, deltas, widthOf(maxDelta))

  const lens = new Float64Array(n)
  let maxLen = 0
  for (let i = 0; i < n; i++) {
    const len = (entries[i] as PreparedEntry).line.length
    lens[i] = len
    if (len > maxLen) maxLen = len
  }
  writePlanes(w, lens, widthOf(maxLen))

  const names = new Map<string, number>()
  const nameBytes: Uint8Array[] = []
  const enc = new TextEncoder()
  let pairs = 0
  for (const e of entries) {
    if (!e.metadata) continue
    for (const [name] of e.metadata) {
      pairs++
      if (!names.has(name)) {
        names.set(name, names.size)
        nameBytes.push(enc.encode(name))
      }
    }
  }
  w.uvarint(nameBytes.length)
  for (const b of nameBytes) {
    w.uvarint(b.length)
    w.bytes(b)
  }
  w.uvarint(pairs)
  for (const e of entries) w.uvarint(e.metadata ? e.metadata.length : 0)
  if (pairs > 0) {
    for (const e of entries) if (e.metadata) for (const [name] of e.metadata) w.uvarint(names.get(name) as number)
    for (const e of entries) if (e.metadata) for (const [, value] of e.metadata) w.uvarint(value.length)
    for (const e of entries) if (e.metadata) for (const [, value] of e.metadata) w.bytes(value)
  }
  for (const e of entries) w.bytes(e.line)
  return w.finish()
}

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

/** Decodes every string of a column at once when it is pure ASCII, else one slice at a time. */
class StringColumn {
  private readonly ascii: string | undefined
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

  constructor(private readonly bytes: Uint8Array) {
    const all = this.decoder.decode(bytes)
    this.ascii = all.length === bytes.length ? all : undefined
  }

  get(start: number, end: number): string {
    if (this.ascii !== undefined) return this.ascii.slice(start, end)
    return this.decoder.decode(this.bytes.subarray(start, end))
  }
}

export interface TimeRange {
  /** Inclusive lower bound, nanoseconds. */
  from: bigint
  /** Exclusive upper bound, nanoseconds. */
  through: bigint
}

/**
 * Yields the entries of one decompressed block in stored order (ascending timestamp). With a
 * range, entries outside [from, through) are skipped without decoding their text.
 */
export function* decodeBlock(payload: Uint8Array, range?: TimeRange): Generator<ChunkEntry, void, undefined> {
  const r = new ByteReader(payload)
  const n = r.uvarint()
  // Every entry owns at least its one-byte metadata count, which bounds n by the payload size.
  if (n < 1 || n > payload.length) throw corrupt(`block claims ${n} entries in ${payload.length} bytes`)
  const firstTs = r.int64()
  const deltas = readPlanes(r, n - 1, 8)
  const lens = readPlanes(r, n, 4)
  if (!(lens instanceof Float64Array)) throw corrupt('line length wider than 32 bits')

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
  const values = new StringColumn(r.bytes(valueTotal))
  let lineTotal = 0
  for (let i = 0; i < n; i++) lineTotal += lens[i] as number
  const lineBytes = r.bytes(lineTotal)
  if (r.remaining !== 0) throw corrupt(`${r.remaining} trailing bytes after block`)
  const lines = new StringColumn(lineBytes)

  let ts = firstTs
  let lineAt = 0
  let pairAt = 0
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const d = deltas[i - 1] as number | bigint
      ts += typeof d === 'bigint' ? d : BigInt(d)
    }
    const lineEnd = lineAt + (lens[i] as number)
    const count = counts[i] as number
    if (range && ts >= range.through) return
    if (!range || ts >= range.from) {
      const entry: ChunkEntry = { ts, line: lines.get(lineAt, lineEnd) }
      if (count > 0) {
        const md: Array<[string, string]> = []
        for (let p = pairAt; p < pairAt + count; p++) {
          const start = p === 0 ? 0 : (valueEnds[p - 1] as number)
          md.push([names[nameRefs[p] as number] as string, values.get(start, valueEnds[p] as number)])
        }
        entry.metadata = md
      }
      yield entry
    }
    lineAt = lineEnd
    pairAt += count
  }
}
