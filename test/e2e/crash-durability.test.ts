/**
 * Acknowledged pushes survive a crash of the runtime: clients push while the whole `wrangler dev`
 * process group (wrangler and workerd) is killed with SIGKILL at varying moments, the runtime is
 * restarted on the same on-disk state, clients re-send what was not acknowledged (as Promtail and
 * Alloy retry), and every acknowledged entry is read back exactly once, with no entry twice.
 * `CRASH_KILLS` sets the number of kills (default 3).
 */
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareState, runRuntime, type RuntimeProcess } from './server'

const KILLS = Number(process.env.CRASH_KILLS ?? '3')
const CLIENTS = 4
const LINES_PER_PUSH = 3
const VARS = ['reject_old_samples:false', 'split_metric_queries:false']

interface PushBatch {
  readonly id: string
  readonly values: Array<[string, string]>
}

/** A small deterministic generator, so each run kills at the same spread of moments. */
function lcg(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
}

async function send(url: string, batch: PushBatch): Promise<boolean> {
  try {
    const res = await fetch(`${url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ streams: [{ stream: { app: 'crash', client: batch.id.split('-')[0] ?? '' }, values: batch.values }] }),
      signal: AbortSignal.timeout(20_000),
    })
    await res.arrayBuffer()
    return res.status === 204
  } catch {
    return false
  }
}

/** Every line of one client's stream (each stays below the 5,000 entries one query returns). */
async function readClient(url: string, client: number, startNs: bigint): Promise<string[]> {
  const q = new URLSearchParams({ query: `{app="crash", client="c${client}"}`, start: String(startNs), end: String(BigInt(Date.now() + 60_000) * 1_000_000n), limit: '5000', direction: 'forward' })
  const res = await fetch(`${url}/loki/api/v1/query_range?${q}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } }
  const lines = body.data.result.flatMap((s) => s.values.map((v) => v[1]))
  expect(lines.length).toBeLessThan(5000)
  return lines
}

describe('crash durability', () => {
  const dir = prepareState()
  let runtime: RuntimeProcess | undefined
  afterAll(async () => {
    runtime?.signal('SIGKILL')
    await runtime?.exited()
    rmSync(dir, { recursive: true, force: true })
  })

  it(`loses and duplicates no acknowledged entry across ${KILLS} SIGKILLs mid-push`, async () => {
    const random = lcg(12)
    const startNs = BigInt(Date.now() - 60_000) * 1_000_000n
    const acknowledged = new Set<string>()
    const sent = new Set<string>()
    let pending: PushBatch[] = []
    let seq = 0
    let interrupted = 0
    const restartMs: number[] = []
    runtime = await runRuntime(dir, VARS)

    const nextBatch = (client: number): PushBatch => {
      const id = `c${client}-${seq++}`
      const base = BigInt(Date.now()) * 1_000_000n
      const values = Array.from({ length: LINES_PER_PUSH }, (_, i): [string, string] => [String(base + BigInt(i)), `${id} line ${i}`])
      return { id, values }
    }
    const pushUntil = async (url: string, stop: { done: boolean }, client: number): Promise<void> => {
      while (!stop.done) {
        const batch = nextBatch(client)
        for (const [, line] of batch.values) sent.add(line)
        if (await send(url, batch)) for (const [, line] of batch.values) acknowledged.add(line)
        else {
          interrupted++
          pending.push(batch)
        }
      }
    }

    for (let kill = 0; kill < KILLS; kill++) {
      const stop = { done: false }
      const clients = Array.from({ length: CLIENTS }, (_, c) => pushUntil(runtime!.url, stop, c))
      await new Promise((r) => setTimeout(r, 300 + random() * 1500))
      runtime.signal('SIGKILL')
      const killedAt = Date.now()
      stop.done = true
      await Promise.all(clients)
      await runtime.exited()
      runtime = await runRuntime(dir, VARS)
      restartMs.push(Date.now() - killedAt)
      // Clients retry what the crash left unacknowledged.
      const retry = pending
      pending = []
      for (const batch of retry) {
        if (await send(runtime.url, batch)) for (const [, line] of batch.values) acknowledged.add(line)
        else pending.push(batch)
      }
    }

    const lines: string[] = []
    for (let c = 0; c < CLIENTS; c++) lines.push(...(await readClient(runtime.url, c, startNs)))
    const counts = new Map<string, number>()
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1)
    const lost = [...acknowledged].filter((line) => !counts.has(line))
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([line]) => line)
    const unknown = lines.filter((line) => !sent.has(line))
    console.info(
      `crash durability: ${KILLS} kills, ${interrupted} pushes cut off and retried, ` +
        `${acknowledged.size} acknowledged entries of ${sent.size} sent, ` +
        `kill to ready ${restartMs.map((ms) => `${ms} ms`).join(', ')}`,
    )
    expect(acknowledged.size).toBeGreaterThan(0)
    expect({ lost, duplicated, unknown, unacknowledgedAfterRetries: pending.length }).toEqual({
      lost: [],
      duplicated: [],
      unknown: [],
      unacknowledgedAfterRetries: 0,
    })
  }, 60_000 + KILLS * 120_000)
})
