/**
 * Builds one block's uncompressed payload, laid out by column so that the compressor sees like
 * next to like: the entry count, flags and first timestamp; the timestamp deltas and the line
 * lengths as little-endian byte planes; the positions of elided timestamp text (`ts-text.ts`);
 * the hex runs cut out of lines (`hex-runs.ts`);
 * structured metadata (a per-block table of names, per-entry pair counts, name references, value
 * lengths, value bytes); and finally all line bytes. Entries are appended one at a time straight
 * into the column buffers (UTF-8 via `encodeInto`, no per-entry byte arrays), in the order they
 * must be stored: ascending timestamp. `format.md` has the byte-level specification and the
 * measurements behind this layout.
 */

import { FLAG_HEX_RUNS, FLAG_TS_ELISION } from './block'
import { ByteWriter, zigzag64 } from './bytes'
import { MIN_HEX_RUN, packHexRuns } from './hex-runs'
import { findTs, TS_FORMS, type TsRenderer } from './ts-text'
import type { ChunkEntry } from './types'

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const UTF8 = new TextEncoder()

function widthOf(max: bigint): number {
  let w = 0
  while (max > 0n) {
    w++
    max >>= 8n
  }
  return w
}

/** Writes `values` as byte planes: a width byte, all lowest bytes, all second bytes, ... */
function writePlanes(w: ByteWriter, values: ArrayLike<number>, max: number): void {
  const width = widthOf(BigInt(max))
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

function writeBigPlanes(w: ByteWriter, values: readonly bigint[], max: bigint): void {
  const width = widthOf(max)
  w.u8(width)
  const n = values.length
  const out = w.reserve(width * n)
  for (let k = 0; k < width; k++) {
    const shift = BigInt(8 * k)
    for (let i = 0; i < n; i++) out[k * n + i] = Number(((values[i] as bigint) >> shift) & 0xffn)
  }
}

export class BlockBuilder {
  private ts: bigint[] = []
  private lens: number[] = []
  private elisions: number[] = []
  private anyElided = false
  private hexCounts: number[] = []
  private hexLens: number[] = []
  private hexBytes = new ByteWriter(4096)
  private mdCounts: number[] = []
  private names = new Map<string, { id: number; size: number }>()
  private nameTable = new ByteWriter(256)
  private nameRefs: number[] = []
  private valueLens: number[] = []
  private values = new ByteWriter(4096)
  private lines = new ByteWriter(64 * 1024)
  /** UTF-8 bytes of the lines and metadata added since the last `finish`, before elision. */
  rawSize = 0

  /**
   * With a renderer, lines that contain their own timestamp store it by reference; with
   * `packHex`, runs of hex digits are stored two digits per byte.
   */
  constructor(
    private readonly renderer: TsRenderer | undefined,
    private readonly packHex: boolean,
  ) {}

  get count(): number {
    return this.ts.length
  }

  get minTs(): bigint {
    return this.ts[0] as bigint
  }

  get maxTs(): bigint {
    return this.ts[this.ts.length - 1] as bigint
  }

  /** Appends an entry (not before the previous one in time); returns its raw UTF-8 size. */
  add(e: ChunkEntry): number {
    const start = this.lines.length
    const written = this.lines.utf8(e.line)
    let raw = written
    let stored = written
    let elision = 0
    const m = this.renderer ? findTs(e.line, e.ts, this.renderer) : undefined
    if (m) {
      const pos = written === e.line.length ? m.index : UTF8.encode(e.line.slice(0, m.index)).length
      this.lines.remove(start + pos, m.length) // the timestamp text is ASCII: one byte per unit
      stored -= m.length
      elision = 1 + TS_FORMS * pos + m.form
      this.anyElided = true
    }
    if (this.packHex && stored >= MIN_HEX_RUN) {
      const runsBefore = this.hexLens.length
      const end = packHexRuns(this.lines.view(), start, start + stored, this.hexLens, this.hexBytes)
      this.lines.truncate(end)
      stored = end - start
      this.hexCounts.push(this.hexLens.length - runsBefore)
    } else {
      this.hexCounts.push(0)
    }
    this.ts.push(e.ts)
    this.lens.push(stored)
    this.elisions.push(elision)
    const md = e.metadata
    this.mdCounts.push(md ? md.length : 0)
    if (md) {
      for (const [name, value] of md) {
        let ref = this.names.get(name)
        if (!ref) {
          const bytes = UTF8.encode(name)
          this.nameTable.uvarint(bytes.length)
          this.nameTable.bytes(bytes)
          ref = { id: this.names.size, size: bytes.length }
          this.names.set(name, ref)
        }
        this.nameRefs.push(ref.id)
        const v = this.values.utf8(value)
        this.valueLens.push(v)
        raw += v + ref.size
      }
    }
    this.rawSize += raw
    return raw
  }

  /** The payload of the entries added so far; the builder is empty afterwards. */
  finish(): Uint8Array {
    const n = this.ts.length
    const w = new ByteWriter(this.lines.length + this.values.length + this.nameTable.length + 16 * n + 64)
    w.uvarint(n)
    const hex = this.hexLens.length > 0
    w.u8((this.anyElided ? FLAG_TS_ELISION : 0) | (hex ? FLAG_HEX_RUNS : 0))
    w.uvarintBig(zigzag64(this.ts[0] as bigint))

    const deltas = new Float64Array(Math.max(0, n - 1))
    let big: bigint[] | undefined
    let maxDelta = 0n
    for (let i = 1; i < n; i++) {
      const d = (this.ts[i] as bigint) - (this.ts[i - 1] as bigint)
      if (d > maxDelta) maxDelta = d
      if (d > SAFE && !big) big = Array.from(deltas.subarray(0, i - 1), (v) => BigInt(v))
      if (big) big.push(d)
      else deltas[i - 1] = Number(d)
    }
    if (big) writeBigPlanes(w, big, maxDelta)
    else writePlanes(w, deltas, Number(maxDelta))

    let maxLen = 0
    for (const l of this.lens) if (l > maxLen) maxLen = l
    writePlanes(w, this.lens, maxLen)
    if (this.anyElided) for (const v of this.elisions) w.uvarint(v)
    if (hex) {
      for (const c of this.hexCounts) w.uvarint(c)
      for (const l of this.hexLens) w.uvarint(l)
    }

    w.uvarint(this.names.size)
    w.bytes(this.nameTable.view())
    w.uvarint(this.nameRefs.length)
    for (const c of this.mdCounts) w.uvarint(c)
    for (const r of this.nameRefs) w.uvarint(r)
    for (const l of this.valueLens) w.uvarint(l)
    w.bytes(this.values.view())
    if (hex) w.bytes(this.hexBytes.view())
    w.bytes(this.lines.view())
    this.reset()
    return w.finish()
  }

  private reset(): void {
    this.ts = []
    this.lens = []
    this.elisions = []
    this.anyElided = false
    this.hexCounts = []
    this.hexLens = []
    this.hexBytes = new ByteWriter(4096)
    this.mdCounts = []
    this.names = new Map()
    this.nameTable = new ByteWriter(256)
    this.nameRefs = []
    this.valueLens = []
    this.values = new ByteWriter(4096)
    this.lines = new ByteWriter(64 * 1024)
    this.rawSize = 0
  }
}
