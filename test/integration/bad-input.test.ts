/**
 * Malformed pushes through the real route: each gets a 4xx with Loki's text, never a 500, and
 * data acknowledged before them stays readable.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { call, json, nowNs, pushJson } from '../helpers'

const JSON_TYPE = { 'Content-Type': 'application/json' }

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

async function readBack(app: string): Promise<string[]> {
  const q = new URLSearchParams({ query: `{app="${app}"}`, since: '1h', limit: '100' })
  const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(await call(`/loki/api/v1/query_range?${q}`))
  return body.data.result.flatMap((s) => s.values.map((v) => v[1]))
}

describe('bad push bodies', () => {
  beforeAll(async () => {
    expect((await pushJson([{ stream: { app: 'survivor' }, values: [[nowNs(-1000), 'acknowledged before the bad input']] }])).status).toBe(204)
  })

  const manyLabels = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`l${i}`, 'v']))
  const cases: Array<[string, () => Promise<Response>, number]> = [
    ['malformed JSON', () => call('/loki/api/v1/push', { headers: JSON_TYPE, body: '{"streams": [{"stream": ' }), 400],
    ['a numeric timestamp', () => call('/loki/api/v1/push', { headers: JSON_TYPE, body: '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}' }), 400],
    ['an empty body', () => call('/loki/api/v1/push', { headers: JSON_TYPE, body: '' }), 400],
    ['an empty protobuf body', () => call('/loki/api/v1/push', { headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array(0) }), 400],
    ['garbage protobuf', () => call('/loki/api/v1/push', { headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]) }), 400],
    ['truncated snappy', () => call('/loki/api/v1/push', { headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10, 0x00]) }), 400],
    ['1,000 labels', () => pushJson([{ stream: manyLabels, values: [[nowNs(-10), 'x']] }]), 400],
    ['an invalid label name', () => pushJson([{ stream: { '0bad': 'x' }, values: [[nowNs(-10), 'x']] }]), 400],
    ['a 10 MB line', () => pushJson([{ stream: { app: 'huge' }, values: [[nowNs(-10), 'x'.repeat(10 * 1024 * 1024)]] }]), 400],
    ['a timestamp too far in the future', () => pushJson([{ stream: { app: 'future' }, values: [[nowNs(3_600_000), 'x']] }]), 400],
  ]

  it.each(cases)('rejects %s with a 4xx', async (_name, send, status) => {
    const res = await send()
    expect(res.status).toBe(status)
    expect((await res.text()).length).toBeGreaterThan(0)
    expect(await readBack('survivor')).toEqual(['acknowledged before the bad input'])
  })

  it('stops a gzip decompression bomb with 413', async () => {
    const bomb = await gzip(new Uint8Array(80 * 1024 * 1024))
    const res = await call('/loki/api/v1/push', { headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: bomb })
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('request body too large')
  })

  it('accepts invalid UTF-8 in a line, replacing it as Loki does', async () => {
    const enc = new TextEncoder()
    const head = enc.encode(`{"streams":[{"stream":{"app":"utf8"},"values":[["${nowNs(-10)}","ok `)
    const tail = enc.encode('"]]}]}')
    const bad = new Uint8Array([...head, 0xff, ...tail])
    const res = await call('/loki/api/v1/push', { headers: JSON_TYPE, body: bad })
    expect(res.status).toBe(204)
    const lines = await readBack('utf8')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('\uFFFD')
  })

  it('accepts gzip- and deflate-compressed JSON', async () => {
    const payload = new TextEncoder().encode(JSON.stringify({ streams: [{ stream: { app: 'zipped' }, values: [[nowNs(-10), 'compressed line']] }] }))
    const res = await call('/loki/api/v1/push', { headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: await gzip(payload) })
    expect(res.status).toBe(204)
    const deflated = new Uint8Array(await new Response(new Blob([payload]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer())
    const res2 = await call('/loki/api/v1/push', { headers: { ...JSON_TYPE, 'Content-Encoding': 'deflate' }, body: deflated })
    expect(res2.status).toBe(204)
    expect(await readBack('zipped')).toEqual(['compressed line'])
  })
})
