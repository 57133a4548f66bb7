/**
 * Turns a raw head scan into one ordered, de-duplicated, filtered page (see entry-order.ts).
 */
import type { HeadScan } from './head'
import type { HeadSelectRequest, HeadSelectResult, IngestEntry } from './types'
import { lineFilterFor } from './line-filter'
import { utf8Length } from '../go/utf8'

function withoutLine(e: IngestEntry): IngestEntry {
  const out: { ts: bigint; line: string; size: number; metadata?: IngestEntry['metadata'] } = { ts: e.ts, line: '', size: utf8Length(e.line) }
  if (e.metadata) out.metadata = e.metadata
  return out
}

export function selectPage(scan: HeadScan, req: HeadSelectRequest): HeadSelectResult {
  const keep = lineFilterFor(req.lineFilters)
  const entries = scan.entries
  const forward = req.direction === 'forward'
  const after = req.cursor?.ts
  let bytesScanned = 0
  let linesScanned = 0
  const out: IngestEntry[] = []
  const n = entries.length
  for (let k = 0; k < n; k++) {
    const e = entries[forward ? k : n - 1 - k]!
    if (after !== undefined && (forward ? e.ts <= after : e.ts >= after)) continue
    if (out.length >= req.pageSize && e.ts !== out[out.length - 1]!.ts) {
      // Pages end only between timestamps, so the next page resumes strictly after this one.
      return { entries: out, next: { ts: out[out.length - 1]!.ts }, bytesScanned, linesScanned, rowsRead: scan.rowsRead }
    }
    linesScanned++
    bytesScanned += e.line.length
    if (keep(e.line)) out.push(req.withoutLines ? withoutLine(e) : e)
  }
  return { entries: out, next: null, bytesScanned, linesScanned, rowsRead: scan.rowsRead }
}
