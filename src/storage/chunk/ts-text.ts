/**
 * Timestamp elision. Log lines very often carry their own timestamp as text, and when a shipper
 * took the entry's timestamp from that text, the line repeats information the block already
 * stores in its timestamp column. If a line contains the entry's timestamp in one of three
 * forms, the block stores the line without it plus its position and form, and the decoder
 * renders the same text from the timestamp and puts it back:
 *
 * - form 0, ISO 8601 UTC with milliseconds: `2026-11-01T00:00:04.890Z` (exactly
 *   `Date.prototype.toISOString`, most JSON loggers);
 * - form 1, ISO 8601 UTC with nanoseconds: `2026-11-01T00:00:04.890379802Z` (Go's RFC3339Nano);
 * - form 2, the Common Log Format's UTC time: `01/Nov/2026:00:00:04 +0000` (nginx, Apache).
 *
 * Rendering is deterministic, so this is lossless. On the reference corpora it cuts the
 * compressed size of line text by about a fifth.
 */

export const TS_FORM_MS = 0
export const TS_FORM_NS = 1
export const TS_FORM_CLF = 2
/** Number of form codes the elision column reserves (one is unused). */
export const TS_FORMS = 4

const NS_PER_MS = 1_000_000n
const MS_PER_HOUR = 3_600_000
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const CLF_ZONE = Uint8Array.from(' +0000', (c) => c.charCodeAt(0))

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0))
}

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
 * Renders timestamps in the elision forms, as bytes or as strings. The parts up to the hour
 * ("2026-11-01T00:" and "01/Nov/2026:00:") are cached per hour, which keeps rendering cheap for
 * the sorted timestamps of a block.
 */
export class TsRenderer {
  private hour = Number.NaN
  private isoHour: Uint8Array = new Uint8Array(0)
  private clfHour: Uint8Array = new Uint8Array(0)
  private isoDateText = ''
  private clfHourText = ''

  private setHour(ms: number): void {
    const hour = Math.floor(ms / MS_PER_HOUR)
    if (hour === this.hour) return
    const d = new Date(hour * MS_PER_HOUR)
    const iso = d.toISOString()
    this.isoHour = ascii(iso.slice(0, iso.length - 10))
    this.isoDateText = iso.slice(0, iso.length - 14)
    const day = String(d.getUTCDate()).padStart(2, '0')
    const hh = String(d.getUTCHours()).padStart(2, '0')
    this.clfHourText = `${day}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hh}:`
    this.clfHour = ascii(this.clfHourText)
    this.hour = hour
  }

  /** Byte length of the text `write` produces for this timestamp and form. */
  byteLength(ms: number, form: number): number {
    this.setHour(ms)
    if (form === TS_FORM_CLF) return this.clfHour.length + 5 + CLF_ZONE.length
    return this.isoHour.length + (form === TS_FORM_MS ? 10 : 16)
  }

  /** Writes the text of a split timestamp (always ASCII) into `out` at `at`. */
  write(ms: number, sub: number, form: number, out: Uint8Array, at: number): void {
    this.setHour(ms)
    const head = form === TS_FORM_CLF ? this.clfHour : this.isoHour
    let o = at
    for (let k = 0; k < head.length; k++) out[o++] = head[k] as number
    const rem = ms - this.hour * MS_PER_HOUR
    const sec = Math.floor(rem / 1000)
    const min = Math.floor(sec / 60)
    const s = sec - min * 60
    out[o++] = 0x30 + Math.floor(min / 10)
    out[o++] = 0x30 + (min % 10)
    out[o++] = 0x3a // ':'
    out[o++] = 0x30 + Math.floor(s / 10)
    out[o++] = 0x30 + (s % 10)
    if (form === TS_FORM_CLF) {
      for (let k = 0; k < CLF_ZONE.length; k++) out[o++] = CLF_ZONE[k] as number
      return
    }
    const milli = rem - sec * 1000
    out[o++] = 0x2e // '.'
    out[o++] = 0x30 + Math.floor(milli / 100)
    out[o++] = 0x30 + (Math.floor(milli / 10) % 10)
    out[o++] = 0x30 + (milli % 10)
    if (form === TS_FORM_NS) {
      let v = sub
      for (let k = 5; k >= 0; k--) {
        out[o + k] = 0x30 + (v % 10)
        v = Math.floor(v / 10)
      }
      o += 6
    }
    out[o] = 0x5a // 'Z'
  }

  /** The text of a split timestamp in one form. */
  renderSplit(ms: number, sub: number, form: number): string {
    const out = new Uint8Array(this.byteLength(ms, form))
    this.write(ms, sub, form, out, 0)
    return String.fromCharCode(...out)
  }

  render(ts: bigint, form: number): string {
    const [ms, sub] = splitTs(ts)
    return this.renderSplit(ms, sub, form)
  }

  /** "YYYY-MM-DD" (longer for years past 9999) of a split timestamp. */
  isoDate(ms: number): string {
    this.setHour(ms)
    return this.isoDateText
  }

  /** "DD/Mon/YYYY:HH:" of a split timestamp. */
  clfHourPrefix(ms: number): string {
    this.setHour(ms)
    return this.clfHourText
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
  const [ms, sub] = splitTs(ts)
  const start = line.indexOf(renderer.isoDate(ms))
  if (start >= 0) {
    const ns = renderer.renderSplit(ms, sub, TS_FORM_NS)
    let index = line.indexOf(ns, start)
    if (index >= 0) return { index, length: ns.length, form: TS_FORM_NS }
    const msText = `${ns.slice(0, -7)}Z`
    index = line.indexOf(msText, start)
    if (index >= 0) return { index, length: msText.length, form: TS_FORM_MS }
  }
  const clfStart = line.indexOf(renderer.clfHourPrefix(ms))
  if (clfStart >= 0) {
    const clf = renderer.renderSplit(ms, sub, TS_FORM_CLF)
    const index = line.indexOf(clf, clfStart)
    if (index >= 0) return { index, length: clf.length, form: TS_FORM_CLF }
  }
  return undefined
}

/**
 * The runs of elided text that hold no digit: a string without digits and without `Z` can lie
 * inside elided text only within one of them (every form starts with a digit and ends with a
 * digit or `Z`, so crossing either end takes one of those).
 */
const NON_DIGIT_RUNS = ['-', 'T', ':', '.', ' +', ...MONTHS.map((m) => `/${m}/`)]

/**
 * Whether an occurrence of `needle` (UTF-8) in a line could overlap its elided timestamp text,
 * so that the stored line, which lacks that text, may not contain it.
 */
export function mayOverlapElidedText(needle: Uint8Array): boolean {
  for (let i = 0; i < needle.length; i++) {
    const b = needle[i] as number
    if ((b >= 0x30 && b <= 0x39) || b === 0x5a) return true
  }
  const text = String.fromCharCode(...needle)
  return NON_DIGIT_RUNS.some((r) => r.includes(text))
}

/** Stand-alone rendering, for tests and callers without a renderer at hand. */
export function renderTs(ts: bigint, form: number): string {
  return new TsRenderer().render(ts, form)
}
