/**
 * Duration and byte-size conversions with the exact semantics LogQL inherits from Go: Prometheus
 * durations (`1h30m`, `2d`, `1w`; `model.ParseDuration` / `model.Duration.String`), Go's
 * `time.ParseDuration` / `time.Duration.String` (`1.5h`, `250ms`, `2m0s`), and go-humanize's
 * `ParseBytes` / `Bytes` (`10MB`, `1KiB`, `20 MB`). Durations are handled in nanoseconds as BigInt
 * internally so that printing is exact.
 */
import { goQuote } from './go-string'

const NS = 1n
const US = 1000n * NS
const MS = 1000n * US
const SEC = 1000n * MS
const MIN = 60n * SEC
const HOUR = 60n * MIN
const DAY = 24n * HOUR
const WEEK = 7n * DAY
const YEAR = 365n * DAY
const MAX_INT64 = (1n << 63n) - 1n

const PROM_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['y', YEAR], ['w', WEEK], ['d', DAY], ['h', HOUR], ['m', MIN], ['s', SEC], ['ms', MS],
]
const MAX_UINT64 = (1n << 64n) - 1n

/** Prometheus `model.ParseDuration`; returns nanoseconds or throws an Error with Go's message. */
export function parsePromDuration(orig: string): bigint {
  if (orig === '0') return 0n
  if (orig === '') throw new Error('empty duration string')
  const invalid = () => new Error(`not a valid duration string: ${goQuote(orig)}`)
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

const GO_UNITS: Record<string, bigint> = {
  ns: NS,
  us: US,
  'µs': US,
  'μs': US,
  ms: MS,
  s: SEC,
  m: MIN,
  h: HOUR,
}

/** Go `time.ParseDuration`; returns nanoseconds or throws an Error with Go's message. */
export function parseGoDuration(orig: string): bigint {
  const quoted = JSON.stringify(orig)
  let s = orig
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw new Error(`time: invalid duration ${quoted}`)
  let total = 0n
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)
    const intPart = num?.[1] ?? ''
    const fracPart = num?.[2]
    if (intPart === '' && (fracPart === undefined || fracPart === '')) {
      throw new Error(`time: invalid duration ${quoted}`)
    }
    s = s.slice(num?.[0].length ?? 0)
    const unitMatch = /^[^\d.]*/.exec(s)
    const unit = unitMatch?.[0] ?? ''
    if (unit === '') throw new Error(`time: missing unit in duration ${quoted}`)
    const mult = GO_UNITS[unit]
    if (mult === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`)
    s = s.slice(unit.length)
    let v = BigInt(intPart === '' ? '0' : intPart) * mult
    if (fracPart !== undefined && fracPart !== '') {
      const scale = 10n ** BigInt(fracPart.length)
      v += (BigInt(fracPart) * mult) / scale
    }
    total += v
    if (total > MAX_INT64) throw new Error(`time: invalid duration ${quoted}`)
  }
  return neg ? -total : total
}

/** Loki's lexer duration: Prometheus syntax first, then Go's. */
export function parseLokiDuration(s: string): bigint {
  try {
    return parsePromDuration(s)
  } catch {
    return parseGoDuration(s)
  }
}

function fmtFrac(v: bigint, unit: bigint): string {
  const whole = v / unit
  let frac = (v % unit).toString().padStart(unit.toString().length - 1, '0')
  frac = frac.replace(/0+$/, '')
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
    else if (u < MS) out = `${fmtFrac(u, US)}µs`
    else out = `${fmtFrac(u, MS)}ms`
  } else {
    const h = u / HOUR
    u -= h * HOUR
    const m = u / MIN
    u -= m * MIN
    const secs = `${fmtFrac(u, SEC)}s`
    if (h > 0n) out = `${h}h${m}m${secs}`
    else if (m > 0n) out = `${m}m${secs}`
    else out = secs
  }
  return neg ? `-${out}` : out
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

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6))
}

const BYTE_SIZES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
}

/** go-humanize `ParseBytes`: `10MB` → 10000000, `1KiB` → 1024; throws with its message. */
export function parseBytes(s: string): number {
  const m = /^[\d.,]*/.exec(s)
  const numText = (m?.[0] ?? '').replaceAll(',', '')
  const num = Number(numText)
  if (numText === '' || !/^(\d+\.?\d*|\.\d+)$/.test(numText) || Number.isNaN(num)) {
    throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(numText)}: invalid syntax`)
  }
  const extra = s.slice(m?.[0].length ?? 0).trim().toLowerCase()
  const mult = BYTE_SIZES[extra]
  if (mult === undefined) throw new Error(`unhandled size name: ${extra}`)
  const v = num * mult
  if (v >= 2 ** 64) throw new Error(`too large: ${s}`)
  return Math.floor(v)
}

/** Go's `%.Nf`: round half to even on the decimal representation. */
function goFixed(v: number, digits: number): string {
  const scaled = v * 10 ** digits
  const floor = Math.floor(scaled)
  const diff = scaled - floor
  let r = floor
  if (diff > 0.5 || (diff === 0.5 && floor % 2 !== 0)) r = floor + 1
  return (r / 10 ** digits).toFixed(digits)
}

/** go-humanize `Bytes` (SI units, one decimal under 10): `20 MB`, `1.0 kB`, `9 B`. */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  const e = Math.floor(Math.log(n) / Math.log(1000))
  const suffix = sizes[e] ?? 'EB'
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10
  return val < 10 ? `${goFixed(val, 1)} ${suffix}` : `${goFixed(val, 0)} ${suffix}`
}
