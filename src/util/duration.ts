/**
 * Prometheus/Loki duration strings (`1h30m`, `250ms`, `7d`, `1w`) and the seconds-or-duration
 * form Loki accepts for `step`, `interval` and `since`.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
}

const DURATION_RE = /^(?:(\d+)(ms|s|m|h|d|w|y))+$/
const PART_RE = /(\d+)(ms|s|m|h|d|w|y)/g

/** Parses a Prometheus duration into milliseconds; null when malformed. `0` is accepted. */
export function parseDurationMs(text: string): number | null {
  if (text === '0') return 0
  if (!DURATION_RE.test(text)) return null
  let total = 0
  for (const m of text.matchAll(PART_RE)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0)
  }
  return total
}

/**
 * Loki's parseSecondsOrDuration: a float number of seconds first, then a Prometheus duration.
 * Returns milliseconds, or null when neither form parses.
 */
export function parseSecondsOrDurationMs(text: string): number | null {
  if (text.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000)
  }
  return parseDurationMs(text)
}

/** Go's time.Duration String() for a millisecond count (e.g. 3600000 → `1h0m0s`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s'
  const neg = ms < 0
  let rest = Math.abs(ms)
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = rest / 1000
  let out = ''
  if (h > 0) out += `${h}h`
  if (h > 0 || m > 0) out += `${m}m`
  out += `${s}s`
  return (neg ? '-' : '') + out
}
