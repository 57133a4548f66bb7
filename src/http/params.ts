/**
 * Query parameters parsed exactly as Loki's pkg/loghttp/params.go: timestamps (seconds with a
 * fraction, ≤10-character seconds, nanoseconds, RFC3339Nano), bounds with `since`, limit,
 * direction, step and interval, with Loki's error texts. Numbers follow Go's conversions on amd64,
 * overflow included (an out-of-range float converts to the minimum int64, time arithmetic wraps),
 * so every input either parses to a value Loki would use or fails with Loki's text.
 */
import { HttpError } from './errors'
import { atoi, conv, goQuote, parseGoFloat, parseInt64 } from '../go/strconv'
import { durationNsToMs, parsePromDuration } from '../go/duration'
import { msToNs } from '../util/time'

export type Params = (name: string) => string | undefined

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const MIN_INT64 = -(1n << 63n)
const MAX_INT64 = (1n << 63n) - 1n
const TWO_POW_63 = 2 ** 63
const NS_PER_S = 1_000_000_000n

/** Go's int64(f) on amd64: truncation, and the minimum int64 for NaN and anything out of range. */
function goInt64(f: number): bigint {
  if (!(f > -TWO_POW_63 && f < TWO_POW_63)) return f === -TWO_POW_63 ? MIN_INT64 : MIN_INT64
  return BigInt(Math.trunc(f))
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** RFC3339Nano to ns since the epoch (exact, also outside int64's 1678–2262), or null. */
export function parseRfc3339Ns(value: string): bigint | null {
  const m = RFC3339_RE.exec(value)
  if (!m) return null
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const frac = m[7]
  const zone = m[8] as string
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null
  if (frac !== undefined && frac.length > 10) return null
  let offsetS = 0
  if (zone !== 'Z') {
    const zh = Number(zone.slice(1, 3))
    const zm = Number(zone.slice(4, 6))
    if (zh > 23 || zm > 59) return null
    offsetS = (zone[0] === '-' ? -1 : 1) * (zh * 3600 + zm * 60)
  }
  const day = new Date(0)
  day.setUTCFullYear(y, mo - 1, d)
  const unixSec = BigInt(Math.floor(day.getTime() / 1000) + h * 3600 + mi * 60 + sec - offsetS)
  const nsec = frac ? BigInt(frac.slice(1).padEnd(9, '0')) : 0n
  return unixSec * NS_PER_S + nsec
}

/**
 * Loki's parseTimestamp: ns since the epoch (exact, as Go's time.Time, not wrapped to int64), the
 * default when empty, or throws the Go error text.
 */
export function parseTimestamp(value: string | undefined, def: bigint): bigint {
  if (value === undefined || value === '') return def
  if (value.includes('.')) {
    const f = parseGoFloat(value)
    if (conv.error === '') {
      const secs = Math.trunc(f)
      const frac = Math.round((f - secs) * 1000) / 1000
      return goInt64(secs) * NS_PER_S + goInt64(frac * 1e9)
    }
  }
  let intError: unknown
  try {
    const n = parseInt64(value, 10)
    return value.length <= 10 ? n * NS_PER_S : n
  } catch (err) {
    intError = err
  }
  const ts = parseRfc3339Ns(value)
  if (ts !== null) return ts
  throw intError
}

/**
 * Loki's parseSecondsOrDuration in ns: a Go float of seconds (refused past int64's range), else a
 * Prometheus duration.
 */
export function parseSecondsOrDurationNs(value: string): bigint {
  const f = parseGoFloat(value)
  if (conv.error === '') {
    const ns = f * 1e9
    if (ns > TWO_POW_63 || ns < -TWO_POW_63) throw new Error(`cannot parse ${goQuote(value)} to a valid duration. It overflows int64`)
    return goInt64(ns)
  }
  try {
    return parsePromDuration(value)
  } catch {
    throw new Error(`cannot parse ${goQuote(value)} to a valid duration`)
  }
}

function param(get: Params, name: string, def: bigint): bigint {
  try {
    return parseTimestamp(get(name), def)
  } catch (err) {
    throw new HttpError(400, `could not parse '${name}' parameter: ${(err as Error).message}`)
  }
}

/** What Loki's querier answers label and series requests whose end is before their start. */
export const DATA_NOT_AVAILABLE = 'this data is no longer available, it is past now - max_query_lookback (0s)'

export function nowNs(): bigint {
  return msToNs(Date.now())
}

/** `time` of an instant query, defaulting to now, clamped to int64 nanoseconds (errors unprefixed, as Loki's). */
export function parseTime(get: Params): bigint {
  try {
    return saturate(parseTimestamp(get('time'), nowNs()))
  } catch (err) {
    throw new HttpError(400, (err as Error).message)
  }
}

export interface Bounds {
  readonly start: bigint
  readonly end: bigint
}

/** Bounds as parsed, clamped to int64 nanoseconds, with the length Loki's frontend checks. */
export interface ParsedBounds extends Bounds {
  readonly lengthNs: bigint
}

/** Go's `t.UnixMilli()`: floored to the millisecond, wrapping like Go's int64 arithmetic. */
function unixMilli(ns: bigint): bigint {
  const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n)
  return BigInt.asIntN(64, ms)
}

function saturate(ns: bigint): bigint {
  return ns > MAX_INT64 ? MAX_INT64 : ns < MIN_INT64 ? MIN_INT64 : ns
}

/** Go's `end.Sub(start)`: saturates at int64's range. */
export function durationBetween(bounds: Bounds): bigint {
  return saturate(bounds.end - bounds.start)
}

/** The query length Loki's frontend checks: the bounds at millisecond precision, then `Sub`. */
function queryLength(start: bigint, end: bigint): bigint {
  return saturate((unixMilli(end) - unixMilli(start)) * 1_000_000n)
}

/**
 * Loki's `bounds()`: end defaults to now, start to min(end, now) − since (default 1h). Checked
 * exactly, then clamped to int64 nanoseconds, the range every component works in. An end before
 * the start is refused with `endBeforeStart` (routes differ in the text Loki gives; null: not refused).
 */
export function parseBounds(
  get: Params,
  endBeforeStart: string | null = 'end timestamp must not be before or equal to start time',
): ParsedBounds {
  const now = nowNs()
  let sinceNs = 3_600_000_000_000n
  const since = get('since')
  if (since !== undefined && since !== '') {
    try {
      sinceNs = parsePromDuration(since)
    } catch (err) {
      throw new HttpError(400, `could not parse 'since' parameter: ${(err as Error).message}`)
    }
  }
  const end = param(get, 'end', now)
  const base = end < now ? end : now
  const start = param(get, 'start', base - sinceNs)
  if (endBeforeStart !== null && end < start) throw new HttpError(400, endBeforeStart)
  return { start: saturate(start), end: saturate(end), lengthNs: queryLength(start, end) }
}

/** Go's strconv.Atoi as a 64-bit value, with Loki's `parseInt` default for an empty value. */
export function parseGoInt64(raw: string | undefined, def: number): bigint {
  if (raw === undefined || raw === '') return BigInt(def)
  try {
    return atoi(raw)
  } catch (err) {
    throw new HttpError(400, (err as Error).message)
  }
}

/** Go's strconv.Atoi, with Loki's `parseInt` default for an empty value. */
export function parseGoInt(raw: string | undefined, def: number): number {
  return Number(parseGoInt64(raw, def))
}

/** Loki's `limit()`: positive, then kept as a uint32 as Loki's request types do. */
export function parseLimit(get: Params, def = 100, name = 'limit'): number {
  const n = parseGoInt64(get(name), def)
  if (n <= 0n) throw new HttpError(400, 'limit must be a positive value')
  return Number(BigInt.asUintN(32, n))
}

export type Direction = 'forward' | 'backward'

export function parseDirection(get: Params): Direction {
  const raw = get('direction')
  if (raw === undefined || raw === '') return 'backward'
  const d = raw.toLowerCase()
  if (d === 'forward' || d === 'backward') return d
  throw new HttpError(400, `invalid direction '${raw}'`)
}

function secondsOrDuration(value: string): bigint {
  try {
    return parseSecondsOrDurationNs(value)
  } catch (err) {
    throw new HttpError(400, (err as Error).message)
  }
}

const STEP_TOO_SMALL =
  'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter'

/** Step in ms (fractional below 1 ms): explicit (seconds or duration) or Loki's default max(range/250, 1s). */
export function parseStepMs(get: Params, bounds: Bounds): number {
  const raw = get('step')
  const range = durationBetween(bounds)
  let stepNs: bigint
  if (raw === undefined || raw === '') {
    const seconds = Math.max(Math.floor(Number(range) / 1e9 / 250), 1)
    stepNs = BigInt(seconds) * NS_PER_S
  } else {
    stepNs = secondsOrDuration(raw)
  }
  if (stepNs <= 0n) {
    throw new HttpError(400, 'zero or negative query resolution step widths are not accepted. Try a positive integer')
  }
  if (range / stepNs > 11000n) throw new HttpError(400, STEP_TOO_SMALL)
  return durationNsToMs(stepNs)
}

/** Interval in ms for log queries (0 = every entry). */
export function parseIntervalMs(get: Params): number {
  const raw = get('interval')
  if (raw === undefined || raw === '') return 0
  const ns = secondsOrDuration(raw)
  if (ns < 0n) throw new HttpError(400, 'interval must be >= 0')
  return durationNsToMs(ns)
}

export interface RangeQueryParams {
  readonly bounds: ParsedBounds
  readonly limit: number
  readonly direction: Direction
  readonly stepMs: number
  readonly intervalMs: number
}

/** Loki's ParseRangeQuery: every parameter checked, in Loki's order, whatever the query is. */
export function parseRangeQuery(get: Params, limitDefault = 100): RangeQueryParams {
  const bounds = parseBounds(get)
  const limit = parseLimit(get, limitDefault)
  const direction = parseDirection(get)
  const stepMs = parseStepMs(get, bounds)
  const intervalMs = parseIntervalMs(get)
  return { bounds, limit, direction, stepMs, intervalMs }
}
