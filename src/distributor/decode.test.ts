import { describe, expect, it } from 'vitest'
import { decodePushBody } from './decode'
import { PushError } from './errors'
import type { PushBodyLimits } from './limits'
import { compressWith, encodeProto, snappyProto, utf8 } from '../../test/support/push-bodies'
import type { PushRequest } from './types'

const LIMITS: PushBodyLimits = { maxBodyBytes: 1 << 20, maxDecompressedBytes: 4 << 20 }
const JSON_CT = { contentType: 'application/json', contentEncoding: null }
const PROTO_CT = { contentType: 'application/x-protobuf', contentEncoding: null }

async function failure(body: Uint8Array, headers: { contentType: string | null; contentEncoding: string | null }, limits = LIMITS, legacy = false) {
  try {
    await decodePushBody(body, headers, limits, { legacy })
  } catch (err) {
    if (err instanceof PushError) return { status: err.status, message: err.message }
    throw err
  }
  throw new Error('expected a PushError')
}

const SAMPLE: PushRequest = {
  streams: [
    {
      labels: '{app="api", env="prod"}',
      entries: [
        { ts: 1793491204890379802n, line: 'level=info msg="hello"' },
        { ts: 1793491204890379803n, line: 'ünïcödé ✓', metadata: [['trace_id', 'abc']] },
      ],
    },
  ],
}

describe('decodePushBody error paths', () => {
  const bigLine = 'x'.repeat(5000)
  const cases: Array<{ name: string; body: () => Promise<Uint8Array> | Uint8Array; headers: { contentType: string | null; contentEncoding: string | null }; status: number; message: string | RegExp; limits?: PushBodyLimits; legacy?: boolean }> = [
    { name: 'unsupported Content-Encoding br', body: () => utf8('{}'), headers: { contentType: 'application/json', contentEncoding: 'br' }, status: 400, message: 'Content-Encoding "br" not supported' },
    { name: 'empty JSON body', body: () => new Uint8Array(), headers: JSON_CT, status: 400, message: 'EOF' },
    { name: 'empty protobuf body', body: () => new Uint8Array(), headers: PROTO_CT, status: 400, message: 'snappy: corrupt input' },
    { name: 'missing Content-Type', body: () => snappyProto(SAMPLE), headers: { contentType: null, contentEncoding: null }, status: 400, message: 'mime: no media type' },
    { name: 'numeric timestamp', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[[1700000000000000000,"x"]]}]}'), headers: JSON_CT, status: 400, message: /^loghttp\.PushRequest\.Streams: \[\]loghttp\.LogProtoStream: unmarshalerDecoder: Value is string, but can't find closing '"' symbol, error found in #10 byte of \.\.\.\|/ },
    { name: 'non-numeric timestamp string', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["abc","x"]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value looks like Number\/Boolean\/None, but can't find its end: ',' or '}' symbol, / },
    { name: 'timestamp with a plus sign', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["+5","x"]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value looks like Number\/Boolean\/None/ },
    { name: 'timestamp beyond int64', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["99999999999999999999","x"]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value is number, but overflowed while parsing, / },
    { name: 'numeric line', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["1",2]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value is string, but can't find closing '"' symbol/ },
    { name: 'null structured metadata', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["1","x",null]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value looks like object, but can't find closing '}' symbol/ },
    { name: 'numeric structured metadata value', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["1","x",{"k":1}]]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value is string, but can't find closing '"' symbol/ },
    { name: 'values that is not an array', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":5}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value is array, but can't find closing '\]' symbol/ },
    { name: 'stream that is not an object', body: () => utf8('{"streams":[5]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value looks like object, but can't find closing '}' symbol/ },
    { name: 'streams that is not an array', body: () => utf8('{"streams":5}'), headers: JSON_CT, status: 400, message: /^loghttp\.PushRequest\.Streams: \[\]loghttp\.LogProtoStream: decode slice: expect \[ or n, but found 5, / },
    { name: 'truncated JSON', body: () => utf8('{"streams":[{"stream":{"a":"b"},"values":[["1","x"]'), headers: JSON_CT, status: 400, message: /^loghttp\.PushRequest\./ },
    { name: 'syntax error inside a stream', body: () => utf8('{"streams":[{"stream":{"a":"b"} "values":[]}]}'), headers: JSON_CT, status: 400, message: /unmarshalerDecoder: Value looks like object, but can't find closing '}' symbol/ },
    { name: 'JSON array at top level', body: () => utf8('[1,2]'), headers: JSON_CT, status: 400, message: 'readObjectStart: expect { or n, but found [, error found in #1 byte of ...|[1,2]|..., bigger context ...|[1,2]|...' },
    { name: 'garbage protobuf: stream length past the end', body: async () => { const { compress } = await import('snappyjs'); return compress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])) }, headers: PROTO_CT, status: 400, message: 'unexpected EOF' },
    { name: 'garbage protobuf: field number 0', body: async () => { const { compress } = await import('snappyjs'); return compress(new Uint8Array([0x02, 0x00])) }, headers: PROTO_CT, status: 400, message: 'proto: PushRequest: illegal tag 0 (wire type 2)' },
    { name: 'garbage protobuf: end-group wire type', body: async () => { const { compress } = await import('snappyjs'); return compress(new Uint8Array([0x0c])) }, headers: PROTO_CT, status: 400, message: 'proto: PushRequest: wiretype end group for non-group' },
    { name: 'truncated protobuf', body: async () => { const { compress } = await import('snappyjs'); const raw = encodeProto(SAMPLE); return compress(raw.subarray(0, raw.length - 5)) }, headers: PROTO_CT, status: 400, message: 'unexpected EOF' },
    { name: 'protobuf field 1 with wire type 0', body: async () => { const { compress } = await import('snappyjs'); return compress(new Uint8Array([0x08, 0x01])) }, headers: PROTO_CT, status: 400, message: 'proto: wrong wireType = 0 for field Streams' },
    { name: 'bad snappy: copy before any literal', body: () => new Uint8Array([10, 0x01, 0x05]), headers: PROTO_CT, status: 400, message: 'snappy: corrupt input' },
    { name: 'bad snappy: declared length longer than data', body: () => new Uint8Array([20, 0x08, 1, 2, 3]), headers: PROTO_CT, status: 400, message: 'snappy: corrupt input' },
    { name: 'snappy declaring 3 GB', body: () => new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x0b, 0]), headers: PROTO_CT, status: 413, message: `request body too large: 2952790016 bytes, limit: ${4 << 20} bytes` },
    { name: 'body over the compressed limit', body: () => new Uint8Array(2 << 20), headers: PROTO_CT, status: 413, message: `request body too large: ${2 << 20} bytes, limit: ${1 << 20} bytes` },
    { name: 'gzip bomb (64 MiB of zeros)', body: () => compressWith('gzip', new Uint8Array(64 << 20)), headers: { contentType: 'application/json', contentEncoding: 'gzip' }, status: 413, message: /^request body too large: \d+ bytes, limit: 4194304 bytes$/ },
    { name: 'deflate bomb (64 MiB of zeros)', body: () => compressWith('deflate-raw', new Uint8Array(64 << 20)), headers: { contentType: 'application/json', contentEncoding: 'deflate' }, status: 413, message: /^request body too large: \d+ bytes, limit: 4194304 bytes$/ },
    { name: 'unsupported encoding is reported before a missing Content-Type', body: () => utf8('{}'), headers: { contentType: null, contentEncoding: 'zstd' }, status: 400, message: 'Content-Encoding "zstd" not supported' },
    { name: 'gzip header missing', body: () => utf8('{"streams":[]}'), headers: { contentType: 'application/json', contentEncoding: 'gzip' }, status: 400, message: 'gzip: invalid header' },
    { name: 'truncated gzip', body: async () => (await compressWith('gzip', utf8(bigLine))).subarray(0, 30), headers: { contentType: 'application/json', contentEncoding: 'gzip' }, status: 400, message: /unexpected EOF|flate: corrupt input|gzip: invalid checksum/ },
    { name: 'legacy numeric timestamp', body: () => utf8('{"streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":1,"line":"x"}]}]}'), headers: JSON_CT, status: 400, message: 'Time.UnmarshalJSON: input is not a JSON string', legacy: true },
    { name: 'legacy JSON nested as deep as Go allows', body: () => utf8('['.repeat(10_000) + ']'.repeat(10_000)), headers: JSON_CT, status: 400, message: 'json: cannot unmarshal array into Go value of type push.PushRequest', legacy: true },
    { name: 'legacy JSON nested deeper than Go allows', body: () => utf8('['.repeat(100_000)), headers: JSON_CT, status: 400, message: "invalid character '[' exceeded max depth", legacy: true },
    { name: 'legacy syntax error', body: () => utf8('{"streams":[}'), headers: JSON_CT, status: 400, message: "invalid character '}' looking for beginning of value", legacy: true },
    { name: 'legacy truncated body', body: () => utf8('{"streams":[{"labels":"{a=\\"b\\"}"'), headers: JSON_CT, status: 400, message: 'unexpected EOF', legacy: true },
    { name: 'legacy labels as a number', body: () => utf8('{"streams":[{"labels":5}]}'), headers: JSON_CT, status: 400, message: 'json: cannot unmarshal number into Go struct field PushRequest.streams.labels of type string', legacy: true },
    { name: 'legacy empty body', body: () => new Uint8Array(), headers: JSON_CT, status: 400, message: 'EOF', legacy: true },
    { name: 'legacy timestamp that is not RFC3339', body: () => utf8('{"streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":"yesterday","line":"x"}]}]}'), headers: JSON_CT, status: 400, message: /^parsing time "yesterday"/, legacy: true },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const got = await failure(await c.body(), c.headers, c.limits ?? LIMITS, c.legacy ?? false)
      expect(got.status).toBe(c.status)
      if (typeof c.message === 'string') expect(got.message).toBe(c.message)
      else expect(got.message).toMatch(c.message)
    })
  }

  it('numeric timestamp error quotes the body around the failure', async () => {
    const body = '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}'
    const got = await failure(utf8(body), JSON_CT)
    expect(got.message).toBe(
      `loghttp.PushRequest.Streams: []loghttp.LogProtoStream: unmarshalerDecoder: Value is string, but can't find closing '"' symbol, error found in #10 byte of ...|[[1,"x"]]}]}|..., bigger context ...|${body.slice(1)}|...`,
    )
  })
})

describe('decodePushBody good paths', () => {
  const json = JSON.stringify({
    streams: [
      { stream: { env: 'prod', app: 'api' }, values: [['1793491204890379802', 'level=info msg="hello"'], ['1793491204890379803', 'ünïcödé ✓', { trace_id: 'abc' }]] },
    ],
  })
  const expected: PushRequest = SAMPLE
  const cases: Array<{ name: string; body: () => Promise<Uint8Array> | Uint8Array; headers: { contentType: string | null; contentEncoding: string | null } }> = [
    { name: 'plain JSON', body: () => utf8(json), headers: JSON_CT },
    { name: 'JSON with charset parameter', body: () => utf8(json), headers: { contentType: 'application/json; charset=utf-8', contentEncoding: null } },
    { name: 'gzip JSON', body: () => compressWith('gzip', utf8(json)), headers: { contentType: 'application/json', contentEncoding: 'gzip' } },
    { name: 'raw deflate JSON', body: () => compressWith('deflate-raw', utf8(json)), headers: { contentType: 'application/json', contentEncoding: 'deflate' } },
    { name: 'zlib deflate JSON', body: () => compressWith('deflate', utf8(json)), headers: { contentType: 'application/json', contentEncoding: 'deflate' } },
    { name: 'snappy protobuf', body: () => snappyProto(SAMPLE), headers: PROTO_CT },
    { name: 'snappy protobuf with Content-Encoding snappy', body: () => snappyProto(SAMPLE), headers: { contentType: 'application/x-protobuf', contentEncoding: 'snappy' } },
    { name: 'gzip over snappy protobuf', body: () => compressWith('gzip', snappyProto(SAMPLE)), headers: { contentType: 'application/x-protobuf', contentEncoding: 'gzip' } },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const got = await decodePushBody(await c.body(), c.headers, LIMITS)
      expect(got).toEqual(expected)
    })
  }

  it('legacy v0 JSON', async () => {
    const body = JSON.stringify({ streams: [{ labels: '{app="api"}', entries: [{ ts: '2026-11-01T00:00:04.890379802Z', line: 'a' }, { ts: '2026-11-01T01:00:00+01:00', line: 'b' }] }] })
    const got = await decodePushBody(utf8(body), JSON_CT, LIMITS, { legacy: true })
    expect(got).toEqual({ streams: [{ labels: '{app="api"}', entries: [{ ts: 1793491204890379802n, line: 'a' }, { ts: 1793491200000000000n, line: 'b' }] }] })
  })

  it('legacy v0 JSON with structured metadata and trailing data after the first value', async () => {
    const body = '{"Streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":"2026-11-01T00:00:00Z","line":"x","structuredMetadata":[{"name":"k","value":"v"}]}]}]} trailing'
    const got = await decodePushBody(utf8(body), JSON_CT, LIMITS, { legacy: true })
    expect(got).toEqual({ streams: [{ labels: '{a="b"}', entries: [{ ts: 1793491200000000000n, line: 'x', metadata: [['k', 'v']] }] }] })
  })

  it('invalid UTF-8 in a JSON line decodes to U+FFFD', async () => {
    const body = utf8('{"streams":[{"stream":{"a":"b"},"values":[["1","xQy"]]}]}')
    body[body.indexOf(0x51)] = 0xff // the Q
    const got = await decodePushBody(body, JSON_CT, LIMITS)
    expect(got.streams[0]!.entries[0]!.line).toBe('x\ufffdy')
  })

  it('v1 label values that are not strings are taken as text, extra entry elements ignored, metadata kept raw', async () => {
    const body = '{"streams":[{"stream":{"n":1.5,"b":true,"z":null},"values":[["7","x",{"k":"a\\"b"},"ignored"]]}]}'
    const got = await decodePushBody(utf8(body), JSON_CT, LIMITS)
    expect(got).toEqual({ streams: [{ labels: '{b="true", n="1.5", z="null"}', entries: [{ ts: 7n, line: 'x', metadata: [['k', 'a\\"b']] }] }] })
  })

  it('v1 entry with only a timestamp has an empty line', async () => {
    const got = await decodePushBody(utf8('{"streams":[{"stream":{"a":"b"},"values":[["7"]]}]}'), JSON_CT, LIMITS)
    expect(got).toEqual({ streams: [{ labels: '{a="b"}', entries: [{ ts: 7n, line: '' }] }] })
  })

  it('invalid UTF-8 in a protobuf line decodes to U+FFFD', async () => {
    const req: PushRequest = { streams: [{ labels: '{a="b"}', entries: [{ ts: 1n, line: 'ok' }] }] }
    const raw = encodeProto(req)
    const i = raw.lastIndexOf(0x6f) // 'o' of "ok"
    raw[i] = 0xff
    const { compress } = await import('snappyjs')
    const got = await decodePushBody(compress(raw), PROTO_CT, LIMITS)
    expect(got.streams[0]!.entries[0]!.line).toBe('\ufffdk')
  })

  it('a 10 MB line within the limits decodes', async () => {
    const line = 'y'.repeat(10_000_000)
    const body = snappyProto({ streams: [{ labels: '{a="b"}', entries: [{ ts: 5n, line }] }] })
    const got = await decodePushBody(body, PROTO_CT, { maxBodyBytes: 32 << 20, maxDecompressedBytes: 32 << 20 })
    expect(got.streams[0]!.entries[0]!.line.length).toBe(10_000_000)
  })
})
