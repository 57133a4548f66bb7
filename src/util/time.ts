/**
 * Nanosecond timestamps (bigint) and the Go time formats Loki's messages use.
 */

export const NS_PER_MS = 1_000_000n

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS)
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * NS_PER_MS
}

function isoParts(ns: bigint): { date: string; time: string; frac: string } {
  const ms = Number(ns / NS_PER_MS) - (ns < 0n && ns % NS_PER_MS !== 0n ? 1 : 0)
  const iso = new Date(ms).toISOString() // 2006-01-02T15:04:05.000Z
  const sub = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n
  const frac = sub === 0n ? '' : '.' + sub.toString().padStart(9, '0').replace(/0+$/, '')
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), frac }
}

/** Go's `time.Time.String()` in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTimeString(ns: bigint): string {
  const p = isoParts(ns)
  return `${p.date} ${p.time}${p.frac} +0000 UTC`
}

/** Go's `time.RFC3339` in UTC (no fraction): `2006-01-02T15:04:05Z`. */
export function rfc3339(ns: bigint): string {
  const p = isoParts(ns)
  return `${p.date}T${p.time}Z`
}

/** Go's `time.RFC3339Nano` in UTC: `2006-01-02T15:04:05.999999999Z`. */
export function rfc3339Nano(ns: bigint): string {
  const p = isoParts(ns)
  return `${p.date}T${p.time}${p.frac}Z`
}
