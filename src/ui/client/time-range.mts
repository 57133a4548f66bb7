/**
 * Time ranges as Grafana writes them: relative (`now`, `now-15m`) or absolute (an ISO 8601 date
 * or time, UTC unless it names its offset), resolved to Unix nanoseconds for the API, plus the step a
 * range of a given width is drawn with.
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const RELATIVE = /^now(?:-(\d+)([smhdw]))?$/
const ABSOLUTE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?)?$/

/** Milliseconds since the epoch for `text` at `nowMs`, or null when it is no time. */
export function parseTime(text: string, nowMs: number): number | null {
  const t = text.trim()
  const rel = RELATIVE.exec(t)
  if (rel) return rel[1] === undefined ? nowMs : nowMs - Number(rel[1]) * (UNIT_MS[rel[2] ?? 's'] ?? 1000)
  const abs = ABSOLUTE.exec(t)
  if (!abs) return null
  const ms = Date.parse(`${abs[1]}T${abs[2] ?? '00:00'}${abs[3] ?? 'Z'}`)
  return Number.isNaN(ms) ? null : ms
}

export interface Resolved {
  readonly startMs: number
  readonly endMs: number
}

/** Both ends, or an error text naming the bad one. */
export function resolveRange(from: string, to: string, nowMs: number): Resolved | string {
  const startMs = parseTime(from, nowMs)
  if (startMs === null) return `cannot read the start time "${from}"`
  const endMs = parseTime(to, nowMs)
  if (endMs === null) return `cannot read the end time "${to}"`
  if (endMs <= startMs) return 'the end of the range must be after its start'
  return { startMs, endMs }
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n
}

/** Whole seconds between points so that the range is drawn with at most `points` of them. */
export function stepSeconds(range: Resolved, points: number): number {
  return Math.max(1, Math.ceil((range.endMs - range.startMs) / 1000 / points))
}

/** An absolute time as the range inputs show it (UTC, second precision). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
