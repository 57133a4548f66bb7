/**
 * OTLP/JSON decoder for `ExportLogsServiceRequest`, following pdata's generated `UnmarshalJSON`:
 * field names in lowerCamelCase or snake_case, unknown fields skipped, 64-bit integers as numbers
 * or decimal strings, enums by number or name, trace and span ids in hex, bytes in base64.
 * `deprecated_scope_logs` is read but, as in pdata's JSON path, not used.
 */

import { JsonIter, JsonIterError } from './json-iter'
import { readFloat, readInteger } from './json-number'
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
  return Number(readInteger(it, 32, false))
}

function uint64(it: JsonIter): bigint {
  return readInteger(it, 64, false)
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_VALUE = new Int16Array(256).fill(-1)
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i

/**
 * Go's `base64.StdEncoding.Decode` (newlines skipped, padding required): the bytes, or the
 * offset of the first bad input byte.
 */
function goBase64(src: Uint8Array): Uint8Array | number {
  const out: number[] = []
  let si = 0
  const nl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d
  while (si < src.length) {
    const q = [0, 0, 0, 0]
    let dlen = 4
    let trailing = -1
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out)
        return si - j
      }
      const c = src[si++]!
      const v = B64_VALUE[c]!
      if (v >= 0) {
        q[j] = v
        continue
      }
      if (nl(c)) {
        j--
        continue
      }
      if (c !== 0x3d || j < 2) return si - 1
      if (j === 2) {
        while (si < src.length && nl(src[si])) si++
        if (si === src.length) return src.length
        if (src[si] !== 0x3d) return si - 1
        si++
      }
      while (si < src.length && nl(src[si])) si++
      if (si < src.length) trailing = si
      dlen = j
      break
    }
    const val = (q[0]! << 18) | (q[1]! << 12) | (q[2]! << 6) | q[3]!
    if (dlen >= 2) out.push((val >> 16) & 0xff)
    if (dlen >= 3) out.push((val >> 8) & 0xff)
    if (dlen >= 4) out.push(val & 0xff)
    if (trailing >= 0) return trailing
    if (dlen < 4) break
  }
  return Uint8Array.from(out)
}

function readBytes(it: JsonIter): Uint8Array {
  const src = it.readStringAsSlice()
  if (src.length === 0) return new Uint8Array(0)
  const out = goBase64(src)
  if (typeof out === 'number') return it.fail('base64.Decode', `illegal base64 data at input byte ${out}`)
  return out
}

/** Go's `%#U` of a byte read as a rune: `U+0067 'g'`, the quoted form only when printable. */
function goRune(b: number): string {
  const code = `U+${b.toString(16).toUpperCase().padStart(4, '0')}`
  const printable = (b >= 0x20 && b < 0x7f) || (b >= 0xa1 && b !== 0xad)
  return printable ? `${code} '${String.fromCharCode(b)}'` : code
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10
  return -1
}

/** pdata's trace/span id from JSON: hex of exactly `size` bytes, or empty. */
function hexId(it: JsonIter, size: number): Uint8Array {
  const src = it.readStringAsSlice()
  if (src.length === 0) return new Uint8Array(0)
  if (src.length >> 1 !== size) it.fail('ID.UnmarshalJSONIter', 'length mismatch')
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) {
    const hi = hexValue(src[2 * i]!)
    if (hi < 0) it.fail('ID.UnmarshalJSONIter', `encoding/hex: invalid byte: ${goRune(src[2 * i]!)}`)
    const lo = hexValue(src[2 * i + 1]!)
    if (lo < 0) it.fail('ID.UnmarshalJSONIter', `encoding/hex: invalid byte: ${goRune(src[2 * i + 1]!)}`)
    out[i] = (hi << 4) | lo
  }
  if (src.length % 2 === 1 && hexValue(src[src.length - 1]!) < 0) {
    it.fail('ID.UnmarshalJSONIter', `encoding/hex: invalid byte: ${goRune(src[src.length - 1]!)}`)
  }
  if (src.length % 2 === 1) it.fail('ID.UnmarshalJSONIter', 'encoding/hex: odd length hex string')
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
        value = { kind: 'int', value: readInteger(it, 64, true) }
        break
      case 'doubleValue':
      case 'double_value':
        value = { kind: 'double', value: readFloat(it) }
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
        value = { kind: 'bytes', value: readBytes(it) }
        break
      case 'stringValueStrindex':
      case 'string_value_strindex':
        readInteger(it, 32, true)
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
    else if (f === 'keyStrindex' || f === 'key_strindex') readInteger(it, 32, true)
    else it.skip()
  }
  return kv
}

function readAttributes(it: JsonIter, into: KeyValue[]): void {
  while (it.readArray()) into.push(readKeyValue(it))
}

function readSeverity(it: JsonIter): number {
  const kind = it.whatIsNext()
  if (kind === 'n') return Number(readInteger(it, 32, true))
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
