/**
 * Live tail end to end against `wrangler dev`, with a plain WebSocket client (the `ws` package):
 * the recorded Loki 3.7.6 frames for stored and live entries, categorize-labels and the legacy
 * path, a parameter error answered before the upgrade, and a metric query closed with 1011.
 */
import { describe, expect, inject, it } from 'vitest'
import WebSocket from 'ws'
import httpErrors from '../fixtures/tail/http-errors.json'
import closes from '../fixtures/tail/closes.json'
import { CATEGORIZE_HEADERS, normalizeFrame, recordedSockets, replayPushes, socketParams, type ReplayPush } from '../tail-frames'

const baseUrl = inject('baseUrl')
const wsUrl = baseUrl.replace(/^http/, 'ws')

interface Client {
  readonly frames: string[]
  readonly closed: Promise<{ code: number; reason: string }>
  waitFrames(n: number, ms?: number): Promise<void>
  close(): void
}

function connect(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(`${wsUrl}${path}?${new URLSearchParams(params)}`, { headers })
  const frames: string[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  ws.on('message', (data) => frames.push(data.toString()))
  const client: Client = {
    frames,
    closed,
    async waitFrames(n, ms = 15_000) {
      const deadline = Date.now() + ms
      while (frames.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} frames on ${path}, got ${frames.length}: ${frames.join('\n')}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: () => ws.close(1000),
  }
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(client))
    ws.on('unexpected-response', (_req, res) => reject(new Error(`no upgrade: ${res.statusCode}`)))
    ws.on('error', reject)
  })
}

async function push(streams: ReplayPush[] | Array<{ stream: Record<string, string>; values: Array<[string, string]> }>): Promise<void> {
  const res = await fetch(`${baseUrl}/loki/api/v1/push`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ streams }) })
  expect(res.status).toBe(204)
}

describe('live tail through wrangler dev with a WebSocket client', () => {
  it('sends the frames Loki 3.7.6 sends for stored and then live entries', async () => {
    // Within the default max_concurrent_tail_requests (10): the recorded sockets in groups, each
    // group on an app of its own with both recorded pushes.
    for (let i = 0; i < recordedSockets.length; i += 9) {
      const batch = recordedSockets.slice(i, i + 9)
      const app = `e2e-frames-${Date.now()}-${i}`
      const now = BigInt(Date.now()) * 1_000_000n
      const backfillBase = now - 10_000_000_000n
      const { pushes, tokens } = replayPushes(app, [backfillBase, now])
      await push(pushes[0]!)
      const clients = await Promise.all(
        batch.map((rec) => connect(rec.path, socketParams(rec, app, backfillBase - 1n), rec.categorize ? CATEGORIZE_HEADERS : {})),
      )
      await Promise.all(clients.map((c) => c.waitFrames(1)))
      await push(pushes[1]!)
      for (const [j, c] of clients.entries()) {
        const rec = batch[j]!
        await c.waitFrames(rec.frames.length)
        expect({ name: rec.name, frames: c.frames.map((f) => normalizeFrame(f, app, tokens)) }).toEqual({ name: rec.name, frames: rec.frames })
        c.close()
      }
      await Promise.all(clients.map((c) => c.closed))
    }
  })

  it('delivers a pushed line to a live tail within the test deadline', async () => {
    const app = `e2e-live-${Date.now()}`
    await push([{ stream: { app }, values: [[(BigInt(Date.now() - 1000) * 1_000_000n).toString(), 'marker']] }])
    const c = await connect('/loki/api/v1/tail', { query: `{app="${app}"} |= "hello"` })
    const other = await connect('/loki/api/v1/tail', { query: `{app="${app}"}` })
    await other.waitFrames(1)
    await push([{ stream: { app }, values: [[(BigInt(Date.now()) * 1_000_000n).toString(), 'hello from e2e']] }])
    await c.waitFrames(1)
    const frame = JSON.parse(c.frames[0]!) as { streams: Array<{ values: Array<[string, string]> }> }
    expect(frame.streams.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['hello from e2e'])
    c.close()
    other.close()
  })

  it('answers a bad parameter with Loki\'s 400 before the upgrade', async () => {
    const c = httpErrors.cases.find((x) => x.name === 'delay_for too big' && x.path === '/loki/api/v1/tail')!
    const ws = new WebSocket(`${wsUrl}${c.path}?${new URLSearchParams(c.params as Record<string, string>)}`)
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      ws.on('open', () => reject(new Error('upgraded')))
      ws.on('error', () => undefined)
      ws.on('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
    })
    expect(answer).toEqual({ status: c.status, body: c.body })
  })

  it('closes a metric query with 1011 and Loki\'s reason', async () => {
    const c = closes.metricQueries.cases[0]!
    const client = await connect('/loki/api/v1/tail', { query: c.query.replace('APP', 'e2e') })
    expect(await client.closed).toEqual(c.close)
  })
})
