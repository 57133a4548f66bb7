/**
 * Protobuf decoder for `ExportLogsServiceRequest`, checking input as the Collector's pdata
 * unmarshalers (`pdata/internal/generated_proto_*.go`, `internal/proto/unmarshal.go`) do, with
 * their error texts: `unexpected EOF`, `proto: wrong wireType = 0 for field ResourceLogs`,
 * `proto: Link: illegal field=0 (tag=2, pos=1)`, `unmarshal: invalid TraceID length`, ...
 * Unknown fields (groups included) are skipped; a repeated singular message (`resource`, `scope`)
 * merges into the first, as in Go. `deprecated_scope_logs` (field 1000) is used when `scope_logs`
 * is empty, as pdata's `MigrateLogs` does. Integers are read exactly as 64-bit values (timestamps
 * need all 64 bits), which is why this does not sit on pbf's double-based reader.
 */

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

const VARINT = 0
const I64 = 1
const LEN = 2
const START_GROUP = 3
const END_GROUP = 4
const I32 = 5

/** A malformed protobuf body; the message is pdata's. */
export class OtlpProtoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OtlpProtoError'
  }
}

const EOF = 'unexpected EOF'
const decoder = new TextDecoder()
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** A window `[pos, end)` over the body; every read is bounds-checked against `end`. */
class Reader {
  readonly view: DataView
  pos = 0
  /** Start of the enclosing message (pdata reports tag positions relative to it). */
  start = 0
  end: number

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.end = buf.length
  }

  /** A varint as a bigint (up to 64 bits, as Go's `ConsumeVarint`). */
  varint64(): bigint {
    let num = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new OtlpProtoError('proto: integer overflow')
      if (this.pos >= this.end) throw new OtlpProtoError(EOF)
      const b = this.buf[this.pos++]!
      num |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return num & 0xffffffffffffffffn
    }
  }

  /** A varint known to be small in valid input (lengths, enums, counts): low 32 bits, fast path. */
  varint32(): number {
    const p = this.pos
    if (p + 5 <= this.end) {
      const b0 = this.buf[p]!
      if (b0 < 0x80) {
        this.pos = p + 1
        return b0
      }
      const b1 = this.buf[p + 1]!
      if (b1 < 0x80) {
        this.pos = p + 2
        return (b0 & 0x7f) | (b1 << 7)
      }
    }
    return Number(BigInt.asUintN(32, this.varint64()))
  }

  /** Go's `ConsumeLen`: returns the end of the length-delimited field. */
  len(): number {
    const n = this.varint64()
    if (n > 0x7fffffffffffffffn) throw new OtlpProtoError('proto: negative length found during unmarshaling')
    const stop = BigInt(this.pos) + n
    if (stop > BigInt(this.end)) throw new OtlpProtoError(EOF)
    return Number(stop)
  }

  /** Go's `ConsumeTag`: [field, wire]. */
  tag(): [number, number] {
    const t = this.varint64()
    const field = Number(BigInt.asIntN(32, t >> 3n))
    const wire = Number(t & 7n)
    if (field <= 0) throw new OtlpProtoError(`proto: Link: illegal field=${field} (tag=${t}, pos=${this.pos - this.start})`)
    return [field, wire]
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new OtlpProtoError(EOF)
    const v = this.view.getBigUint64(this.pos, true)
    this.pos += 8
    return v
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new OtlpProtoError(EOF)
    const v = this.view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }

  string(): string {
    const stop = this.len()
    if (stop === this.pos) return ''
    const s = decoder.decode(this.buf.subarray(this.pos, stop))
    this.pos = stop
    return s
  }

  /** A string value, noting whether its bytes were valid UTF-8 (Loki refuses such label values). */
  stringValue(): OtlpValue {
    const b = this.bytes()
    try {
      return { kind: 'string', value: strict.decode(b) }
    } catch {
      return { kind: 'string', value: decoder.decode(b), invalidUtf8: true }
    }
  }

  bytes(): Uint8Array {
    const stop = this.len()
    const b = this.buf.subarray(this.pos, stop)
    this.pos = stop
    return b
  }

  /** Go's `ConsumeUnknown`. */
  skip(wire: number): void {
    let depth = 0
    while (this.pos < this.end) {
      switch (wire) {
        case VARINT:
          this.varint64()
          return
        case I64:
          if (this.pos + 8 > this.end) throw new OtlpProtoError(EOF)
          this.pos += 8
          return
        case LEN:
          this.pos = this.len()
          return
        case START_GROUP:
          depth++
          break
        case END_GROUP:
          if (depth === 0) throw new OtlpProtoError('proto: unexpected end of group')
          depth--
          break
        case I32:
          if (this.pos + 4 > this.end) throw new OtlpProtoError(EOF)
          this.pos += 4
          return
        default:
          throw new OtlpProtoError(`proto: illegal wireType ${wire}`)
      }
      if (depth === 0) return
      wire = this.tag()[1]
    }
    throw new OtlpProtoError(EOF)
  }

  /** Runs `body` over the length-delimited submessage at the cursor. */
  message<T>(body: () => T): T {
    const stop = this.len()
    const { start, end } = this
    this.start = this.pos
    this.end = stop
    const out = body()
    this.start = start
    this.end = end
    this.pos = stop
    return out
  }
}

function expect(wire: number, want: number, field: string): void {
  if (wire !== want) throw new OtlpProtoError(`proto: wrong wireType = ${wire} for field ${field}`)
}

function readArray(r: Reader): OtlpValue[] {
  const values: OtlpValue[] = []
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    if (field === 1) {
      expect(wire, LEN, 'Values')
      values.push(r.message(() => readValue(r)))
    } else r.skip(wire)
  }
  return values
}

function readKvList(r: Reader): KeyValue[] {
  const values: KeyValue[] = []
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    if (field === 1) {
      expect(wire, LEN, 'Values')
      values.push(r.message(() => readKeyValue(r)))
    } else r.skip(wire)
  }
  return values
}

function readValue(r: Reader): OtlpValue {
  let value: OtlpValue = EMPTY_VALUE
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, LEN, 'StringValue')
        value = r.stringValue()
        break
      case 2:
        expect(wire, VARINT, 'BoolValue')
        value = { kind: 'bool', value: r.varint64() !== 0n }
        break
      case 3:
        expect(wire, VARINT, 'IntValue')
        value = { kind: 'int', value: BigInt.asIntN(64, r.varint64()) }
        break
      case 4: {
        expect(wire, I64, 'DoubleValue')
        if (r.pos + 8 > r.end) throw new OtlpProtoError(EOF)
        value = { kind: 'double', value: r.view.getFloat64(r.pos, true) }
        r.pos += 8
        break
      }
      case 5:
        expect(wire, LEN, 'ArrayValue')
        value = { kind: 'array', value: r.message(() => readArray(r)) }
        break
      case 6:
        expect(wire, LEN, 'KvlistValue')
        value = { kind: 'kvlist', value: r.message(() => readKvList(r)) }
        break
      case 7:
        expect(wire, LEN, 'BytesValue')
        value = { kind: 'bytes', value: r.bytes() }
        break
      case 8:
        // string_value_strindex: only meaningful in profiles; pdata treats it as no value.
        expect(wire, VARINT, 'StringValueStrindex')
        r.varint64()
        value = EMPTY_VALUE
        break
      default:
        r.skip(wire)
    }
  }
  return value
}

function readKeyValue(r: Reader): KeyValue {
  const kv: KeyValue = { key: '', value: EMPTY_VALUE }
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    if (field === 1) {
      expect(wire, LEN, 'Key')
      kv.key = r.string()
    } else if (field === 2) {
      expect(wire, LEN, 'Value')
      kv.value = r.message(() => readValue(r))
    } else if (field === 3) {
      expect(wire, VARINT, 'KeyStrindex')
      r.varint64()
    } else r.skip(wire)
  }
  return kv
}

function readId(r: Reader, size: number, name: string): Uint8Array {
  const b = r.bytes()
  if (b.length !== 0 && b.length !== size) throw new OtlpProtoError(`unmarshal: invalid ${name} length`)
  return b
}

function readLogRecord(r: Reader): LogRecord {
  const rec = newLogRecord()
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, I64, 'TimeUnixNano')
        rec.timeUnixNano = r.fixed64()
        break
      case 11:
        expect(wire, I64, 'ObservedTimeUnixNano')
        rec.observedTimeUnixNano = r.fixed64()
        break
      case 2:
        expect(wire, VARINT, 'SeverityNumber')
        rec.severityNumber = Number(BigInt.asIntN(32, r.varint64()))
        break
      case 3:
        expect(wire, LEN, 'SeverityText')
        rec.severityText = r.string()
        break
      case 5:
        expect(wire, LEN, 'Body')
        rec.body = r.message(() => readValue(r))
        break
      case 6:
        expect(wire, LEN, 'Attributes')
        rec.attributes.push(r.message(() => readKeyValue(r)))
        break
      case 7:
        expect(wire, VARINT, 'DroppedAttributesCount')
        rec.droppedAttributesCount = r.varint32()
        break
      case 8:
        expect(wire, I32, 'Flags')
        rec.flags = r.fixed32()
        break
      case 9:
        expect(wire, LEN, 'TraceId')
        rec.traceId = readId(r, 16, 'TraceID')
        break
      case 10:
        expect(wire, LEN, 'SpanId')
        rec.spanId = readId(r, 8, 'SpanID')
        break
      case 12:
        expect(wire, LEN, 'EventName')
        r.pos = r.len()
        break
      default:
        r.skip(wire)
    }
  }
  return rec
}

function readScope(r: Reader, scope: Scope): void {
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, LEN, 'Name')
        scope.name = r.string()
        break
      case 2:
        expect(wire, LEN, 'Version')
        scope.version = r.string()
        break
      case 3:
        expect(wire, LEN, 'Attributes')
        scope.attributes.push(r.message(() => readKeyValue(r)))
        break
      case 4:
        expect(wire, VARINT, 'DroppedAttributesCount')
        scope.droppedAttributesCount = r.varint32()
        break
      default:
        r.skip(wire)
    }
  }
}

function readScopeLogs(r: Reader): ScopeLogs {
  const sl: ScopeLogs = { scope: newScope(), logRecords: [] }
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, LEN, 'Scope')
        r.message(() => readScope(r, sl.scope))
        break
      case 2:
        expect(wire, LEN, 'LogRecords')
        sl.logRecords.push(r.message(() => readLogRecord(r)))
        break
      case 3:
        expect(wire, LEN, 'SchemaUrl')
        r.pos = r.len()
        break
      default:
        r.skip(wire)
    }
  }
  return sl
}

function readResource(r: Reader, attributes: KeyValue[]): void {
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, LEN, 'Attributes')
        attributes.push(r.message(() => readKeyValue(r)))
        break
      case 2:
        expect(wire, VARINT, 'DroppedAttributesCount')
        r.varint64()
        break
      case 3:
        expect(wire, LEN, 'EntityRefs')
        r.message(() => readEntityRef(r))
        break
      default:
        r.skip(wire)
    }
  }
}

/** `EntityRef{schema_url=1, type=2, id_keys=3, description_keys=4}`: checked, not kept. */
function readEntityRef(r: Reader): void {
  const names = ['SchemaUrl', 'Type', 'IdKeys', 'DescriptionKeys']
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    if (field >= 1 && field <= 4) {
      expect(wire, LEN, names[field - 1]!)
      r.pos = r.len()
    } else r.skip(wire)
  }
}

function readResourceLogs(r: Reader): ResourceLogs {
  const rl: ResourceLogs = { attributes: [], scopeLogs: [] }
  const deprecated: ScopeLogs[] = []
  while (r.pos < r.end) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        expect(wire, LEN, 'Resource')
        r.message(() => readResource(r, rl.attributes))
        break
      case 2:
        expect(wire, LEN, 'ScopeLogs')
        rl.scopeLogs.push(r.message(() => readScopeLogs(r)))
        break
      case 3:
        expect(wire, LEN, 'SchemaUrl')
        r.pos = r.len()
        break
      case 1000:
        expect(wire, LEN, 'DeprecatedScopeLogs')
        deprecated.push(r.message(() => readScopeLogs(r)))
        break
      default:
        r.skip(wire)
    }
  }
  if (rl.scopeLogs.length === 0) rl.scopeLogs = deprecated
  return rl
}

/** Decodes an uncompressed protobuf `ExportLogsServiceRequest`; throws `OtlpProtoError`. */
export function decodeOtlpProto(buf: Uint8Array): ExportLogsRequest {
  const r = new Reader(buf)
  const resourceLogs: ResourceLogs[] = []
  try {
    while (r.pos < r.end) {
      const [field, wire] = r.tag()
      if (field === 1) {
        expect(wire, LEN, 'ResourceLogs')
        resourceLogs.push(r.message(() => readResourceLogs(r)))
      } else r.skip(wire)
    }
  } catch (err) {
    // Values nested deeper than the stack allows (Go's growable stacks would decode them).
    if (err instanceof RangeError) throw new OtlpProtoError('proto: exceeded maximum nesting depth')
    throw err
  }
  return { resourceLogs }
}
