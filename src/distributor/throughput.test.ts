import { describe, expect, it } from 'vitest'
import { decodePushBody } from './decode'
import { distribute } from './distribute'
import { DEFAULT_PUSH_BODY_LIMITS, DEFAULT_VALIDATION_LIMITS } from './limits'
import { compressWith, snappyProto, utf8 } from './test-helpers'
import type { PushRequest } from './types'

const NOW = Date.UTC(2026, 10, 1, 12)
const BASE = BigInt(NOW) * 1_000_000n

/** About 1 MiB of realistic entries: logfmt and JSON lines, some structured metadata. */
function sample(): PushRequest {
  const streams: PushRequest['streams'] = []
  let n = 0
  for (let s = 0; s < 10; s++) {
    const entries: PushRequest['streams'][number]['entries'] = []
    for (let i = 0; i < 520; i++, n++) {
      const line =
        i % 2 === 0
          ? `ts=2026-11-01T12:00:${String(i % 60).padStart(2, '0')}Z level=info msg="request completed" method=GET path=/api/v1/items/${n} status=200 duration=${i}ms user=u-${n % 97}`
          : JSON.stringify({ ts: '2026-11-01T12:00:00Z', level: i % 5 === 0 ? 'error' : 'info', msg: 'request completed', path: `/cart/${n}`, latency_ms: i / 7 })
      entries.push(i % 3 === 0 ? { ts: BASE - BigInt(n), line, metadata: [['trace_id', `t${n.toString(16).padStart(16, '0')}`]] } : { ts: BASE - BigInt(n), line })
    }
    streams.push({ labels: `{app="api", env="prod", pod="api-${s}"}`, entries })
  }
  return { streams }
}

function toJson(req: PushRequest): string {
  return JSON.stringify({
    streams: req.streams.map((s) => ({
      stream: Object.fromEntries([...s.labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
      values: s.entries.map((e) => (e.metadata ? [String(e.ts), e.line, Object.fromEntries(e.metadata)] : [String(e.ts), e.line])),
    })),
  })
}

async function rate(label: string, bytes: number, rounds: number, run: () => Promise<unknown>): Promise<number> {
  await run()
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) await run()
  const ms = (performance.now() - t0) / rounds
  const mbps = bytes / 1048576 / (ms / 1000)
  console.log(`${label}: ${(bytes / 1048576).toFixed(2)} MiB in ${ms.toFixed(2)} ms = ${mbps.toFixed(0)} MiB/s`)
  return mbps
}

describe('decode throughput on a ~1 MiB push', () => {
  const req = sample()
  const json = utf8(toJson(req))
  const proto = snappyProto(req)
  const limits = { ...DEFAULT_VALIDATION_LIMITS }

  it('JSON, snappy protobuf and gzip JSON decode at useful speeds, and distribute keeps up', async () => {
    const gz = await compressWith('gzip', json)
    const uncompressedProto = (await decodePushBody(proto, { contentType: 'application/x-protobuf', contentEncoding: null }, DEFAULT_PUSH_BODY_LIMITS)).streams
    expect(uncompressedProto.reduce((n, s) => n + s.entries.length, 0)).toBe(5200)
    const rJson = await rate('decode JSON', json.length, 10, () => decodePushBody(json, { contentType: 'application/json', contentEncoding: null }, DEFAULT_PUSH_BODY_LIMITS))
    const rProto = await rate('decode snappy protobuf (input = JSON-equivalent bytes)', json.length, 10, () =>
      decodePushBody(proto, { contentType: 'application/x-protobuf', contentEncoding: null }, DEFAULT_PUSH_BODY_LIMITS),
    )
    const rGz = await rate('decode gzip JSON (uncompressed bytes)', json.length, 10, () => decodePushBody(gz, { contentType: 'application/json', contentEncoding: 'gzip' }, DEFAULT_PUSH_BODY_LIMITS))
    const rDist = await rate('decode JSON + distribute', json.length, 10, async () =>
      distribute(await decodePushBody(json, { contentType: 'application/json', contentEncoding: null }, DEFAULT_PUSH_BODY_LIMITS), limits, NOW),
    )
    for (const r of [rJson, rProto, rGz, rDist]) expect(r).toBeGreaterThan(5)
  })
})
