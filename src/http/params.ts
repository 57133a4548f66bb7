/**
 * Query parameters parsed exactly as Loki's pkg/loghttp/params.go: timestamps (seconds with a
 * fraction, ≤10-digit seconds, nanoseconds, RFC3339Nano), bounds with `since`, limit, direction,
 * step and interval, with Loki's error texts.
 */
import { HttpError } from './errors'
import { parseSecondsOrDurationMs } from '../util/duration'
import { msToNs } from '../util/time'

export type Params = (name: string) => string | undefined

const INT_RE = /^[+-]?\d+$/
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

function goParseIntError(value: string): string {
  return `strconv.ParseInt: parsing ${JSON.stringify(value)}: ${INT_RE.test(value) ? 'value out of range' : 'invalid syntax'}`
}

/** RFC3339Nano to ns, or null. */
export function parseRfc3339Ns(value: string): bigint | null {
  const m = RFC3339_RE.exec(value)
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  if (Number.isNaN(ms)) return null
  let ns = msToNs(ms)
  if (frac) ns += BigInt(frac.slice(1, 10).padEnd(9, '0'))
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const offMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))
    ns -= msToNs(sign * offMin * 60_000)
  }
  return ns
}

/** Loki's parseTimestamp: returns ns, the default when empty, or throws the Go error text. */
export function parseTimestamp(value: string | undefined, def: bigint): bigint {
  if (value === undefined || value === '') return def
  if (value.includes('.')) {
    const f = Number(value)
    if (value.trim() !== '' && Number.isFinite(f)) {
      const secs = Math.trunc(f)
      const frac = Math.round((f - secs) * 1000) / 1000
      return BigInt(secs) * 1_000_000_000n + BigInt(Math.round(frac * 1e9))
    }
  }
  if (INT_RE.test(value)) {
    const n = BigInt(value)
    if (n > 9223372036854775807n || n < -9223372036854775808n) throw new Error(goParseIntError(value))
    return value.replace(/^[+-]/, '').length <= 10 ? n * 1_000_000_000n : n
  }
  const ts = parseRfc3339Ns(value)
  if (ts !== null) return ts
  throw new Error(goParseIntError(value))
}

function param(get: Params, name: string, def: bigint): bigint {
  try {
    return parseTimestamp(get(name), def)
  } catch (err) {
    throw new HttpError(400, `could not parse '${name}' parameter: ${(err as Error).message}`)
  }
}

export function nowNs(): bigint {
  return msToNs(Date.now())
}

export interface Bounds {
  readonly start: bigint
  readonly end: bigint
}

/** Loki's `bounds()`: end defaults to now, start to min(end, now) − since (default 1h). */
export function parseBounds(get: Params): Bounds {
  const now = nowNs()
  const end = param(get, 'end', now)
  let sinceMs = 3_600_000
  const since = get('since')
  if (since !== undefined && since !== '') {
    const ms = parseSecondsOrDurationMs(since)
    if (ms === null) throw new HttpError(400, `could not parse 'since' parameter: ${durationError(since)}`)
    sinceMs = ms
  }
  const base = end < now ? end : now
  const start = param(get, 'start', base - msToNs(sinceMs))
  if (end < start) throw new HttpError(400, 'end timestamp must not be before or equal to start time')
  return { start, end }
}

function durationError(value: string): string {
  return `cannot parse "${value}" to a valid duration`
}

export function parseLimit(get: Params, def = 100): number {
  const raw = get('limit')
  if (raw === undefined || raw === '') return def
  if (!INT_RE.test(raw)) throw new HttpError(400, `strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`)
  const n = Number(raw)
  if (n <= 0) throw new HttpError(400, 'limit must be a positive value')
  return n
}

export type Direction = 'forward' | 'backward'

export function parseDirection(get: Params): Direction {
  const raw = get('direction')
  if (raw === undefined || raw === '') return 'backward'
  const d = raw.toLowerCase()
  if (d === 'forward' || d === 'backward') return d
  throw new HttpError(400, `invalid direction '${raw}'`)
}

/** Step in ms: explicit (seconds or duration) or Loki's default max(range/250, 1s). */
export function parseStepMs(get: Params, bounds: Bounds): number {
  const raw = get('step')
  let step: number
  if (raw === undefined || raw === '') {
    const rangeMs = Number((bounds.end - bounds.start) / 1_000_000n)
    step = Math.max(Math.floor(rangeMs / 250 / 1000) * 1000, 1000)
  } else {
    const ms = parseSecondsOrDurationMs(raw)
    if (ms === null) throw new HttpError(400, `could not parse 'step' parameter: ${durationError(raw)}`)
    step = ms
  }
  if (step <= 0) {
    throw new HttpError(400, 'zero or negative query resolution step widths are not accepted. Try a positive integer')
  }
  const rangeMs = Number((bounds.end - bounds.start) / 1_000_000n)
  if (rangeMs / step > 11000) {
    throw new HttpError(
      400,
      'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter',
    )
  }
  return step
}

/** Interval in ms for log queries (0 = every entry). */
export function parseIntervalMs(get: Params): number {
  const raw = get('interval')
  if (raw === undefined || raw === '') return 0
  const ms = parseSecondsOrDurationMs(raw)
  if (ms === null) throw new HttpError(400, `could not parse 'interval' parameter: ${durationError(raw)}`)
  if (ms < 0) throw new HttpError(400, 'interval must be >= 0')
  return ms
}
