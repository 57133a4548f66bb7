/**
 * Go's conversions as Loki applies them to label values, with Go's exact acceptance rules and error
 * texts (they end up in `__error_details__`): `strconv.ParseFloat`, `time.ParseDuration`,
 * go-humanize's `ParseBytes`, and `strconv.Quote` for label values in canonical label keys.
 * Conversions return a number and leave the error text in `conv.error` ('' on success) so the hot
 * path allocates nothing when values are valid.
 */

/** The error of the last conversion, '' when it succeeded. */
export const conv = { error: '' }


import { goQuote } from '../syntax/go-string'

export { goQuote, quotesPlainly } from '../syntax/go-string'
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/
const SPECIAL = /^(?:[+-]?(?:inf|infinity)|nan)$/i

/** strconv's underscoreOK: each `_` sits between digits (or after a base prefix). */
function underscoresOk(s: string): boolean {
  let saw = '^'
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0
  const hex = /^0[xX]/.test(s.slice(i))
  if (/^0[xXbBoO]/.test(s.slice(i))) {
    i += 2
    saw = '0'
  }
  for (; i < s.length; i++) {
    const c = s[i] as string
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) saw = '0'
    else if (c === '_') {
      if (saw !== '0') return false
      saw = '_'
    } else if (saw === '_') return false
    else saw = '!'
  }
  return saw !== '_'
}

/** strconv.ParseFloat(s, 64). */
export function parseGoFloat(s: string): number {
  if (s.includes('_')) {
    if (!underscoresOk(s) || SPECIAL.test(s.replaceAll('_', ''))) {
      conv.error = `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`
      return 0
    }
    const v = parseGoFloat(s.replaceAll('_', ''))
    if (conv.error !== '') conv.error = conv.error.replace(goQuote(s.replaceAll('_', '')), goQuote(s))
    return v
  }
  conv.error = ''
  let v: number
  if (DECIMAL.test(s)) {
    v = Number(s)
  } else if (SPECIAL.test(s)) {
    const lower = s.toLowerCase()
    v = lower === 'nan' ? NaN : lower.startsWith('-') ? -Infinity : Infinity
    return v
  } else {
    const m = HEX.exec(s)
    if (!m || ((m[2] as string) === '' && (m[3] as string) === '')) {
      conv.error = `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`
      return 0
    }
    const intPart = m[2] as string
    const frac = m[3] as string
    let mant = 0
    for (const d of intPart + frac) mant = mant * 16 + parseInt(d, 16)
    v = mant * Math.pow(2, Number(m[4]) - 4 * frac.length)
    if (m[1] === '-') v = -v
  }
  if (!Number.isFinite(v)) {
    conv.error = `strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`
  }
  return v
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}
const MAX_DURATION = 9223372036854775807

/** time.Duration's quote(): non-ASCII bytes as \x escapes. */
function timeQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0) as number
    if (c < 0x20 || c >= 0x80) {
      for (const b of new TextEncoder().encode(ch)) out += '\\x' + b.toString(16).padStart(2, '0')
    } else {
      if (ch === '"' || ch === '\\') out += '\\'
      out += ch
    }
  }
  return out + '"'
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** time.ParseDuration; returns nanoseconds. */
export function parseGoDuration(orig: string): number {
  conv.error = ''
  const invalid = (): number => {
    conv.error = 'time: invalid duration ' + timeQuote(orig)
    return 0
  }
  let s = orig
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') return invalid()
  let d = 0
  let i = 0
  while (i < s.length) {
    const c0 = s.charCodeAt(i)
    if (!(c0 === 46 || isDigit(c0))) return invalid()
    let v = 0
    const startInt = i
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      v = v * 10 + (s.charCodeAt(i) - 48)
      if (v > MAX_DURATION + 1) return invalid()
      i++
    }
    const pre = i > startInt
    let f = 0
    let scale = 1
    let post = false
    if (i < s.length && s.charCodeAt(i) === 46) {
      i++
      const startFrac = i
      let overflow = false
      while (i < s.length && isDigit(s.charCodeAt(i))) {
        if (!overflow) {
          const y = f * 10 + (s.charCodeAt(i) - 48)
          if (y > MAX_DURATION + 1) overflow = true
          else {
            f = y
            scale *= 10
          }
        }
        i++
      }
      post = i > startFrac
    }
    if (!pre && !post) return invalid()
    const unitStart = i
    while (i < s.length) {
      const c = s.charCodeAt(i)
      if (c === 46 || isDigit(c)) break
      i++
    }
    if (i === unitStart) {
      conv.error = 'time: missing unit in duration ' + timeQuote(orig)
      return 0
    }
    const u = s.slice(unitStart, i)
    const unit = UNIT_NS[u]
    if (unit === undefined) {
      conv.error = 'time: unknown unit ' + timeQuote(u) + ' in duration ' + timeQuote(orig)
      return 0
    }
    if (v > (MAX_DURATION + 1) / unit) return invalid()
    v *= unit
    if (f > 0) v += Math.trunc(f * (unit / scale))
    d += v
    if (d > MAX_DURATION + 1) return invalid()
  }
  if (neg) return -d
  if (d > MAX_DURATION) return invalid()
  return d
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  '': 1,
  kib: 1024,
  ki: 1024,
  kb: 1000,
  k: 1000,
  mib: 1024 ** 2,
  mi: 1024 ** 2,
  mb: 1e6,
  m: 1e6,
  gib: 1024 ** 3,
  gi: 1024 ** 3,
  gb: 1e9,
  g: 1e9,
  tib: 1024 ** 4,
  ti: 1024 ** 4,
  tb: 1e12,
  t: 1e12,
  pib: 1024 ** 5,
  pi: 1024 ** 5,
  pb: 1e15,
  p: 1e15,
  eib: 1024 ** 6,
  ei: 1024 ** 6,
  eb: 1e18,
  e: 1e18,
}

/** go-humanize ParseBytes: "42", "1.5 MB", "2KiB", "1,000kb" → bytes. */
export function parseHumanBytes(s: string): number {
  conv.error = ''
  let end = 0
  let hasComma = false
  while (end < s.length) {
    const c = s.charCodeAt(end)
    if (!(isDigit(c) || c === 46 || c === 44)) break
    if (c === 44) hasComma = true
    end++
  }
  const num = hasComma ? s.slice(0, end).replaceAll(',', '') : s.slice(0, end)
  const f = parseGoFloat(num)
  if (conv.error !== '') return 0
  const extra = s.slice(end).trim().toLowerCase()
  const mult = BYTE_UNITS[extra]
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

