/**
 * Tail frames in Loki's two encodings (pkg/util/marshal EncodeTailResult and the legacy
 * `/api/prom/tail` WriteJSON). Every entry is its own stream object and a frame carries at most
 * 100 entries, in timestamp order. In the v1 encoding only lines are HTML-escaped (jsoniter's
 * WriteStringWithHTMLEscaped), label names and values are not; the legacy encoding escapes
 * everything (encoding/json) and ends with a newline.
 */
import { labelsToString } from '../logql/engine/labels'
import type { Labels } from '../logql/engine/source'
import { goJson } from '../util/go-json'
import { rfc3339Nano } from '../util/time'
import type { DroppedEntry, LabelPairs, TailEntry } from './entry'

export const MAX_ENTRIES_PER_FRAME = 100
/** Loki's maxDroppedEntriesPerTailResponse: dropped entries listed in one frame at most. */
export const MAX_DROPPED_PER_FRAME = 1000

const CATEGORIZE_LABELS = 'categorize-labels'

export type FrameFormat = 'v1' | 'v1-categorized' | 'legacy' | 'legacy-categorized'

function objectJson(pairs: LabelPairs): string {
  let out = '{'
  pairs.forEach(([k, v], i) => {
    if (i > 0) out += ','
    out += JSON.stringify(k) + ':' + JSON.stringify(v)
  })
  return out + '}'
}

function sortedObjectJson(l: Labels): string {
  return objectJson(
    Object.keys(l)
      .sort()
      .map((k) => [k, l[k] ?? ''] as const),
  )
}

function v1Stream(e: TailEntry, categorized: boolean): string {
  const head = `{"stream":${sortedObjectJson(categorized ? e.stream : e.labels)},"values":[["${e.ts}",${goJson(e.line)}`
  if (!categorized) return head + ']]}'
  const parts: string[] = []
  if (e.structuredMetadata.length > 0) parts.push(`"structuredMetadata":${objectJson(e.structuredMetadata)}`)
  if (e.parsed.length > 0) parts.push(`"parsed":${objectJson(e.parsed)}`)
  return head + `,{${parts.join(',')}}]]}`
}

function v1Frame(entries: readonly TailEntry[], dropped: readonly DroppedEntry[], categorized: boolean): string {
  let out = '{"streams":[' + entries.map((e) => v1Stream(e, categorized)).join(',') + ']'
  if (dropped.length > 0) {
    out += ',"dropped_entries":[' + dropped.map((d) => `{"timestamp":"${d.ts}","labels":${sortedObjectJson(d.labels)}}`).join(',') + ']'
  }
  if (categorized) out += `,"encodingFlags":["${CATEGORIZE_LABELS}"]`
  return out + '}'
}

function legacyFrame(entries: readonly TailEntry[], dropped: readonly DroppedEntry[], categorized: boolean): string {
  const body = {
    streams: entries.map((e) => ({
      labels: labelsToString(categorized ? e.stream : e.labels),
      entries: [
        e.parsed.length > 0
          ? { ts: rfc3339Nano(e.ts), line: e.line, parsed: Object.fromEntries(e.parsed) }
          : { ts: rfc3339Nano(e.ts), line: e.line },
      ],
    })),
    dropped_entries: dropped.length > 0 ? dropped.map((d) => ({ Timestamp: rfc3339Nano(d.ts), Labels: labelsToString(d.labels) })) : null,
  }
  return goJson(body) + '\n'
}

/** One frame of up to MAX_ENTRIES_PER_FRAME entries (already in timestamp order). */
export function encodeFrame(format: FrameFormat, entries: readonly TailEntry[], dropped: readonly DroppedEntry[]): string {
  switch (format) {
    case 'v1':
      return v1Frame(entries, dropped, false)
    case 'v1-categorized':
      return v1Frame(entries, dropped, true)
    case 'legacy':
      return legacyFrame(entries, dropped, false)
    case 'legacy-categorized':
      return legacyFrame(entries, dropped, true)
  }
}
