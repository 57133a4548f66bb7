/**
 * OTLP/JSON decoder for `ExportLogsServiceRequest`, following pdata's generated `UnmarshalJSON`:
 * field names in lowerCamelCase or snake_case, unknown fields skipped, 64-bit integers as numbers
 * or decimal strings, enums by number or name, trace and span ids in hex, bytes in base64.
 * `deprecated_scope_logs` is read but, as in pdata's JSON path, not used.
 */

import { JsonIter, JsonIterError } from './json-iter'
import {
  EMPTY_VALUE,
  newLogRecord,
  newScope,
  type ExportLogsRequest,
  type KeyValue,
  type LogRecord,
  type OtlpValue,
  type ResourceLogs,
  type Scope,
  type ScopeLogs,
} from './model'

const SEVERITY_NAMES = [
  'UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4',
  'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3',
  'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4',
]
const SEVERITY_VALUE = new Map(SEVERITY_NAMES.map((n, i) => [`SEVERITY_NUMBER_${n}`, i]))


function uint32(it: JsonIter): number {
  return Number(it.readInteger(32, false))
}

function uint64(it: JsonIter): bigint {
  return it.readInteger(64, false)
}

function base64Decode(it: JsonIter, text: string): Uint8Array {
  if (text === '') return new Uint8Array(0)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    it.fail('base64.Decode', 'illegal base64 data at input byte 0')
  }
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

function hexId(it: JsonIter, size: number): Uint8Array {
  const text = it.readString()
  if (text === '') return new Uint8Array(0)
  if (text.length !== size * 2) it.fail('ID.UnmarshalJSONIter', 'length mismatch')
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) {
    const byte = text.slice(i * 2, i * 2 + 2)
    if (!/^[0-9a-fA-F]{2}$/.test(byte)) {
      const bad = /^[0-9a-fA-F]/.test(byte) ? byte[1]! : byte[0]!
      it.fail('ID.UnmarshalJSONIter', `encoding/hex: invalid byte: U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(bad).replace(/^"|"$/g, "'")}`)
    }
    out[i] = parseInt(byte, 16)
  }
  return out
}

function readValue(it: JsonIter): OtlpValue {
  let value: OtlpValue = EMPTY_VALUE
  it.enter()
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'stringValue':
      case 'string_value': {
        const text = it.readString()
        value = it.lastStringValid ? { kind: 'string', value: text } : { kind: 'string', value: text, invalidUtf8: true }
        break
      }
      case 'boolValue':
      case 'bool_value':
        value = { kind: 'bool', value: it.readBool() }
        break
      case 'intValue':
      case 'int_value':
        value = { kind: 'int', value: it.readInteger(64, true) }
        break
      case 'doubleValue':
      case 'double_value':
        value = { kind: 'double', value: it.readFloat() }
        break
      case 'arrayValue':
      case 'array_value': {
        const values: OtlpValue[] = []
        for (let g = it.readObject(); g !== ''; g = it.readObject()) {
          if (g === 'values') while (it.readArray()) values.push(readValue(it))
          else it.skip()
        }
        value = { kind: 'array', value: values }
        break
      }
      case 'kvlistValue':
      case 'kvlist_value':
        value = { kind: 'kvlist', value: readKeyValueList(it) }
        break
      case 'bytesValue':
      case 'bytes_value':
        value = { kind: 'bytes', value: base64Decode(it, it.readString()) }
        break
      case 'stringValueStrindex':
      case 'string_value_strindex':
        it.readInteger(32, true)
        value = EMPTY_VALUE
        break
      default:
        it.skip()
    }
  }
  it.leave()
  return value
}

function readKeyValueList(it: JsonIter): KeyValue[] {
  const values: KeyValue[] = []
  for (let g = it.readObject(); g !== ''; g = it.readObject()) {
    if (g === 'values') while (it.readArray()) values.push(readKeyValue(it))
    else it.skip()
  }
  return values
}

function readKeyValue(it: JsonIter): KeyValue {
  const kv: KeyValue = { key: '', value: EMPTY_VALUE }
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    if (f === 'key') kv.key = it.readString()
    else if (f === 'value') kv.value = readValue(it)
    else if (f === 'keyStrindex' || f === 'key_strindex') it.readInteger(32, true)
    else it.skip()
  }
  return kv
}

function readAttributes(it: JsonIter, into: KeyValue[]): void {
  while (it.readArray()) into.push(readKeyValue(it))
}

function readSeverity(it: JsonIter): number {
  const kind = it.whatIsNext()
  if (kind === 'n') return Number(it.readInteger(32, true))
  if (kind === '"') {
    const v = SEVERITY_VALUE.get(it.readString())
    if (v === undefined) return it.fail('ReadEnumValue', 'unknown string value')
    return v
  }
  return it.fail('ReadEnumValue', 'unsupported value type')
}

function readLogRecord(it: JsonIter): LogRecord {
  const rec = newLogRecord()
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'timeUnixNano':
      case 'time_unix_nano':
        rec.timeUnixNano = uint64(it)
        break
      case 'observedTimeUnixNano':
      case 'observed_time_unix_nano':
        rec.observedTimeUnixNano = uint64(it)
        break
      case 'severityNumber':
      case 'severity_number':
        rec.severityNumber = readSeverity(it)
        break
      case 'severityText':
      case 'severity_text':
        rec.severityText = it.readString()
        break
      case 'body':
        rec.body = readValue(it)
        break
      case 'attributes':
        readAttributes(it, rec.attributes)
        break
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        rec.droppedAttributesCount = uint32(it)
        break
      case 'flags':
        rec.flags = uint32(it)
        break
      case 'traceId':
      case 'trace_id':
        rec.traceId = hexId(it, 16)
        break
      case 'spanId':
      case 'span_id':
        rec.spanId = hexId(it, 8)
        break
      case 'eventName':
      case 'event_name':
        it.readString()
        break
      default:
        it.skip()
    }
  }
  return rec
}

function readScope(it: JsonIter, scope: Scope): void {
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'name':
        scope.name = it.readString()
        break
      case 'version':
        scope.version = it.readString()
        break
      case 'attributes':
        readAttributes(it, scope.attributes)
        break
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        scope.droppedAttributesCount = uint32(it)
        break
      default:
        it.skip()
    }
  }
}

function readScopeLogs(it: JsonIter): ScopeLogs {
  const sl: ScopeLogs = { scope: newScope(), logRecords: [] }
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'scope':
        readScope(it, sl.scope)
        break
      case 'logRecords':
      case 'log_records':
        while (it.readArray()) sl.logRecords.push(readLogRecord(it))
        break
      case 'schemaUrl':
      case 'schema_url':
        it.readString()
        break
      default:
        it.skip()
    }
  }
  return sl
}

function readResource(it: JsonIter, attributes: KeyValue[]): void {
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'attributes':
        readAttributes(it, attributes)
        break
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        uint32(it)
        break
      default:
        it.skip()
    }
  }
}

function readResourceLogs(it: JsonIter): ResourceLogs {
  const rl: ResourceLogs = { attributes: [], scopeLogs: [] }
  for (let f = it.readObject(); f !== ''; f = it.readObject()) {
    switch (f) {
      case 'resource':
        readResource(it, rl.attributes)
        break
      case 'scopeLogs':
      case 'scope_logs':
        while (it.readArray()) rl.scopeLogs.push(readScopeLogs(it))
        break
      case 'schemaUrl':
      case 'schema_url':
        it.readString()
        break
      case 'deprecatedScopeLogs':
      case 'deprecated_scope_logs':
        while (it.readArray()) readScopeLogs(it)
        break
      default:
        it.skip()
    }
  }
  return rl
}

/** Decodes an OTLP/JSON body; throws `JsonIterError` with json-iterator's text. */
export function decodeOtlpJson(buf: Uint8Array): ExportLogsRequest {
  const it = new JsonIter(buf)
  const resourceLogs: ResourceLogs[] = []
  try {
    for (let f = it.readObject(); f !== ''; f = it.readObject()) {
      if (f === 'resourceLogs' || f === 'resource_logs') {
        while (it.readArray()) resourceLogs.push(readResourceLogs(it))
      } else it.skip()
    }
  } catch (err) {
    if (err instanceof RangeError) throw new JsonIterError('incrementDepth: exceeded max depth')
    throw err
  }
  return { resourceLogs }
}
