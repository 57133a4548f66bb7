import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { call, json, pushJson } from '../helpers'
import { ingesterFor } from '../../src/ingester/naming'
import type { StreamIngester } from '../../src/ingester/stream-ingester'

const BOUND = 20_000
const VARS = { max_ingester_memory_bytes: String(BOUND) }
const BASE = BigInt(Date.now() - 60_000) * 1_000_000n

/** `n` lines of exactly `size` characters, 1 ms apart from `offset`. */
function values(n: number, size: number, offset: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => {
    const head = `line ${i + offset} `
    return [(BASE + BigInt((i + offset) * 1_000_000)).toString(), head + 'x'.repeat(size - head.length)]
  })
}

function stubFor(app: string) {
  return ingesterFor(env, 'fake', `{app="${app}", service_name="${app}"}`)
}

async function readAll(app: string): Promise<string[]> {
  const q = new URLSearchParams({ query: `{app="${app}"}`, since: '1h', limit: '5000', direction: 'forward' })
  const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(await call(`/loki/api/v1/query_range?${q}`))
  return body.data.result.flatMap((s) => s.values.map((v) => `${v[0]} ${v[1]}`)).sort()
}

/** Pushes as a client does: a 429 or 5xx is retried after a pause, a 4xx is final. */
async function pushRetrying(app: string, vals: Array<[string, string]>, vars = VARS): Promise<{ status: number; refused: number }> {
  let refused = 0
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await pushJson([{ stream: { app }, values: vals }], { vars })
    await res.text()
    if (res.status !== 429 && res.status < 500) return { status: res.status, refused }
    refused++
    await new Promise((r) => setTimeout(r, 20))
  }
  return { status: 429, refused }
}

async function fingerprintOf(app: string): Promise<string> {
  const fp = await runInDurableObject(stubFor(app), (instance: StreamIngester) => instance['identity']?.fingerprint)
  if (!fp) throw new Error(`no stream ${app}`)
  return fp
}

function memoryPeak(app: string): Promise<number> {
  return runInDurableObject(stubFor(app), (instance: StreamIngester) => instance['memory'].peak)
}

describe('ingester memory bound (max_ingester_memory_bytes)', () => {
  it('refuses a push that would take the unflushed head past the bound with a 429 in Loki\'s shape, then takes it once flushed', async () => {
    // 9 KB: under half the bound, so no flush is due yet.
    expect((await pushJson([{ stream: { app: 'mem-a' }, values: values(9, 1000, 0) }], { vars: VARS })).status).toBe(204)
    const refused = await pushJson([{ stream: { app: 'mem-a' }, values: values(15, 1000, 100) }], { vars: VARS })
    expect(refused.status).toBe(429)
    const text = await refused.text()
    const first = values(1, 1000, 100)[0]![0]
    const ts = new Date(Number(BigInt(first) / 1_000_000n)).toISOString()
    expect(text).toContain(`entry with timestamp ${ts.slice(0, 10)}`)
    expect(text).toContain(
      "ignored, reason: 'Per stream memory limit exceeded (limit: 20 kB) while attempting to ingest for stream " +
        `'{app="mem-a", service_name="mem-a"}' totaling 1.0 kB, the stream's unflushed entries are being flushed, retry the push',\n`,
    )
    expect(text.split('\n').filter((l) => l.startsWith('entry with timestamp'))).toHaveLength(10)
    expect(text).toMatch(/user 'fake', total ignored: 15 out of 15 for stream: \{app="mem-a", service_name="mem-a"\}\n$/)

    // The refusal made a flush due now: a retrying client gets its push in.
    const retried = await pushRetrying('mem-a', values(15, 1000, 100))
    expect(retried.status).toBe(204)
    const bounds = await stubFor('mem-a').headBounds()
    expect(bounds?.bytes ?? 0).toBeLessThanOrEqual(BOUND)
    const all = await readAll('mem-a')
    expect(all).toEqual([...values(9, 1000, 0), ...values(15, 1000, 100)].map((v) => `${v[0]} ${v[1]}`).sort())

    const metrics = await (await call('/metrics')).text()
    expect(metrics).toMatch(/loki_discarded_samples_total\{reason="per_stream_memory_limit",tenant="fake"\} \d+/)
  })

  it('keeps every acknowledged entry, exactly once, while four clients push far more than the bound', async () => {
    const pushes = Array.from({ length: 40 }, (_, p) => values(5, 1000, p * 5))
    let next = 0
    let refused = 0
    const maxHead: number[] = []
    const client = async (): Promise<void> => {
      while (next < pushes.length) {
        const vals = pushes[next++]!
        const r = await pushRetrying('mem-b', vals)
        expect(r.status).toBe(204)
        refused += r.refused
        maxHead.push((await stubFor('mem-b').headBounds())?.bytes ?? 0)
      }
    }
    await Promise.all([client(), client(), client(), client()])
    // 200 KB pushed through a 20 KB head: flushes ran and pushes were held back.
    expect(refused).toBeGreaterThan(0)
    for (const bytes of maxHead) expect(bytes).toBeLessThanOrEqual(BOUND)
    const expected = pushes.flat().map((v) => `${v[0]} ${v[1]}`).sort()
    expect(await readAll('mem-b')).toEqual(expected)
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    expect(await readAll('mem-b')).toEqual(expected)
    // What the object held at once: its head (at most the bound) plus the four pushes in flight,
    // each counted as its packed text and its parsed lines.
    expect(await memoryPeak('mem-b')).toBeLessThanOrEqual(BOUND + 4 * 2 * 5 * 1100)
  })

  it('flushes a head larger than the chunk target in segments, one chunk each, losing nothing', async () => {
    // chunk_target_size 2000 compressed is a 10 KB raw target: each 9 KB push is a segment.
    const vars = { ...VARS, chunk_target_size: '2000' }
    expect((await pushJson([{ stream: { app: 'mem-c' }, values: values(9, 1000, 0) }], { vars })).status).toBe(204)
    expect((await pushRetrying('mem-c', values(9, 1000, 100), vars)).status).toBe(204)
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    expect(await stubFor('mem-c').headBounds()).toBeNull()
    const rows = await env.DB.prepare("SELECT entries FROM chunks WHERE tenant = 'fake' AND fingerprint = ? ORDER BY min_ts_ms")
      .bind(await fingerprintOf('mem-c'))
      .all<{ entries: number }>()
    expect(rows.results.map((r) => r.entries)).toEqual([9, 9])
    const all = await readAll('mem-c')
    expect(all).toEqual([...values(9, 1000, 0), ...values(9, 1000, 100)].map((v) => `${v[0]} ${v[1]}`).sort())
    // No segment held more than the target: neither the flush nor anything else went near the bound.
    expect(await memoryPeak('mem-c')).toBeLessThanOrEqual(BOUND)
  })
})

describe('every push is answered', () => {
  it('answers 500 with a text naming the stream when its ingester call fails, and stores the other streams', async () => {
    const vals = values(3, 100, 0)
    expect((await pushJson([{ stream: { app: 'fail-a' }, values: vals }])).status).toBe(204)
    expect((await call('/flush', { method: 'POST' })).status).toBe(204)
    // The flushed chunk's object disappears: the ingester cannot check a retried push against it.
    const listed = await env.CHUNKS.list({ prefix: 'chunks/fake/' })
    const keys = await env.DB.prepare("SELECT object_key AS k FROM chunks WHERE tenant = 'fake' AND fingerprint = ?")
      .bind(await fingerprintOf('fail-a'))
      .all<{ k: string }>()
    const gone = keys.results.map((r) => r.k)
    expect(gone.length).toBeGreaterThan(0)
    expect(listed.objects.some((o) => gone.includes(o.key))).toBe(true)
    await env.CHUNKS.delete(gone)

    const res = await pushJson([
      { stream: { app: 'fail-a' }, values: vals },
      { stream: { app: 'fail-b' }, values: values(2, 100, 0) },
    ])
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).toMatch(/^failed to store the entries of stream \{app="fail-a", service_name="fail-a"\}, retry the push: .*chunk object .* is missing\n$/)
    expect(await readAll('fail-b')).toEqual(values(2, 100, 0).map((v) => `${v[0]} ${v[1]}`).sort())
  })
})
