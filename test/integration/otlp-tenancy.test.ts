/**
 * OTLP pushes are counted in /metrics and scoped by tenant exactly as `/loki/api/v1/push`.
 */
import { describe, expect, it } from 'vitest'
import { encodeLogsRequest } from '../fixtures/otlp/encode.mjs'
import methods from '../fixtures/otlp/methods.json'
import counted from '../fixtures/otlp/metrics.json'
import { call, json } from '../helpers'

const VARS = { reject_old_samples: 'false', auth_enabled: 'true', max_line_size: '20' }
const T0 = 1_700_000_000_000_000_000n

function body(service: string, lines: string[]): Uint8Array {
  return encodeLogsRequest({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords: lines.map((l, i) => ({ timeUnixNano: String(T0 + BigInt(i)), body: { stringValue: l } })) }],
      },
    ],
  })
}

function push(tenant: string, b: Uint8Array): Promise<Response> {
  return call('/otlp/v1/logs', { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'X-Scope-OrgID': tenant }, body: b, vars: VARS })
}

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line ? Number(line.slice(series.length + 1)) : 0
}

async function lines(tenant: string, selector: string): Promise<string[]> {
  const q = new URLSearchParams({ query: selector, start: String(T0 - 1000n), end: String(T0 + 1000n), direction: 'forward' })
  const res = await call(`/loki/api/v1/query_range?${q}`, { headers: { 'X-Scope-OrgID': tenant }, vars: VARS })
  expect(res.status).toBe(200)
  const got = await json<{ data: { result: Array<{ values: [string, string][] }> } }>(res)
  return got.data.result.flatMap((s) => s.values.map((v) => v[1]))
}

describe('other methods on /otlp/v1/logs, as Loki 3.7.6 answers them', () => {
  it.each(methods.answers.map((a) => [a.method, a] as const))('%s', async (method, a) => {
    const res = await call(methods.path, { method })
    expect(res.status).toBe(a.status)
    expect(await res.text()).toBe(a.body)
  })
})

describe('OTLP push: metrics and tenancy', () => {
  it('counts received and discarded lines per tenant in /metrics', async () => {
    const before = await (await call('/metrics')).text()
    const res = await push('otlp-metered', body('metered', ['short one', 'short two', 'this line is far too long']))
    expect(res.status).toBe(400)
    const after = await (await call('/metrics')).text()
    expect(metric(after, 'loki_distributor_lines_received_total{tenant="otlp-metered"}')).toBe(
      metric(before, 'loki_distributor_lines_received_total{tenant="otlp-metered"}') + 3,
    )
    expect(metric(after, 'loki_discarded_samples_total{reason="line_too_long",tenant="otlp-metered"}')).toBe(
      metric(before, 'loki_discarded_samples_total{reason="line_too_long",tenant="otlp-metered"}') + 1,
    )
    expect(await lines('otlp-metered', '{service_name="metered"}')).toEqual(['short one', 'short two'])
  })

  it('counts received bytes as Loki 3.7.6 does for OTLP: resource and scope metadata once', async () => {
    const payload = structuredClone(counted.payload)
    for (const [i, rec] of payload.resourceLogs[0]!.scopeLogs[0]!.logRecords.entries()) rec.timeUnixNano = String(T0 + BigInt(i))
    const series = (name: string) => `${name}{tenant="otlp-bytes"}`
    const before = await (await call('/metrics')).text()
    const res = await call('/otlp/v1/logs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Scope-OrgID': 'otlp-bytes' }, body: JSON.stringify(payload), vars: VARS })
    expect(res.status).toBe(204)
    const after = await (await call('/metrics')).text()
    for (const name of ['loki_distributor_lines_received_total', 'loki_distributor_bytes_received_total'] as const) {
      expect(metric(after, series(name)) - metric(before, series(name))).toBe(counted[name])
    }
  })

  it("one tenant's OTLP entries are invisible to another", async () => {
    expect((await push('otlp-a', body('shared-name', ['from a']))).status).toBe(204)
    expect((await push('otlp-b', body('shared-name', ['from b']))).status).toBe(204)
    expect(await lines('otlp-a', '{service_name="shared-name"}')).toEqual(['from a'])
    expect(await lines('otlp-b', '{service_name="shared-name"}')).toEqual(['from b'])
    expect(await lines('otlp-c', '{service_name="shared-name"}')).toEqual([])
  })

  it('needs a tenant when auth is enabled (refused before the OTLP handler, in plain text)', async () => {
    const res = await call('/otlp/v1/logs', { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: body('x', ['y']), vars: VARS })
    expect(res.status).toBe(401)
    expect((await res.text()).trim()).toBe('no org id')
  })
})
