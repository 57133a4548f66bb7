/**
 * Durations as Go and Prometheus read and print them, in nanoseconds (BigInt, so printing is
 * exact): Go's `time.ParseDuration` / `time.Duration.String` (`1.5h`, `250ms`, `2m0s`) and
 * Prometheus's `model.ParseDuration` / `model.Duration.String` (`1h30m`, `2d`, `1w`). Parsers
 * throw an Error whose message is Go's.
 */
import { conv, goQuote } from './strconv'

const US = 1000n
const MS = 1000n * US
const SEC = 1000n * MS
const MIN = 60n * SEC
const HOUR = 60n * MIN
const DAY = 24n * HOUR
const WEEK = 7n * DAY
const YEAR = 365n * DAY
const MAX_INT64 = (1n << 63n) - 1n
const MAX_UINT64 = (1n << 64n) - 1n

const GO_UNITS: Record<string, bigint> = {
  ns: 1n, us: US, 'µs': US, 'μs': US, ms: MS, s: SEC, m: MIN, h: HOUR,
}

/** The `time` package's own quoting: non-ASCII and control bytes become `\xNN`. */
function timeQuote(s: string): string {
  let out = '"'
  for (const b of new TextEncoder().encode(s)) {
    if (b >= 0x80 || b < 0x20) out += '\\x' + b.toString(16).padStart(2, '0')
    else {
      const c = String.fromCharCode(b)
      out += c === '"' || c === '\\' ? '\\' + c : c
    }
  }
  return out + '"'
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/** Go `time.ParseDuration`; returns nanoseconds. */
export function parseGoDuration(orig: string): bigint {
  const invalid = (): Error => new Error('time: invalid duration ' + timeQuote(orig))
  let s = orig
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw invalid()
  let d = 0n
  let i = 0
  while (i < s.length) {
    if (!(s[i] === '.' || isDigit(s[i]))) throw invalid()
    const intStart = i
    let v = 0n
    while (isDigit(s[i])) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48)
      if (v > 1n << 63n) throw invalid()
      i++
    }
    const pre = i > intStart
    let f = 0n
    let scale = 1
    let post = false
    if (s[i] === '.') {
      i++
      const fracStart = i
      let overflow = false
      while (isDigit(s[i])) {
        if (!overflow) {
          // leadingFraction: digits past int64's precision are dropped.
          const y = f * 10n + BigInt(s.charCodeAt(i) - 48)
          if (y > 1n << 63n) overflow = true
          else {
            f = y
            scale *= 10
          }
        }
        i++
      }
      post = i > fracStart
    }
    if (!pre && !post) throw invalid()
    const unitStart = i
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++
    if (i === unitStart) throw new Error('time: missing unit in duration ' + timeQuote(orig))
    const name = s.slice(unitStart, i)
    const unit = GO_UNITS[name]
    if (unit === undefined) throw new Error('time: unknown unit ' + timeQuote(name) + ' in duration ' + timeQuote(orig))
    if (v > (1n << 63n) / unit) throw invalid()
    v *= unit
    if (f > 0n) {
      // Go computes the fractional part in float64.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > 1n << 63n) throw invalid()
    }
    d += v
    if (d > 1n << 63n) throw invalid()
  }
  if (neg) return -d
  if (d > MAX_INT64) throw invalid()
  return d
}

function withFraction(v: bigint, unit: bigint): string {
  const whole = v / unit
  const frac = (v % unit).toString().padStart(unit.toString().length - 1, '0').replace(/0+$/, '')
  return frac === '' ? whole.toString() : `${whole}.${frac}`
}

/** Go `time.Duration.String`: `2m0s`, `1h0m0s`, `250ms`, `1.5µs`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s'
  const neg = ns < 0n
  let u = neg ? -ns : ns
  let out: string
  if (u < SEC) {
    if (u < US) out = `${u}ns`
    else if (u < MS) out = `${withFraction(u, US)}µs`
    else out = `${withFraction(u, MS)}ms`
  } else {
    const h = u / HOUR
    u -= h * HOUR
    const m = u / MIN
    u -= m * MIN
    const secs = `${withFraction(u, SEC)}s`
    if (h > 0n) out = `${h}h${m}m${secs}`
    else if (m > 0n) out = `${m}m${secs}`
    else out = secs
  }
  return neg ? `-${out}` : out
}

const PROM_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['y', YEAR], ['w', WEEK], ['d', DAY], ['h', HOUR], ['m', MIN], ['s', SEC], ['ms', MS],
]

/** Prometheus `model.ParseDuration`; returns nanoseconds. */
export function parsePromDuration(orig: string): bigint {
  if (orig === '0') return 0n
  if (orig === '') throw new Error('empty duration string')
  const invalid = (): Error => new Error(`not a valid duration string: ${goQuote(orig)}`)
  let s = orig
  let total = 0n
  let lastUnit = -1
  while (s !== '') {
    const digits = /^[0-9]*/.exec(s)?.[0] ?? ''
    if (digits === '') throw invalid()
    const v = BigInt(digits)
    if (v > MAX_UINT64) throw invalid()
    s = s.slice(digits.length)
    const unit = /^[^0-9]*/.exec(s)?.[0] ?? ''
    if (unit === '') throw invalid()
    s = s.slice(unit.length)
    const pos = PROM_UNITS.findIndex(([name]) => name === unit)
    if (pos < 0) throw new Error(`unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}`)
    if (pos <= lastUnit) throw invalid()
    lastUnit = pos
    const mult = (PROM_UNITS[pos] as readonly [string, bigint])[1]
    if (v > (1n << 63n) / mult) throw new Error('duration out of range')
    total += v * mult
    if (total > MAX_INT64) throw new Error('duration out of range')
  }
  return total
}

/** Prometheus `model.Duration.String`: `5m`, `1h30m`, `1d`, `2w`, `0s` (millisecond precision). */
export function formatPromDuration(ns: bigint): string {
  let ms = ns / MS
  if (ms === 0n) return '0s'
  let r = ''
  const f = (unit: string, mult: bigint, exact: boolean): void => {
    if (exact && ms % mult !== 0n) return
    const v = ms / mult
    if (v > 0n) {
      r += `${v}${unit}`
      ms -= v * mult
    }
  }
  f('y', YEAR / MS, true)
  f('w', WEEK / MS, true)
  f('d', DAY / MS, false)
  f('h', HOUR / MS, false)
  f('m', MIN / MS, false)
  f('s', SEC / MS, false)
  f('ms', 1n, false)
  return r
}

/** parseGoDuration conv-style, for per-line conversions: nanoseconds, the error text in `conv.error`. */
export function parseGoDurationConv(s: string): number {
  conv.error = ''
  try {
    return Number(parseGoDuration(s))
  } catch (e) {
    conv.error = (e as Error).message
    return 0
  }
}

/** A duration in nanoseconds as (fractional) milliseconds, so sub-millisecond values keep their value. */
export function durationNsToMs(ns: bigint): number {
  return Number(ns) / 1e6
}

/** A duration in (fractional) milliseconds as nanoseconds, rounded to the nearest. */
export function durationMsToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6))
}
