/**
 * One tailed entry as the frames carry it: its timestamp, the line after the pipeline and the
 * labels in both encodings (every label for the plain frames; indexed labels, structured
 * metadata and parsed labels for `categorize-labels`). Structured metadata keeps the order it is
 * given in: sorted for entries that went through a pipeline, as pushed for the rest, as Loki.
 */
import type { Labels } from '../logql/engine/source'

export type LabelPairs = ReadonlyArray<readonly [string, string]>

export interface TailEntry {
  readonly ts: bigint
  readonly line: string
  /** Every label: the plain encoding's `stream`. */
  readonly labels: Labels
  /** Indexed labels left after the pipeline: the categorized encoding's `stream`. */
  readonly stream: Labels
  readonly structuredMetadata: LabelPairs
  readonly parsed: LabelPairs
}

/** Timestamp and label identity of an entry that was not delivered. */
export interface DroppedEntry {
  readonly ts: bigint
  readonly labels: Labels
}

/** Oldest first. */
export function compareEntries(a: TailEntry, b: TailEntry): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0
}

export function sortedPairs(l: Labels): LabelPairs {
  return Object.keys(l)
    .sort()
    .map((k) => [k, l[k] ?? ''] as const)
}

/**
 * Identity of an entry for removing ones delivered twice (stored and forwarded): its stream and
 * its line at its timestamp. Not every label: a forwarded entry without pipeline stages carries
 * its stream's labels only, the stored one its structured metadata as well.
 */
export function entryKey(e: TailEntry): string {
  let k = `${e.ts}\u0000${e.line}`
  for (const n of Object.keys(e.stream).sort()) k += `\u0000${n}\u0001${e.stream[n]}`
  return k
}
