import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { PushError } from '../errors'
import { checkOtlpEncoding, decodeOtlpLogs, OtlpUnencodableError } from './decode'

const LIMITS = { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 20 }
const enc = new TextEncoder()

function headers(contentType: string | null, contentEncoding: string | null = null) {
  return { contentType, contentEncoding }
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string; unencodable: boolean }> {
  try {
    await p
  } catch (err) {
    if (err instanceof PushError) return { status: err.status, message: err.message, unencodable: err instanceof OtlpUnencodableError }
    throw err
  }
  throw new Error('expected a refusal')
}

describe('decodeOtlpLogs', () => {
  it('reads gzip bodies', async () => {
    const body = gzipSync(enc.encode('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}'))
    const logs = await decodeOtlpLogs(new Uint8Array(body), headers('application/json', 'gzip'), LIMITS)
    expect(logs.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body).toEqual({ kind: 'string', value: 'x' })
  })

  it('says plainly that zstd and lz4 are not read here', () => {
    expect(() => checkOtlpEncoding('zstd')).toThrow('unsupported content encoding zstd: only gzip is supported here')
    expect(() => checkOtlpEncoding('lz4')).toThrow('unsupported content encoding lz4: only gzip is supported here')
  })

  it('refuses JSON nested beyond any stack with a 400, not a crash', async () => {
    const deep = '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":' + '{"arrayValue":{"values":['.repeat(200_000)
    const r = await refusal(decodeOtlpLogs(enc.encode(deep), headers('application/json'), { maxBodyBytes: 1 << 26, maxDecompressedBytes: 1 << 26 }))
    expect(r.status).toBe(400)
  })

  it('refuses protobuf nested beyond any stack with a 400, not a crash', async () => {
    // AnyValue{array_value=5: ArrayValue{values=1: AnyValue{...}}} 50,000 deep, written back to front.
    const buf = new Uint8Array(1 << 20)
    let start = buf.length
    const prefix = (tag: number): void => {
      const len = buf.length - start
      const v = varint(len)
      start -= v.length
      buf.set(v, start)
      buf[--start] = tag
    }
    for (let i = 0; i < 50_000; i++) {
      prefix(0x0a)
      prefix(0x2a)
    }
    prefix(0x2a) // LogRecord.body
    prefix(0x12) // ScopeLogs.log_records
    prefix(0x12) // ResourceLogs.scope_logs
    prefix(0x0a) // ExportLogsServiceRequest.resource_logs
    const req = buf.subarray(start)
    const r = await refusal(decodeOtlpLogs(req, headers('application/x-protobuf'), { maxBodyBytes: 1 << 26, maxDecompressedBytes: 1 << 26 }))
    expect(r.status).toBe(400)
  })

  it('marks json-iterator texts holding bytes that are not UTF-8', async () => {
    const r = await refusal(decodeOtlpLogs(enc.encode('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":-1}]}]}]}'), headers('application/json'), LIMITS))
    expect(r).toMatchObject({ status: 400, unencodable: true })
  })
})

function varint(n: number): number[] {
  const out: number[] = []
  for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 0x80)
  out.push(n)
  return out
}
