/**
 * Byte sizes as go-humanize reads and prints them, which Loki's `bytes()` conversions, label
 * filters and messages use: `ParseBytes` (`10MB`, `1KiB`, `1,000 kb`) and `Bytes` (SI units, one
 * decimal under 10: `20 MB`, `1.0 kB`, `9 B`).
 */
import { conv, goQuote, parseGoFloat } from './strconv'

const SIZES: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, ki: 1024, kib: 1024,
  m: 1e6, mb: 1e6, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, ti: 1024 ** 4, tib: 1024 ** 4,
  p: 1e15, pb: 1e15, pi: 1024 ** 5, pib: 1024 ** 5,
  e: 1e18, eb: 1e18, ei: 1024 ** 6, eib: 1024 ** 6,
}

const DIGIT = /\p{Nd}/u
// strings.TrimSpace: unicode.IsSpace, which includes U+0085 and U+00A0.
const SPACE = /^[\s\u0085]+|[\s\u0085]+$/g

/** strconv.Quote of raw bytes: invalid UTF-8 as `\xNN`. */
function quoteBytes(bytes: Uint8Array): string {
  try {
    return goQuote(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes))
  } catch {
    return '"' + Array.from(bytes, (b) => (b < 0x80 ? String.fromCharCode(b) : '\\x' + b.toString(16))).join('') + '"'
  }
}

/**
 * go-humanize `ParseBytes`, conv-style (the error text is left in `conv.error`). It counts the
 * leading digits in runes but cuts the string at that many bytes, as go-humanize does.
 */
export function parseBytesConv(s: string): number {
  let runes = 0
  let hasComma = false
  for (const r of s) {
    if (!(r === '.' || r === ',' || (r >= '0' && r <= '9') || (r > '\x7f' && DIGIT.test(r)))) break
    if (r === ',') hasComma = true
    runes++
  }
  let num = s.slice(0, runes)
  const rest = s.slice(runes)
  if (!/^[\x00-\x7f]*$/.test(num)) {
    // Go's ParseFloat refuses any non-ASCII digit; the text it names is the cut bytes.
    const bytes = new TextEncoder().encode(s)
    conv.error = `strconv.ParseFloat: parsing ${quoteBytes(bytes.subarray(0, runes))}: invalid syntax`
    return 0
  }
  if (hasComma) num = num.replaceAll(',', '')
  const f = parseGoFloat(num)
  if (conv.error !== '') return 0
  const extra = rest.replace(SPACE, '').toLowerCase()
  const mult = SIZES[extra]
  if (mult === undefined) {
    conv.error = 'unhandled size name: ' + extra
    return 0
  }
  const v = f * mult
  if (v >= 18446744073709551615) {
    conv.error = 'too large: ' + s
    return 0
  }
  return Math.trunc(v)
}

/** go-humanize `ParseBytes`; throws an Error with its message. */
export function parseBytes(s: string): number {
  const v = parseBytesConv(s)
  if (conv.error !== '') throw new Error(conv.error)
  return v
}

/** Go's `%.Nf` of a value with at most one decimal: ties round to even. */
function goFixed(v: number, digits: number): string {
  const scaled = v * 10 ** digits
  const floor = Math.floor(scaled)
  const diff = scaled - floor
  let r = floor
  if (diff > 0.5 || (diff === 0.5 && floor % 2 !== 0)) r = floor + 1
  return (r / 10 ** digits).toFixed(digits)
}

const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']

/** go-humanize `Bytes`. */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`
  const e = Math.floor(Math.log(n) / Math.log(1000))
  const unit = SI_UNITS[e] ?? 'EB'
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10
  return val < 10 ? `${goFixed(val, 1)} ${unit}` : `${goFixed(val, 0)} ${unit}`
}
