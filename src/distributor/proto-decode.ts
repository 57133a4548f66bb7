/**
 * Decoder for the protobuf `logproto.PushRequest` (`pkg/push/push.proto`) on top of pbf's reader:
 * `PushRequest{streams=1}`, `StreamAdapter{labels=1, entries=2}`,
 * `EntryAdapter{timestamp=1 (google.protobuf.Timestamp{seconds=1, nanos=2}), line=2,
 * structuredMetadata=3}`, `LabelPairAdapter{name=1, value=2}`. pbf does no bounds checking, so
 * every length and position is checked here; malformed input fails with the texts of Loki's
 * gogo-protobuf unmarshalers (`unexpected EOF`, `proto: wrong wireType = 0 for field Streams`, ...).
 * Unknown fields are skipped. Strings are not UTF-8 validated (as in Loki); invalid bytes decode
 * to U+FFFD.
 */

import { PbfReader } from 'pbf'
import { PushError } from './errors'
import type { LabelPair, PushEntry, PushRequest, PushStream } from './types'

const VARINT = 0
const FIXED64 = 1
const BYTES = 2
const FIXED32 = 5

class ProtoError extends Error {}

const EOF = 'unexpected EOF'

function readVarint(r: PbfReader, end: number): number {
  if (r.pos >= end) throw new ProtoError(EOF)
  let v: number
  try {
    v = r.readVarint()
  } catch {
    throw new ProtoError(r.pos > end ? EOF : 'proto: integer overflow')
  }
  if (r.pos > end) throw new ProtoError(EOF)
  return v
}

function readLength(r: PbfReader, end: number): number {
  const len = readVarint(r, end)
  if (len < 0) throw new ProtoError('proto: negative length found during unmarshaling')
  if (r.pos + len > end) throw new ProtoError(EOF)
  return r.pos + len
}

function skipField(r: PbfReader, wire: number, end: number): void {
  switch (wire) {
    case VARINT:
      readVarint(r, end)
      return
    case FIXED64:
      if (r.pos + 8 > end) throw new ProtoError(EOF)
      r.pos += 8
      return
    case BYTES:
      r.pos = readLength(r, end)
      return
    case FIXED32:
      if (r.pos + 4 > end) throw new ProtoError(EOF)
      r.pos += 4
      return
    default:
      throw new ProtoError(`proto: illegal wireType ${wire}`)
  }
}

/** Reads a tag; returns [field, wire] after Loki's generic tag checks for message `msg`. */
function readTag(r: PbfReader, end: number, msg: string): [number, number] {
  const tag = readVarint(r, end)
  const field = Math.floor(tag / 8)
  const wire = tag & 7
  if (wire === 4) throw new ProtoError(`proto: ${msg}: wiretype end group for non-group`)
  if (field <= 0) throw new ProtoError(`proto: ${msg}: illegal tag ${field} (wire type ${wire})`)
  return [field, wire]
}

function wrongWire(wire: number, field: string): ProtoError {
  return new ProtoError(`proto: wrong wireType = ${wire} for field ${field}`)
}

function readString(r: PbfReader, end: number): string {
  const stop = readLength(r, end)
  if (stop === r.pos) return ''
  const start = r.pos
  r.pos = stop
  return decoder.decode(r.buf.subarray(start, stop))
}

const decoder = new TextDecoder()

function readTimestamp(r: PbfReader, end: number): bigint {
  let seconds = 0
  let nanos = 0
  while (r.pos < end) {
    const [field, wire] = readTag(r, end, 'Timestamp')
    if (field === 1) {
      if (wire !== VARINT) throw wrongWire(wire, 'Seconds')
      const start = r.pos
      readVarint(r, end)
      r.pos = start
      seconds = r.readVarint(true)
    } else if (field === 2) {
      if (wire !== VARINT) throw wrongWire(wire, 'Nanos')
      nanos = readVarint(r, end) | 0
    } else skipField(r, wire, end)
  }
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos)
}

function readLabelPair(r: PbfReader, end: number): LabelPair {
  let name = ''
  let value = ''
  while (r.pos < end) {
    const [field, wire] = readTag(r, end, 'LabelPairAdapter')
    if (field === 1) {
      if (wire !== BYTES) throw wrongWire(wire, 'Name')
      name = readString(r, end)
    } else if (field === 2) {
      if (wire !== BYTES) throw wrongWire(wire, 'Value')
      value = readString(r, end)
    } else skipField(r, wire, end)
  }
  return [name, value]
}

function readEntry(r: PbfReader, end: number): PushEntry {
  const entry: PushEntry = { ts: 0n, line: '' }
  while (r.pos < end) {
    const [field, wire] = readTag(r, end, 'EntryAdapter')
    if (field === 1) {
      if (wire !== BYTES) throw wrongWire(wire, 'Timestamp')
      const stop = readLength(r, end)
      entry.ts = readTimestamp(r, stop)
    } else if (field === 2) {
      if (wire !== BYTES) throw wrongWire(wire, 'Line')
      entry.line = readString(r, end)
    } else if (field === 3) {
      if (wire !== BYTES) throw wrongWire(wire, 'StructuredMetadata')
      const stop = readLength(r, end)
      const pair = readLabelPair(r, stop)
      if (entry.metadata) entry.metadata.push(pair)
      else entry.metadata = [pair]
    } else skipField(r, wire, end)
  }
  return entry
}

function readStream(r: PbfReader, end: number): PushStream {
  const stream: PushStream = { labels: '', entries: [] }
  while (r.pos < end) {
    const [field, wire] = readTag(r, end, 'StreamAdapter')
    if (field === 1) {
      if (wire !== BYTES) throw wrongWire(wire, 'Labels')
      stream.labels = readString(r, end)
    } else if (field === 2) {
      if (wire !== BYTES) throw wrongWire(wire, 'Entries')
      const stop = readLength(r, end)
      stream.entries.push(readEntry(r, stop))
    } else if (field === 3) {
      // `hash` (uint64), set by Loki internally; ignored on input.
      if (wire !== VARINT) throw wrongWire(wire, 'Hash')
      readVarint(r, end)
    } else skipField(r, wire, end)
  }
  return stream
}

/** Decodes an uncompressed protobuf PushRequest. Throws `PushError` 400 on malformed input. */
export function decodeProtoPushRequest(buf: Uint8Array): PushRequest {
  const r = new PbfReader(buf)
  const end = buf.length
  const streams: PushStream[] = []
  try {
    while (r.pos < end) {
      const [field, wire] = readTag(r, end, 'PushRequest')
      if (field === 1) {
        if (wire !== BYTES) throw wrongWire(wire, 'Streams')
        const stop = readLength(r, end)
        streams.push(readStream(r, stop))
      } else skipField(r, wire, end)
    }
  } catch (err) {
    if (err instanceof ProtoError) throw new PushError(400, err.message)
    throw err
  }
  return { streams }
}
