/**
 * Recording-rule samples kept in the tenant's Ruler object: one row per series and one per
 * sample (a table without rowid keyed by series and time, so a sample costs one row written),
 * read back for the Prometheus-compatible query API and trimmed to the retention.
 */
import { compileMatchers } from '../storage/matchers'
import type { LabelMatcher } from '../logql/syntax/ast'
import type { StoredSeries } from './prom-query'
import type { Series } from './remote-write'

export const SAMPLES_SCHEMA = `
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, labels TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
`

/** Runs one statement and answers its rows (the object meters them). */
export type Sql = <T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]) => T[]

function canonical(labels: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {}
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k] as string
  return JSON.stringify(sorted)
}

export function storeSamples(sql: Sql, series: readonly Series[]): void {
  for (const s of series) {
    const labels = canonical(s.labels)
    let id = sql<{ id: number }>('SELECT id FROM series WHERE labels = ?', labels)[0]?.id
    if (id === undefined) id = sql<{ id: number }>('INSERT INTO series (labels) VALUES (?) RETURNING id', labels)[0]?.id
    sql('INSERT OR REPLACE INTO samples (series_id, ts, value) VALUES (?, ?, ?)', id, s.timeMs, s.value)
  }
}

/** Drops samples older than `beforeMs` and series left without any. */
export function trimSamples(sql: Sql, beforeMs: number): void {
  const gone = sql<{ n: number }>('SELECT COUNT(*) AS n FROM samples WHERE ts < ?', beforeMs)[0]?.n ?? 0
  if (gone === 0) return
  sql('DELETE FROM samples WHERE ts < ?', beforeMs)
  sql('DELETE FROM series WHERE id NOT IN (SELECT DISTINCT series_id FROM samples)')
}

/** The series matching `matchers` with their samples in (fromMs, toMs]. */
export function selectSamples(sql: Sql, matchers: readonly LabelMatcher[], fromMs: number, toMs: number): StoredSeries[] {
  const matches = compileMatchers(matchers)
  const out: StoredSeries[] = []
  for (const row of sql<{ id: number; labels: string }>('SELECT id, labels FROM series ORDER BY labels')) {
    const labels = JSON.parse(row.labels) as Record<string, string>
    if (!matches(labels)) continue
    const samples = sql<{ ts: number; value: number }>('SELECT ts, value FROM samples WHERE series_id = ? AND ts > ? AND ts <= ? ORDER BY ts', row.id, fromMs, toMs)
    if (samples.length > 0) out.push({ labels, samples })
  }
  return out
}

/** Label sets of the series matching any of `selectors` (all series without any) with a sample in [fromMs, toMs]. */
export function seriesIn(sql: Sql, selectors: ReadonlyArray<readonly LabelMatcher[]>, fromMs: number, toMs: number): Array<Record<string, string>> {
  const tests = selectors.map((m) => compileMatchers(m))
  const out: Array<Record<string, string>> = []
  for (const row of sql<{ id: number; labels: string }>('SELECT id, labels FROM series ORDER BY labels')) {
    const labels = JSON.parse(row.labels) as Record<string, string>
    if (tests.length > 0 && !tests.some((t) => t(labels))) continue
    if (sql('SELECT 1 AS one FROM samples WHERE series_id = ? AND ts >= ? AND ts <= ? LIMIT 1', row.id, fromMs, toMs).length > 0) out.push(labels)
  }
  return out
}
