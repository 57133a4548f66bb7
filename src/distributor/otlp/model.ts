/**
 * The OTLP logs data model (`opentelemetry/proto/logs/v1/logs.proto`, `common/v1/common.proto`)
 * as far as Loki reads it: an `ExportLogsServiceRequest` decoded from protobuf or JSON. Absent
 * fields hold their proto3 zero values, as in the Collector's pdata.
 */

export type OtlpValue =
  | { readonly kind: 'empty' }
  /** `invalidUtf8`: the bytes were not UTF-8 (invalid sequences decoded as U+FFFD). */
  | { readonly kind: 'string'; readonly value: string; readonly invalidUtf8?: true }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly value: OtlpValue[] }
  | { readonly kind: 'kvlist'; readonly value: KeyValue[] }

export const EMPTY_VALUE: OtlpValue = Object.freeze({ kind: 'empty' })

export interface KeyValue {
  key: string
  value: OtlpValue
}

export interface LogRecord {
  /** Unix nanoseconds; 0 when unset. */
  timeUnixNano: bigint
  observedTimeUnixNano: bigint
  severityNumber: number
  severityText: string
  body: OtlpValue
  attributes: KeyValue[]
  droppedAttributesCount: number
  flags: number
  /** 16 bytes, or empty when unset. */
  traceId: Uint8Array
  /** 8 bytes, or empty when unset. */
  spanId: Uint8Array
}

export interface Scope {
  name: string
  version: string
  attributes: KeyValue[]
  droppedAttributesCount: number
}

export interface ScopeLogs {
  scope: Scope
  logRecords: LogRecord[]
}

export interface ResourceLogs {
  attributes: KeyValue[]
  scopeLogs: ScopeLogs[]
}

export interface ExportLogsRequest {
  resourceLogs: ResourceLogs[]
}

const NO_BYTES = new Uint8Array(0)

export function newLogRecord(): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: EMPTY_VALUE,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: NO_BYTES,
    spanId: NO_BYTES,
  }
}

export function newScope(): Scope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0 }
}
