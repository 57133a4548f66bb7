import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { call, json, pushJson } from '../helpers'
import { ingesterFor } from '../../src/ingester/naming'
import type { StreamIngester } from '../../src/ingester/stream-ingester'
import type { FlushStepHook } from '../../src/ingester/flush'

interface StreamsBody {
  data: { result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> }
}

const BASE = BigInt(Date.now() - 60_000) * 1_000_000n
const EVAL_TIME = String(Math.floor(Date.now() / 1000) + 1)

function values(n: number, offset = 0): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [(BASE + BigInt((i + offset) * 1_000_000)).toString(), `line ${i + offset} status=${i % 2 ? 200 : 500}`])
}

async function readAll(selector: string): Promise<string[]> {
  const q = new URLSearchParams({ query: selector, since: '1h', limit: '1000', direction: 'forward' })
  const body = await json<StreamsBody>(await call(`/loki/api/v1/query_range?${q}`))
  return body.data.result.flatMap((s) => s.values.map((v) => `${v[0]} ${v[1]}`)).sort()
}

async function bytesProcessed(query: string): Promise<number> {
  const q = new URLSearchParams({ query, time: EVAL_TIME })
  const body = await json<{ data: { stats: { summary: { totalBytesProcessed: number } } } }>(await call(`/loki/api/v1/query?${q}`))
  return body.data.stats.summary.totalBytesProcessed
}

async function metric(selector: string, op = 'count_over_time'): Promise<string> {
  const q = new URLSearchParams({ query: `sum(${op}(${selector}[1h]))`, time: EVAL_TIME })
  const body = await json<{ data: { result: Array<{ value: [number, string] }> } }>(await call(`/loki/api/v1/query?${q}`))
  return body.data.result[0]?.value[1] ?? '0'
}

function stubFor(app: string) {
  return ingesterFor(env, 'fake', `{app="${app}", service_name="${app}"}`)
}

describe('flushing heads to R2', () => {
  it('moves the head into a chunk and answers the same before and after', async () => {
    expect((await pushJson([{ stream: { app: 'flush-a' }, values: values(50) }])).status).toBe(204)
    const before = await readAll('{app="flush-a"}')
    expect(before).toHaveLength(50)
    const countBefore = await metric('{app="flush-a"}')
    expect(countBefore).toBe('50')

    const res = await call('/flush', { method: 'POST' })
    expect(res.status).toBe(204)

    const listed = await env.CHUNKS.list({ prefix: 'chunks/fake/' })
    expect(listed.objects.length).toBeGreaterThan(0)
    const bounds = await stubFor('flush-a').headBounds()
    expect(bounds).toBeNull()

    expect(await readAll('{app="flush-a"}')).toEqual(before)
    expect(await metric('{app="flush-a"}')).toBe(countBefore)

    // New data after the flush is read from the head, merged with the chunk.
    await pushJson([{ stream: { app: 'flush-a' }, values: values(10, 50) }])
    expect(await readAll('{app="flush-a"}')).toHaveLength(60)
    expect(await metric('{app="flush-a"}')).toBe('60')
    // bytes_over_time reads sizes only: the UTF-8 bytes of the 60 lines.
    const bytes = values(60).reduce((n, [, line]) => n + line.length, 0)
    expect(await metric('{app="flush-a"}', 'bytes_over_time')).toBe(String(bytes))
    expect(await metric('{app="flush-a"} |= "line"', 'bytes_over_time')).toBe(String(bytes))
    // Counting reads no line text, yet reports the bytes it went through as a filtered count does.
    const withLines = await bytesProcessed('sum(count_over_time({app="flush-a"} |= "line" [1h]))')
    expect(withLines).toBeGreaterThan(values(60).reduce((n, [, line]) => n + line.length, 0) - 1)
    expect(await bytesProcessed('sum(count_over_time({app="flush-a"}[1h]))')).toBe(withLines)
  })

  it.each(['stored', 'referenced', 'state-saved'] as const)('loses and duplicates nothing when a flush fails after %s', async (step) => {
    const app = `flush-fail-${step}`
    await pushJson([{ stream: { app }, values: values(20) }])
    const before = await readAll(`{app="${app}"}`)
    const failing: FlushStepHook = (s) => {
      if (s === step) throw new Error(`injected failure after ${s}`)
    }
    await runInDurableObject<StreamIngester, void>(stubFor(app), async (instance) => {
      await expect(instance.flush(failing)).rejects.toThrow('injected failure')
    })
    expect(await readAll(`{app="${app}"}`)).toEqual(before)
    // The entries now sit in the head and (after 'referenced') in a chunk too: counted once.
    expect(await metric(`{app="${app}"}`)).toBe('20')
    expect(await metric(`{app="${app}"} | drop trace_id`)).toBe('20')
    await pushJson([{ stream: { app }, values: values(5, 20) }])
    const result = await stubFor(app).flush()
    expect(result.entries).toBeGreaterThanOrEqual(5)
    const after = await readAll(`{app="${app}"}`)
    expect(after).toHaveLength(25)
    expect(after.slice(0, 20)).toEqual(before)
    expect(await metric(`{app="${app}"}`)).toBe('25')
  })

  it('keeps every chunk when a stream is flushed again and again', async () => {
    for (let round = 0; round < 3; round++) {
      await pushJson([{ stream: { app: 'flush-rounds' }, values: values(4, 200 + round * 4) }])
      const r = await stubFor('flush-rounds').flush()
      expect(r.entries).toBe(4)
    }
    expect(await readAll('{app="flush-rounds"}')).toHaveLength(12)
    expect(await metric('{app="flush-rounds"}')).toBe('12')
  })

  it('stores nothing again when a push is retried after its entries were flushed', async () => {
    const batch = values(8, 300)
    await pushJson([{ stream: { app: 'flush-retry' }, values: batch }])
    await stubFor('flush-retry').flush()
    const statsQuery = `/loki/api/v1/index/stats?${new URLSearchParams({ query: '{app="flush-retry"}', since: '1h' })}`
    const before = await json<{ entries: number }>(await call(statsQuery))
    expect(before.entries).toBe(8)
    // The retry repeats flushed entries and adds one new, older-than-newest entry.
    const retry = [...batch, [(BASE + 300_500_000n).toString(), 'new out-of-order line'] as [string, string]]
    expect((await pushJson([{ stream: { app: 'flush-retry' }, values: retry }])).status).toBe(204)
    expect((await stubFor('flush-retry').headSummary())?.entries).toBe(1)
    expect(await readAll('{app="flush-retry"}')).toHaveLength(9)
    // The head's entry is older than the chunk's end: the count merges both, all 9 counted.
    expect(await metric('{app="flush-retry"}')).toBe('9')
    // Retried again while the new entry is still in the head: nothing more is stored.
    await pushJson([{ stream: { app: 'flush-retry' }, values: retry }])
    expect((await stubFor('flush-retry').headSummary())?.entries).toBe(1)
    const after = await json<{ entries: number }>(await call(statsQuery))
    expect(after.entries).toBe(9)
  })

  it('keeps de-duplicating a retried push after its entries were flushed', async () => {
    const batch = values(5, 100)
    await pushJson([{ stream: { app: 'flush-dedup' }, values: batch }])
    await stubFor('flush-dedup').flush()
    await pushJson([{ stream: { app: 'flush-dedup' }, values: batch }])
    expect(await readAll('{app="flush-dedup"}')).toHaveLength(5)
  })
})
