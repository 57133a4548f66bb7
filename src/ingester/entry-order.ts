/**
 * Loki's order of one stream's entries: by timestamp, and entries sharing a timestamp in the
 * order they were pushed (forward) or its reverse (backward). An entry identical to an earlier
 * one (same timestamp and line) is dropped, which makes retried pushes idempotent.
 */
import type { IngestEntry } from './types'

/** Sorts in place by timestamp (stable, so push order breaks ties) and drops duplicates. */
export function sortUnique<T extends IngestEntry>(entries: T[]): T[] {
  entries.sort((a, b) => (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1))
  const out: T[] = []
  let groupTs: bigint | null = null
  let groupLines: Set<string> | null = null
  for (const e of entries) {
    if (e.ts !== groupTs) {
      groupTs = e.ts
      groupLines = null
      out.push(e)
      continue
    }
    // Several entries share this timestamp: compare against all of them, not just the last.
    if (!groupLines) groupLines = new Set([out[out.length - 1]!.line])
    if (groupLines.has(e.line)) continue
    groupLines.add(e.line)
    out.push(e)
  }
  return out
}
