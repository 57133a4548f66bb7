/**
 * Turns a raw head scan into one ordered, de-duplicated, filtered page (see entry-order.ts).
 */
import type { HeadScan } from './head'
import type { HeadSelectRequest, HeadSelectResult, IngestEntry } from './types'
import { lineFilterFor } from './line-filter'
import { sortUnique } from './entry-order'

export function selectPage(scan: HeadScan, req: HeadSelectRequest): HeadSelectResult {
  const keep = lineFilterFor(req.lineFilters)
  const sorted = sortUnique(scan.entries)
  if (req.direction === 'backward') sorted.reverse()
  const after = req.cursor?.ts
  const forward = req.direction === 'forward'
  let bytesScanned = 0
  let linesScanned = 0
  const out: IngestEntry[] = []
  for (const e of sorted) {
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
