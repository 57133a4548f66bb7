/**
 * Push request bodies. A batch collects entries per stream until its Loki JSON body would pass
 * the byte limit; the same batch can then be written as Loki JSON (`{"streams":[...]}`) or as a
 * snappy block-compressed `logproto.PushRequest`, so both encodings cut the corpus identically.
 * The protobuf decoder exists to check the encoder, not to be fast.
 */
import { PbfReader, PbfWriter } from 'pbf';
import { createRequire } from 'node:module';

/** @type {{ compress(b: Uint8Array): Uint8Array, uncompress(b: Uint8Array): Uint8Array }} */
const snappy = createRequire(import.meta.url)('snappyjs');

/**
 * @typedef {import('./corpus.mjs').Entry} Entry
 * @typedef {{ labels: string, labelsJson: string, entries: Entry[], values: string[] }} BatchStream
 * @typedef {{ streams: BatchStream[], lines: number, rawBytes: number }} Batch
 * @typedef {{ labels: string, entries: Array<{ sec: number, nanos: number, line: string,
 *   meta: Array<[string, string]> }> }} DecodedStream
 */

/** @param {string} s @returns {number} UTF-8 byte length */
export function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : c < 0x800 ? 1 : 0;
  }
  return n;
}

/** @param {number} sec @param {number} nanos @returns {string} Unix nanoseconds as a decimal string */
export function nsString(sec, nanos) {
  return `${sec}${String(nanos).padStart(9, '0')}`;
}

/** @param {Entry} e @returns {string} one JSON `values` element */
function jsonValue(e) {
  const meta = e.meta ? `,${JSON.stringify(Object.fromEntries(e.meta))}` : '';
  return `["${nsString(e.sec, e.nanos)}",${JSON.stringify(e.line)}${meta}]`;
}

/**
 * Collects entries into batches whose JSON body stays within `maxBytes`.
 * @param {number} maxBytes
 * @param {string[]} streamLabels Prometheus text labels of each stream, by stream index
 * @param {Array<Record<string, string>>} streamLabelObjects the same labels as objects
 */
export function createBatcher(maxBytes, streamLabels, streamLabelObjects) {
  const headers = streamLabelObjects.map((l) => `{"stream":${JSON.stringify(l)},"values":[`);
  /** @type {Map<number, BatchStream>} */
  let open = new Map();
  let size = '{"streams":[]}'.length;
  let lines = 0;
  let rawBytes = 0;
  return {
    /**
     * Adds an entry; returns the finished batch when this entry did not fit in the open one.
     * @param {Entry} e @returns {Batch | null}
     */
    add(e) {
      const json = jsonValue(e);
      const value = json.length;
      let cost = value + 1;
      if (!open.has(e.stream)) cost += headers[e.stream].length + 3;
      /** @type {Batch | null} */
      let done = null;
      if (lines > 0 && size + cost > maxBytes) {
        done = this.flush();
        cost = value + 1 + headers[e.stream].length + 3;
      }
      let s = open.get(e.stream);
      if (!s) {
        s = { labels: streamLabels[e.stream], labelsJson: headers[e.stream], entries: [], values: [] };
        open.set(e.stream, s);
      }
      s.entries.push(e);
      s.values.push(json);
      size += cost;
      lines++;
      rawBytes += utf8Length(e.line);
      return done;
    },
    /** @returns {Batch | null} the open batch, if it has entries */
    flush() {
      if (lines === 0) return null;
      const batch = { streams: [...open.values()], lines, rawBytes };
      open = new Map();
      size = '{"streams":[]}'.length;
      lines = 0;
      rawBytes = 0;
      return batch;
    },
  };
}

/** @param {Batch} batch @returns {string} Loki JSON push body */
export function encodeJson(batch) {
  const parts = batch.streams.map((s) => `${s.labelsJson}${s.values.join(',')}]}`);
  return `{"streams":[${parts.join(',')}]}`;
}

/** @param {{ sec: number, nanos: number }} e @param {PbfWriter} pbf */
function writeTimestamp(e, pbf) {
  if (e.sec) pbf.writeVarintField(1, e.sec);
  if (e.nanos) pbf.writeVarintField(2, e.nanos);
}
/** @param {[string, string]} pair @param {PbfWriter} pbf */
function writePair(pair, pbf) {
  pbf.writeStringField(1, pair[0]);
  pbf.writeStringField(2, pair[1]);
}
/** @param {Entry} e @param {PbfWriter} pbf */
function writeEntry(e, pbf) {
  pbf.writeMessage(1, writeTimestamp, e);
  pbf.writeStringField(2, e.line);
  if (e.meta) for (const pair of e.meta) pbf.writeMessage(3, writePair, pair);
}
/** @param {BatchStream} s @param {PbfWriter} pbf */
function writeStream(s, pbf) {
  pbf.writeStringField(1, s.labels);
  for (const e of s.entries) pbf.writeMessage(2, writeEntry, e);
}

/** @param {Batch} batch @returns {Uint8Array} uncompressed logproto.PushRequest */
export function encodeProtoRaw(batch) {
  const pbf = new PbfWriter();
  for (const s of batch.streams) pbf.writeMessage(1, writeStream, s);
  return pbf.finish();
}

/** @param {Batch} batch @returns {Uint8Array} snappy block-compressed logproto.PushRequest */
export function encodeProto(batch) {
  return snappy.compress(encodeProtoRaw(batch));
}

/** @param {[string, string]} pair @param {PbfWriter} pbf */
function writeAttribute(pair, pbf) {
  pbf.writeStringField(1, pair[0]);
  pbf.writeMessage(2, (/** @type {string} */ v, /** @type {PbfWriter} */ p) => p.writeStringField(1, v), pair[1]);
}
/** @param {Entry} e @param {PbfWriter} pbf */
function writeLogRecord(e, pbf) {
  pbf.writeTag(1, 1);
  // fixed64 nanoseconds, written as two 32-bit halves (pbf's fixed64 goes through a double).
  const ns = BigInt(e.sec) * 1_000_000_000n + BigInt(e.nanos);
  pbf.writeFixed32(Number(ns & 0xffffffffn));
  pbf.writeFixed32(Number(ns >> 32n));
  pbf.writeMessage(5, (/** @type {string} */ line, /** @type {PbfWriter} */ p) => p.writeStringField(1, line), e.line);
  if (e.meta) for (const pair of e.meta) pbf.writeMessage(6, writeAttribute, pair);
}
/** @param {BatchStream} s @param {PbfWriter} pbf */
function writeResourceLogs(s, pbf) {
  const labels = [...s.labels.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1] === 'service_name' ? 'service.name' : m[1], JSON.parse(`"${m[2]}"`)]);
  pbf.writeMessage(1, (/** @type {string[][]} */ attrs, /** @type {PbfWriter} */ p) => {
    for (const a of attrs) p.writeMessage(1, writeAttribute, a);
  }, labels);
  pbf.writeMessage(2, (/** @type {Entry[]} */ entries, /** @type {PbfWriter} */ p) => {
    for (const e of entries) p.writeMessage(2, writeLogRecord, e);
  }, s.entries);
}

/**
 * The batch as an OTLP `ExportLogsServiceRequest` (protobuf, uncompressed): one resource per
 * stream whose attributes are the stream's labels (`service_name` as `service.name`), one log
 * record per entry with its structured metadata as attributes. For the labels to stay index
 * labels the server must index every resource attribute (see bench/README.md).
 * @param {Batch} batch @returns {Uint8Array}
 */
export function encodeOtlp(batch) {
  const pbf = new PbfWriter();
  for (const s of batch.streams) pbf.writeMessage(1, writeResourceLogs, s);
  return pbf.finish();
}

/**
 * @param {Uint8Array} body snappy-compressed PushRequest
 * @returns {DecodedStream[]}
 */
export function decodeProto(body) {
  const raw = snappy.uncompress(body);
  return new PbfReader(raw).readFields((tag, streams, pbf) => {
    if (tag === 1) streams.push(pbf.readMessage(readStream, { labels: '', entries: [] }));
  }, /** @type {DecodedStream[]} */ ([]));
}
/** @param {number} tag @param {DecodedStream} s @param {PbfReader} pbf */
function readStream(tag, s, pbf) {
  if (tag === 1) s.labels = pbf.readString();
  else if (tag === 2) s.entries.push(pbf.readMessage(readEntry, { sec: 0, nanos: 0, line: '', meta: [] }));
}
/** @param {number} tag @param {DecodedStream['entries'][number]} e @param {PbfReader} pbf */
function readEntry(tag, e, pbf) {
  if (tag === 1) {
    pbf.readMessage((t, ts, p) => {
      if (t === 1) ts.sec = p.readVarint();
      else if (t === 2) ts.nanos = p.readVarint();
    }, e);
  } else if (tag === 2) e.line = pbf.readString();
  else if (tag === 3) {
    e.meta.push(pbf.readMessage((t, pair, p) => {
      if (t === 1) pair[0] = p.readString();
      else if (t === 2) pair[1] = p.readString();
    }, /** @type {[string, string]} */ (['', ''])));
  }
}
