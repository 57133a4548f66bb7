/**
 * Log entries as the page lists them: merged from a reply's streams newest first, de-duplicated
 * across pages, with the level Loki detected (`detected_level`, else a `level` label) and the
 * fields of a JSON or logfmt line for the expanded view.
 */
import type { Labels, Stream } from './api.mjs'

export interface LogRow {
  readonly key: string
  readonly ts: string
  readonly line: string
  readonly labels: Labels
  readonly metadata: Labels
  readonly parsed: Labels
}

export type Level = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'unknown'

const LEVELS: Record<string, Level> = {
  critical: 'critical', crit: 'critical', fatal: 'critical', emerg: 'critical', emergency: 'critical', alert: 'critical', panic: 'critical',
  error: 'error', err: 'error', eror: 'error',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info',
  debug: 'debug', dbg: 'debug', debu: 'debug',
  trace: 'trace', trc: 'trace',
}

/** Compares nanosecond timestamps written as decimal strings without leading zeros. */
export function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

export function labelString(labels: Labels): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`
}

/** The reply's entries, newest first. */
export function rowsOf(streams: readonly Stream[]): LogRow[] {
  const rows: LogRow[] = []
  for (const s of streams) {
    const id = labelString(s.labels)
    for (const v of s.values) rows.push({ key: `${v.ts} ${id} ${v.line}`, ts: v.ts, line: v.line, labels: s.labels, metadata: v.metadata, parsed: v.parsed })
  }
  return rows.sort((a, b) => compareNs(b.ts, a.ts))
}

/** One of Loki's detected levels for a level as logs spell it. */
export function levelNamed(raw: string): Level {
  return LEVELS[raw.toLowerCase()] ?? 'unknown'
}

export function levelOf(row: LogRow): Level {
  return levelNamed(row.metadata.detected_level ?? row.labels.detected_level ?? row.parsed.detected_level ?? row.labels.level ?? row.parsed.level ?? '')
}

function flatten(prefix: string, v: unknown, out: Labels): void {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    for (const [k, inner] of Object.entries(v)) flatten(prefix === '' ? k : `${prefix}_${k}`, inner, out)
  } else if (prefix !== '') {
    out[prefix] = typeof v === 'string' ? v : JSON.stringify(v)
  }
}

const LOGFMT_PAIR = /([^\s="]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)/g

function unquote(v: string): string {
  try {
    return String(JSON.parse(v))
  } catch {
    return v.slice(1, -1)
  }
}

/** The fields of a JSON object line (nested keys joined by `_`, as `| json` names them) or of a logfmt line. */
export function lineFields(line: string): Labels {
  const out: Labels = {}
  const t = line.trim()
  if (t.startsWith('{')) {
    try {
      flatten('', JSON.parse(t) as unknown, out)
      return out
    } catch {
      // not JSON: try logfmt
    }
  }
  const pairs = [...t.matchAll(LOGFMT_PAIR)]
  if (pairs.length < 2) return out
  for (const [, k, v] of pairs) {
    if (k === undefined || v === undefined) continue
    out[k] = v.startsWith('"') ? unquote(v) : v
  }
  return out
}

/** A nanosecond timestamp as `YYYY-MM-DD HH:MM:SS.mmm` in UTC. */
export function formatNs(ts: string): string {
  const ms = Number(ts.length > 6 ? ts.slice(0, -6) : '0')
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
