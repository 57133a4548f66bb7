/**
 * Loki's per-stream and per-entry validation (`pkg/distributor/validator.go`) with the reason
 * labels and message texts of `pkg/validation/validate.go`. Checks run in Loki's order; the first
 * failing check decides the reason. Stream checks quote the labels as the client sent them,
 * entry checks quote the parsed labels (`{a="b", c="d"}`).
 */

import type { ValidationLimits } from './limits'
import type { LabelPair, PushEntry } from './types'
import { utf8Length } from '../go/utf8'

export interface Violation {
  reason: string
  message: string
}

export const SERVICE_NAME = 'service_name'
export const AGGREGATED_METRIC = '__aggregated_metric__'

export const MISSING_STREAMS_MSG = 'error at least one valid stream is required for ingestion'

/** Go's `time.Time.Format(time.RFC3339)` in UTC for Unix nanoseconds. */
export function formatRfc3339(ns: bigint): string {
  let sec = ns / 1_000_000_000n
  if (ns < 0n && ns % 1_000_000_000n !== 0n) sec -= 1n
  const d = new Date(Number(sec) * 1000)
  if (Number.isNaN(d.getTime())) return String(ns)
  const iso = d.toISOString()
  const year = d.getUTCFullYear()
  const body = iso.slice(iso.indexOf('-', 1))
  return `${String(year).padStart(4, '0')}${body.slice(0, body.indexOf('.'))}Z`
}


/** The longest prefix of `s` whose UTF-8 encoding fits in `max` bytes. */
export function truncateUtf8(s: string, max: number): string {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let w = c < 0x80 ? 1 : c < 0x800 ? 2 : 3
    let step = 1
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d < 0xe000) {
        w = 4
        step = 2
      }
    }
    if (bytes + w > max) return s.slice(0, i)
    bytes += w
    i += step - 1
  }
  return s
}

/** `ValidateLabels`: `labels` parsed and sorted (with `service_name`), `raw` as the stream's text. */
export function validateStreamLabels(
  labels: ReadonlyArray<LabelPair>,
  raw: string,
  limits: ValidationLimits,
): Violation | null {
  if (labels.length === 0) {
    return { reason: 'missing_labels', message: 'error at least one label pair is required per stream' }
  }
  let hasService = false
  for (const [n] of labels) {
    if (n === AGGREGATED_METRIC) return null
    if (n === SERVICE_NAME) hasService = true
  }
  const count = labels.length - (hasService ? 1 : 0)
  if (count > limits.maxLabelNamesPerSeries) {
    return {
      reason: 'max_label_names_per_series',
      message: `entry for stream '${raw}' has ${count} label names; limit ${limits.maxLabelNamesPerSeries}`,
    }
  }
  let last = ''
  for (const [n, v] of labels) {
    if (utf8Length(n) > limits.maxLabelNameLength) {
      return { reason: 'label_name_too_long', message: `stream '${raw}' has label name too long: '${n}'` }
    }
    if (utf8Length(v) > limits.maxLabelValueLength) {
      return { reason: 'label_value_too_long', message: `stream '${raw}' has label value too long: '${v}'` }
    }
    if (n === last) {
      return { reason: 'duplicate_label_names', message: `stream '${raw}' has duplicate label name: '${n}'` }
    }
    last = n
  }
  return null
}

export interface EntryBounds {
  /** Oldest accepted timestamp (ns), or null when old samples are accepted. */
  oldest: bigint | null
  /** Newest accepted timestamp (ns). */
  newest: bigint
}

export function entryBounds(limits: ValidationLimits, nowMs: number): EntryBounds {
  return {
    oldest: limits.rejectOldSamples ? BigInt(Math.round(nowMs - limits.rejectOldSamplesMaxAgeMs)) * 1_000_000n : null,
    newest: BigInt(Math.round(nowMs + limits.creationGracePeriodMs)) * 1_000_000n,
  }
}

/** `ValidateEntry`: `stream` is the canonical label text, `lineBytes` the line's UTF-8 length. */
export function validateEntry(
  entry: PushEntry,
  lineBytes: number,
  stream: string,
  bounds: EntryBounds,
  limits: ValidationLimits,
): Violation | null {
  if (bounds.oldest !== null && entry.ts < bounds.oldest) {
    return {
      reason: 'greater_than_max_sample_age',
      message: `entry for stream '${stream}' has timestamp too old: ${formatRfc3339(entry.ts)}, oldest acceptable timestamp is: ${formatRfc3339(bounds.oldest)}`,
    }
  }
  if (entry.ts > bounds.newest) {
    return {
      reason: 'too_far_in_future',
      message: `entry for stream '${stream}' has timestamp too new: ${formatRfc3339(entry.ts)}`,
    }
  }
  if (limits.maxLineSize !== 0 && lineBytes > limits.maxLineSize) {
    return {
      reason: 'line_too_long',
      message: `max entry size '${limits.maxLineSize}' bytes exceeded for stream '${stream}' while adding an entry with length '${lineBytes}' bytes`,
    }
  }
  const md = entry.metadata
  if (md && md.length > 0) {
    if (!limits.allowStructuredMetadata) {
      return {
        reason: 'disallowed_structured_metadata',
        message: `stream '${stream}' includes structured metadata, but this feature is disallowed. Please see \`limits_config.allow_structured_metadata\` or contact your Loki administrator to enable it`,
      }
    }
    let size = 0
    for (const [n, v] of md) size += utf8Length(n) + utf8Length(v)
    if (limits.maxStructuredMetadataSize !== 0 && size > limits.maxStructuredMetadataSize) {
      return {
        reason: 'structured_metadata_too_large',
        message: `stream '${stream}' has structured metadata too large: '${size}' bytes, limit: '${limits.maxStructuredMetadataSize}' bytes. Please see \`limits_config.max_structured_metadata_size\` or contact your Loki administrator to increase it`,
      }
    }
    if (limits.maxStructuredMetadataEntriesCount !== 0 && md.length > limits.maxStructuredMetadataEntriesCount) {
      return {
        reason: 'structured_metadata_too_many',
        message: `stream '${stream}' has too many structured metadata labels: '${md.length}', limit: '${limits.maxStructuredMetadataEntriesCount}'. Please see \`limits_config.max_structured_metadata_entries_count\` or contact your Loki administrator to increase it`,
      }
    }
  }
  return null
}

/**
 * Loki's `GroupedErrors.Error()`: distinct messages joined by `; `, each prefixed with
 * `N errors like: ` unless there is a single message seen once. (Go iterates a map there, so
 * Loki's order is random; first-seen order is used here.)
 */
export function groupErrors(messages: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1)
  const parts: string[] = []
  for (const [m, n] of counts) parts.push(counts.size > 1 || n > 1 ? `${n} errors like: ${m}` : m)
  return parts.join('; ')
}
