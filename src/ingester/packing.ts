/**
 * The packed form of a stream's entries: a JSON array of `[ts, line]` or `[ts, line, metadata]`
 * with the timestamp as a decimal string. Pushes cross the RPC boundary in this form (one string
 * instead of thousands of small objects) and head rows store it.
 */
import type { IngestEntry, MetadataPairs } from './types'

export type PackedEntry = [string, string] | [string, string, MetadataPairs]

export function packEntry(e: IngestEntry): PackedEntry {
  return e.metadata && e.metadata.length > 0 ? [e.ts.toString(), e.line, e.metadata] : [e.ts.toString(), e.line]
}

export function packEntries(entries: readonly IngestEntry[]): string {
  return JSON.stringify(entries.map(packEntry))
}

export function unpackEntries(packed: string): IngestEntry[] {
  const raw = JSON.parse(packed) as PackedEntry[]
  const out: IngestEntry[] = new Array(raw.length)
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i]!
    out[i] = p.length === 3 ? { ts: BigInt(p[0]), line: p[1], metadata: p[2] } : { ts: BigInt(p[0]), line: p[1] }
  }
  return out
}
