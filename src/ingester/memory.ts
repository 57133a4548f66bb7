/**
 * What one ingester object holds in memory, counted in line bytes (UTF-16 code units of lines
 * and metadata, as the head's `bytes` column counts them): pushes being appended, the cached head
 * view, head reads for queries and de-duplication, and the segment a flush is encoding with its
 * compressed chunk. The peak is exported as a gauge; locally every object shares the Worker's
 * isolate, so `/metrics` shows the largest any object reached.
 */
import { ingesterMemoryPeak } from '../metrics/meters'
import type { IngestEntry } from './types'

export function entryBytes(entries: readonly IngestEntry[]): number {
  let n = 0
  for (const e of entries) {
    n += e.line.length
    if (e.metadata) for (const [k, v] of e.metadata) n += k.length + v.length
  }
  return n
}

export class MemoryAccount {
  private held = 0
  private peakBytes = 0

  /** Counts `bytes` as held until the returned release is called. */
  hold(bytes: number): () => void {
    this.held += bytes
    if (this.held > this.peakBytes) {
      this.peakBytes = this.held
      ingesterMemoryPeak(this.peakBytes)
    }
    let released = false
    return () => {
      if (released) return
      released = true
      this.held -= bytes
    }
  }

  get peak(): number {
    return this.peakBytes
  }
}
