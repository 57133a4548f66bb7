/**
 * Any OTLP body — generated payloads in protobuf or JSON, with gzip or not, and the same bytes
 * corrupted — is either stored (204) or refused with a 4xx and a `google.rpc.Status` body; never
 * a 5xx, never a hang.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeLogsRequest } from '../fixtures/otlp/encode.mjs'
import { call } from '../helpers'

const VARS = { reject_old_samples: 'false', auth_enabled: 'true' }
const TENANT = { 'X-Scope-OrgID': 'otlp-property' }

const key = fc.oneof(fc.constantFrom('service.name', 'k8s.pod.name', 'host.name', '', '..', '_x', '1a', 'a.b'), fc.string({ maxLength: 12 }))

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.record({ stringValue: fc.string({ maxLength: 40 }) }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ intValue: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String) }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ bytesValue: fc.uint8Array({ maxLength: 8 }).map((b) => btoa(String.fromCharCode(...b))) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('any'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(tie('kv'), { maxLength: 3 }) }) }),
    fc.constant({}),
  ),
  kv: fc.record({ key, value: tie('any') }),
}))

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(''))
const ts = fc.oneof(fc.constant(undefined), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }).map(String), fc.constant('1700000000000000000'))

const record = fc.record(
  {
    timeUnixNano: ts,
    observedTimeUnixNano: ts,
    severityNumber: fc.integer({ min: 0, max: 30 }),
    severityText: fc.string({ maxLength: 8 }),
    body: value.any,
    attributes: fc.array(value.kv, { maxLength: 4 }),
    droppedAttributesCount: fc.nat(),
    flags: fc.nat({ max: 0xffffffff }),
    traceId: hex(16),
    spanId: hex(8),
  },
  { requiredKeys: [] },
)

const logs = fc.record({
  resourceLogs: fc.array(
    fc.record({
      resource: fc.record({ attributes: fc.array(value.kv, { maxLength: 5 }) }),
      scopeLogs: fc.array(
        fc.record({
          scope: fc.record({ name: fc.string({ maxLength: 8 }), version: fc.string({ maxLength: 4 }), attributes: fc.array(value.kv, { maxLength: 2 }) }, { requiredKeys: [] }),
          logRecords: fc.array(record, { maxLength: 4 }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 3 },
  ),
})

function jsonSafe(v: unknown): string {
  // OTLP/JSON writes non-finite doubles as strings.
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))
}

async function gzip(b: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([b]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

const body = fc.record({
  logs,
  json: fc.boolean(),
  gzip: fc.boolean(),
  // [position fraction, byte] pairs written over the encoded body.
  corrupt: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
  truncate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
})

describe('OTLP push: stored or 4xx, never 5xx', () => {
  it('holds for generated and corrupted bodies', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        let bytes = b.json ? new TextEncoder().encode(jsonSafe(b.logs)) : encodeLogsRequest(b.logs)
        for (const [at, byte] of b.corrupt) if (bytes.length > 0) bytes[Math.floor(at * (bytes.length - 1))] = byte
        if (b.truncate !== undefined) bytes = bytes.subarray(0, Math.floor(b.truncate * bytes.length))
        const headers: Record<string, string> = { ...TENANT, 'Content-Type': b.json ? 'application/json' : 'application/x-protobuf' }
        if (b.gzip) {
          bytes = await gzip(bytes)
          headers['Content-Encoding'] = 'gzip'
        }
        const res = await call('/otlp/v1/logs', { method: 'POST', headers, body: bytes, vars: VARS })
        const answer = new Uint8Array(await res.arrayBuffer())
        if (res.status === 204) return
        expect(res.status, new TextDecoder().decode(answer)).toBeGreaterThanOrEqual(400)
        expect(res.status, new TextDecoder().decode(answer)).toBeLessThan(500)
        expect(res.headers.get('Content-Type')).toBe('application/octet-stream')
        // google.rpc.Status: the message (field 2), after code 13 when Loki could not marshal the text.
        expect([0x12, 0x08]).toContain(answer[0])
      }),
      { numRuns: 60, seed: 1717 },
    )
  })
})
