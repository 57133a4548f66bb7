/**
 * Turns a raw head scan into one ordered, de-duplicated, filtered page. Identical (timestamp,
 * line) pairs collapse to one entry here, which is what makes client retries idempotent.
 */
import type { HeadScan } from './head'
import type { HeadSelectRequest, HeadSelectResult, IngestEntry } from './types'
import { lineFilterFor } from './line-filter'

function compareForward(a: IngestEntry, b: IngestEntry): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1
  return a.line < b.line ? -1 : a.line > b.line ? 1 : 0
}

export function selectPage(scan: HeadScan, req: HeadSelectRequest): HeadSelectResult {
  const keep = lineFilterFor(req.lineFilters)
  const sorted = scan.entries.sort(compareForward)
  if (req.direction === 'backward') sorted.reverse()
  const after = req.cursor?.ts
  const forward = req.direction === 'forward'
  let bytesScanned = 0
  let linesScanned = 0
  const out: IngestEntry[] = []
  let prev: IngestEntry | null = null
  for (const e of sorted) {
    if (prev && prev.ts === e.ts && prev.line === e.line) continue
    prev = e
    if (after !== undefined && (forward ? e.ts <= after : e.ts >= after)) continue
    if (out.length >= req.pageSize && e.ts !== out[out.length - 1]!.ts) {
      // Pages end only between timestamps, so the next page resumes strictly after this one.
      return { entries: out, next: { ts: out[out.length - 1]!.ts }, bytesScanned, linesScanned, rowsRead: scan.rowsRead }
    }
    linesScanned++
    bytesScanned += e.line.length
    if (keep(e.line)) out.push(e)
  }
  return { entries: out, next: null, bytesScanned, linesScanned, rowsRead: scan.rowsRead }
}
