/**
 * Entries pushed over OTLP reach open live tails, as entries pushed to `/loki/api/v1/push` do.
 */
import { describe, expect, it, vi } from 'vitest'
import { encodeLogsRequest } from '../fixtures/otlp/encode.mjs'
import { call } from '../helpers'
import { openTail } from './tail-socket'

vi.setConfig({ testTimeout: 30_000 })

function ns(offsetMs = 0): bigint {
  return BigInt(Date.now() + offsetMs) * 1_000_000n
}

async function pushOtlp(service: string, lines: string[], base: bigint): Promise<void> {
  const body = encodeLogsRequest({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords: lines.map((l, i) => ({ timeUnixNano: String(base + BigInt(i)), severityText: 'WARN', body: { stringValue: l } })) }],
      },
    ],
  })
  const res = await call('/otlp/v1/logs', { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body })
  expect(res.status).toBe(204)
}

describe('OTLP push and live tail', () => {
  it('a tail on the mapped labels receives OTLP entries live', async () => {
    const service = `otlp-tail-${crypto.randomUUID().slice(0, 8)}`
    // A stored entry the pipeline keeps comes first: after it, the tail is live.
    await pushOtlp(service, ['otlp marker'], ns(-1000))
    const sock = await openTail({ query: `{service_name="${service}"} |= "otlp"` })
    try {
      await sock.frameCount(1)
      expect(sock.entries().map((e) => e.line)).toEqual(['otlp marker'])
      sock.frames.splice(0)
      await pushOtlp(service, ['first otlp line', 'filtered out', 'second otlp line'], ns())
      const deadline = Date.now() + 8000
      while (sock.entries().length < 2 && Date.now() < deadline) await sock.frameCount(sock.frames.length + 1, deadline - Date.now()).catch(() => undefined)
      const entries = sock.entries()
      expect(entries.map((e) => e.line)).toEqual(['first otlp line', 'second otlp line'])
      expect(entries[0]!.stream['service_name']).toBe(service)
    } finally {
      sock.close()
    }
  })
})
