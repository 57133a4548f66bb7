/**
 * OTLP logs to a Loki push request, as `otlpToLokiPushRequest` (`pkg/loghttp/push/otlp.go`) does:
 * resource attributes chosen as index labels (names through the label namer, maps flattened
 * with `_`) form the stream, with `service_name` from `service.name`, else from the first index
 * label named in `discover_service_name`, else `unknown_service`. Everything else becomes
 * structured metadata, in Loki's order: log attributes, `observed_timestamp`, `severity_number`,
 * `severity_text`, `dropped_attributes_count`, `flags`, `trace_id`, `span_id`, then the resource's
 * and the scope's attributes, `scope_name`, `scope_version`, `scope_dropped_attributes_count`.
 * Log attributes configured as index labels put their record in a stream of its own. The line is
 * the body's string form; the time is `time_unix_nano`, else `observed_time_unix_nano`, else now.
 */

import { canonicalLabels } from '../labels'
import type { LabelPair, PushEntry, PushRequest, PushStream } from '../types'
import type { AttributeAction, AttributeActions } from './config'
import { buildLabelName, LabelNameError } from '../label-namer'
import type { ExportLogsRequest, KeyValue, LogRecord, OtlpValue } from './model'
import { valueAsString } from './value'
import { utf8Length } from '../../go/utf8'

function metadataBytes(pairs: readonly LabelPair[]): number {
  let n = 0
  for (const [k, v] of pairs) n += utf8Length(k) + utf8Length(v)
  return n
}

const SERVICE_NAME_ATTR = 'service.name'
const SERVICE_NAME = 'service_name'
const UNKNOWN_SERVICE = 'unknown_service'

/** An attribute name Loki cannot turn into a label name; fails the whole push (400). */
export class OtlpMappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OtlpMappingError'
  }
}

function buildName(name: string): string {
  try {
    return buildLabelName(name)
  } catch (err) {
    if (err instanceof LabelNameError) throw new OtlpMappingError(`symbolizer lookup: ${err.message}`)
    throw err
  }
}

/** Set when a pair's value was not valid UTF-8: Loki's label validation then drops the stream. */
interface Utf8Check {
  invalid: boolean
}

/** `attributeToLabels`: one pair, or one per (nested) map entry with `prefix_` names. */
function attributeToLabels(key: string, value: OtlpValue, prefix: string, out: LabelPair[], check?: Utf8Check): void {
  const name = buildName(prefix === '' ? key : `${prefix}_${key}`)
  if (value.kind !== 'kvlist') {
    if (check && value.kind === 'string' && value.invalidUtf8) check.invalid = true
    out.push([name, valueAsString(value)])
    return
  }
  for (const kv of value.value) {
    try {
      attributeToLabels(kv.key, kv.value, name, out, check)
    } catch (err) {
      if (err instanceof OtlpMappingError) throw new OtlpMappingError(`symbolizer lookup: ${err.message}`)
      throw err
    }
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex(b: Uint8Array): string {
  let s = ''
  for (const x of b) s += HEX[x]!
  return s
}

function allZero(b: Uint8Array): boolean {
  for (const x of b) if (x !== 0) return false
  return true
}

/** Go's `model.LabelSet.String()` of a name → value map: sorted, `{a="b", c="d"}`. */
function labelSetText(set: ReadonlyMap<string, string>): string {
  const pairs: LabelPair[] = [...set.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return canonicalLabels(pairs)
}

export interface OtlpMappingOptions {
  readonly actions: AttributeActions
  readonly discoverServiceName: readonly string[]
  /** Unix ms for records without any timestamp. */
  readonly nowMs: number
}

function attributesFor(
  attrs: readonly KeyValue[],
  action: (name: string) => AttributeAction,
  onIndex: ((pair: LabelPair) => void) | null,
  metadata: LabelPair[],
  check?: Utf8Check,
): void {
  for (const kv of attrs) {
    const a = action(kv.key)
    if (a === 'drop') continue
    if (a === 'index_label' && onIndex) {
      const pairs: LabelPair[] = []
      attributeToLabels(kv.key, kv.value, '', pairs, check)
      for (const p of pairs) onIndex(p)
    } else if (a === 'structured_metadata') attributeToLabels(kv.key, kv.value, '', metadata)
    else attributeToLabels(kv.key, kv.value, '', [])
  }
}

function recordEntry(
  rec: LogRecord,
  options: OtlpMappingOptions,
  logLabels: Map<string, string>,
  check: Utf8Check,
): PushEntry {
  const metadata: LabelPair[] = []
  attributesFor(rec.attributes, (k) => options.actions.log(k), (p) => logLabels.set(p[0], p[1]), metadata, check)
  if (rec.timeUnixNano !== 0n && rec.observedTimeUnixNano !== 0n) {
    metadata.push(['observed_timestamp', BigInt.asIntN(64, rec.observedTimeUnixNano).toString()])
  }
  if (rec.severityNumber !== 0) metadata.push(['severity_number', String(rec.severityNumber)])
  if (rec.severityText !== '') {
    if (options.actions.config.severityTextAsLabel) logLabels.set('severity_text', rec.severityText)
    metadata.push(['severity_text', rec.severityText])
  }
  if (rec.droppedAttributesCount !== 0) metadata.push(['dropped_attributes_count', String(rec.droppedAttributesCount)])
  if (rec.flags !== 0) metadata.push(['flags', String(rec.flags)])
  if (rec.traceId.length > 0 && !allZero(rec.traceId)) metadata.push(['trace_id', hex(rec.traceId)])
  if (rec.spanId.length > 0 && !allZero(rec.spanId)) metadata.push(['span_id', hex(rec.spanId)])
  let ts: bigint
  if (rec.timeUnixNano !== 0n) ts = BigInt.asIntN(64, rec.timeUnixNano)
  else if (rec.observedTimeUnixNano !== 0n) ts = BigInt.asIntN(64, rec.observedTimeUnixNano)
  else ts = BigInt(options.nowMs) * 1_000_000n
  return { ts, line: valueAsString(rec.body), metadata }
}

/** Maps decoded OTLP logs to streams keyed by label text. Throws `OtlpMappingError`. */
export function otlpToPushRequest(req: ExportLogsRequest, options: OtlpMappingOptions): PushRequest {
  let records = 0
  for (const rl of req.resourceLogs) for (const sl of rl.scopeLogs) records += sl.logRecords.length
  if (records === 0) return { streams: [] }

  const byLabels = new Map<string, PushStream>()
  const target = (text: string): PushStream => {
    let t = byLabels.get(text)
    if (!t) {
      t = { labels: text, entries: [] }
      byLabels.set(text, t)
    }
    return t
  }
  const discover = options.discoverServiceName
  // Loki's received bytes: lines and each entry's own metadata, resource and scope metadata once.
  let receivedBytes = 0

  for (const rl of req.resourceLogs) {
    const streamLabels = new Map<string, string>()
    const resourceMetadata: LabelPair[] = []
    const check: Utf8Check = { invalid: false }
    let hasServiceName = false
    const first = rl.attributes.find((kv) => kv.key === SERVICE_NAME_ATTR)
    if (first && valueAsString(first.value) !== '') hasServiceName = true
    attributesFor(
      rl.attributes,
      (k) => options.actions.resource(k),
      ([name, value]) => {
        streamLabels.set(name, value)
        if (!hasServiceName && discover.includes(name)) {
          streamLabels.set(SERVICE_NAME, value)
          hasServiceName = true
        }
      },
      resourceMetadata,
      check,
    )
    // Loki's `streamLabels.Validate()` fails: the resource's records are dropped, the push goes on.
    if (check.invalid) continue
    if (!hasServiceName && discover.length > 0) streamLabels.set(SERVICE_NAME, UNKNOWN_SERVICE)
    const labelsText = labelSetText(streamLabels)
    if (streamLabels.size > 0) target(labelsText)
    receivedBytes += metadataBytes(resourceMetadata)

    for (const sl of rl.scopeLogs) {
      const scopeMetadata: LabelPair[] = []
      attributesFor(sl.scope.attributes, (k) => options.actions.scope(k), null, scopeMetadata)
      if (sl.scope.name !== '') scopeMetadata.push(['scope_name', sl.scope.name])
      if (sl.scope.version !== '') scopeMetadata.push(['scope_version', sl.scope.version])
      if (sl.scope.droppedAttributesCount !== 0) {
        scopeMetadata.push(['scope_dropped_attributes_count', String(sl.scope.droppedAttributesCount)])
      }
      receivedBytes += metadataBytes(scopeMetadata)
      for (const rec of sl.logRecords) {
        const logLabels = new Map<string, string>()
        const recordCheck: Utf8Check = { invalid: false }
        const entry = recordEntry(rec, options, logLabels, recordCheck)
        if (recordCheck.invalid) continue
        receivedBytes += utf8Length(entry.line) + metadataBytes(entry.metadata!)
        let text = labelsText
        if (logLabels.size > 0) {
          const combined = new Map(streamLabels)
          for (const [k, v] of logLabels) combined.set(k, v)
          text = labelSetText(combined)
        }
        for (const p of resourceMetadata) entry.metadata!.push([p[0], p[1]])
        for (const p of scopeMetadata) entry.metadata!.push([p[0], p[1]])
        if (entry.metadata!.length === 0) delete entry.metadata
        target(text).entries.push(entry)
      }
    }
  }
  return { streams: [...byLabels.values()], receivedBytes }
}
