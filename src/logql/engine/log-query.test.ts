/**
 * Log queries over an in-memory source: ordering and limit across streams, label fan-out,
 * interval and its 1h split, deduplication, the per-stream limit hint and cancellation.
 */
import { describe, expect, it } from 'vitest'
import { QueryError } from './errors'
import { evaluateLogQuery, groupByIndexedLabels, type LogQueryResult } from './log-query'
import { MemorySource } from '../../../test/support/memory-source'
import type { LogEntry, LogSource, SelectRequest, StreamSelection } from './source'
import { newQueryStats } from './stats'
import { contains, logfmt, sel } from '../../../test/support/engine-ast'
import { testPipelines } from '../../../test/support/engine-pipelines'

const S = 1_000_000_000n
const opts = { pipelines: testPipelines() }

function e(sec: number, line: string, md?: Record<string, string>): LogEntry {
  return { ts: BigInt(Math.round(sec * 1e9)), line, metadata: md ? Object.entries(md) : undefined }
}

function flat(r: LogQueryResult) {
  return r.streams.map((s) => [s.labels, s.entries.map((x) => [Number(x.ts / 1_000_000n) / 1000, x.line])])
}

const src = new MemorySource([
  { labels: { app: 'a' }, entries: [e(1, 'a1'), e(3, 'a3'), e(5, 'a5')] },
  { labels: { app: 'b' }, entries: [e(2, 'b2'), e(4, 'b4'), e(6, 'b6', { trace: 't' })] },
])
const all = { start: 0n, end: 100n * S }

describe('log queries', () => {
  it('backward: the newest entries across streams win', async () => {
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 3, direction: 'backward' }, src, newQueryStats(), opts)
    expect(flat(r)).toEqual([
      [{ app: 'a' }, [[5, 'a5']]],
      [{ app: 'b', trace: 't' }, [[6, 'b6']]],
      [{ app: 'b' }, [[4, 'b4']]],
    ])
  })

  it('forward: the oldest entries win, each stream in ascending order', async () => {
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 4, direction: 'forward' }, src, newQueryStats(), opts)
    expect(flat(r)).toEqual([
      [{ app: 'a' }, [[1, 'a1'], [3, 'a3']]],
      [{ app: 'b' }, [[2, 'b2'], [4, 'b4']]],
    ])
  })

  it('structured metadata splits a stored stream; categorized view keeps it apart', async () => {
    const r = await evaluateLogQuery(sel({ app: 'b' }), { ...all, limit: 10, direction: 'backward' }, src, newQueryStats(), opts)
    expect(r.streams.map((s) => s.labels)).toEqual([{ app: 'b', trace: 't' }, { app: 'b' }])
    const g = groupByIndexedLabels(r, 'backward')
    expect(g).toHaveLength(1)
    expect(g[0]?.stream).toEqual({ app: 'b' })
    expect(g[0]?.entries.map((x) => [x.line, x.structuredMetadata])).toEqual([
      ['b6', { trace: 't' }],
      ['b4', {}],
      ['b2', {}],
    ])
  })

  it('the time range is [start, end)', async () => {
    const r = await evaluateLogQuery(sel({}), { start: 2n * S, end: 5n * S, limit: 10, direction: 'forward' }, src, newQueryStats(), opts)
    expect(flat(r).flatMap((s) => (s[1] as unknown[][]).map((x) => x[1]))).toEqual(['a3', 'b2', 'b4'])
  })

  it('the pipeline filters lines and leading filters reach the source', async () => {
    const s = new MemorySource([{ labels: { app: 'a' }, entries: [e(1, 'keep me'), e(2, 'drop me')] }])
    const r = await evaluateLogQuery(sel({ app: 'a' }, contains('keep')), { ...all, limit: 10, direction: 'forward' }, s, newQueryStats(), opts)
    expect(flat(r)).toEqual([[{ app: 'a' }, [[1, 'keep me']]]])
    expect(s.requests[0]?.lineFilters).toHaveLength(1)
    expect(s.requests[0]?.limitPerStream).toBe(10)
  })

  it('parsed labels split streams', async () => {
    const s = new MemorySource([{ labels: { app: 'a' }, entries: [e(1, 'lvl=info'), e(2, 'lvl=error'), e(3, 'lvl=info')] }])
    const r = await evaluateLogQuery(sel({ app: 'a' }, logfmt), { ...all, limit: 10, direction: 'forward' }, s, newQueryStats(), opts)
    expect(flat(r)).toEqual([
      [{ app: 'a', lvl: 'error' }, [[2, 'lvl=error']]],
      [{ app: 'a', lvl: 'info' }, [[1, 'lvl=info'], [3, 'lvl=info']]],
    ])
    expect(r.streams[0]?.entries[0]?.parsed).toEqual({ lvl: 'error' })
  })

  it.each([
    { direction: 'forward' as const, want: ['a1', 'a3.5', 'b6'] },
    { direction: 'backward' as const, want: ['b6', 'b4', 'b2'] },
  ])('interval 2s $direction keeps entries at least 2s apart across streams', async ({ direction, want }) => {
    const s = new MemorySource([
      { labels: { app: 'a' }, entries: [e(1, 'a1'), e(3.5, 'a3.5')] },
      { labels: { app: 'b' }, entries: [e(2, 'b2'), e(4, 'b4'), e(6, 'b6')] },
    ])
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 10, direction, intervalMs: 2000 }, s, newQueryStats(), opts)
    const lines = r.streams.flatMap((x) => x.entries).sort((a, b) => (a.ts < b.ts ? -1 : 1)).map((x) => x.line)
    expect(direction === 'forward' ? lines : lines.reverse()).toEqual(want)
    expect(lines).toHaveLength(3)
  })

  it('equal timestamps in one stream keep stored order forward and reverse backward', async () => {
    const s = new MemorySource([{ labels: { app: 'a' }, entries: [e(1, 'first'), e(1, 'second')] }])
    const fwd = await evaluateLogQuery(sel({}), { ...all, limit: 10, direction: 'forward' }, s, newQueryStats(), opts)
    const bwd = await evaluateLogQuery(sel({}), { ...all, limit: 10, direction: 'backward' }, s, newQueryStats(), opts)
    expect(fwd.streams[0]?.entries.map((x) => x.line)).toEqual(['first', 'second'])
    expect(bwd.streams[0]?.entries.map((x) => x.line)).toEqual(['second', 'first'])
  })

  it('identical entries reaching one label set from two streams count once', async () => {
    const s = new MemorySource([
      { labels: { app: 'a' }, entries: [e(1, 'same')] },
      { labels: { app: 'a' }, entries: [e(1, 'same')] },
    ])
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 10, direction: 'forward' }, s, newQueryStats(), opts)
    expect(flat(r)).toEqual([[{ app: 'a' }, [[1, 'same']]]])
  })

  it('limit must be positive', async () => {
    await expect(evaluateLogQuery(sel({}), { ...all, limit: 0, direction: 'forward' }, src, newQueryStats(), opts)).rejects.toThrow(
      new QueryError('limit must be a positive value'),
    )
  })

  it('reads no more than it needs: per stream, one pending batch and one entry read ahead (to see whether the next shares the timestamp) beyond the limit', async () => {
    let pulled = 0
    const big: LogSource = {
      async *select(_req: SelectRequest): AsyncGenerator<StreamSelection> {
        for (const app of ['x', 'y']) {
          yield {
            labels: { app },
            entries: (async function* () {
              for (let i = 0; i < 100_000; i++) {
                pulled++
                yield [e(i, `${app}${i}`)]
              }
            })(),
          }
        }
      },
    }
    const stats = newQueryStats()
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 5, direction: 'forward' }, big, stats, opts)
    expect(r.streams.flatMap((s) => s.entries)).toHaveLength(5)
    expect(pulled).toBeLessThanOrEqual(9)
    expect(stats.entriesReturned).toBe(5)
    expect(stats.linesProcessed).toBe(pulled)
  })
})

describe('interval across the 1h split', () => {
  const H = 3600n * S
  const s = new MemorySource([
    { labels: { app: 'a' }, entries: [e(3500, 'x1'), e(3650, 'x2'), e(3700, 'x3'), e(4000, 'x4')] },
  ])
  it('each hour restarts the interval at its own first entry (forward)', async () => {
    const r = await evaluateLogQuery(sel({}), { start: 0n, end: 2n * H, limit: 10, direction: 'forward', intervalMs: 300_000 }, s, newQueryStats(), opts)
    expect(r.streams[0]?.entries.map((x) => x.line)).toEqual(['x1', 'x2', 'x4'])
  })
  it('backward reads the newest hour first', async () => {
    const r = await evaluateLogQuery(sel({}), { start: 0n, end: 2n * H, limit: 2, direction: 'backward', intervalMs: 300_000 }, s, newQueryStats(), opts)
    expect(r.streams[0]?.entries.map((x) => x.line)).toEqual(['x4', 'x3'])
  })
  it('splitMs 0 keeps one interval chain', async () => {
    const r = await evaluateLogQuery(sel({}), { start: 0n, end: 2n * H, limit: 10, direction: 'forward', intervalMs: 300_000 }, s, newQueryStats(), { ...opts, splitMs: 0 })
    expect(r.streams[0]?.entries.map((x) => x.line)).toEqual(['x1', 'x4'])
  })
})

describe('per-stream limit hint', () => {
  it.each([
    { name: 'bare selector', expr: sel({}), hint: 10 },
    { name: 'leading line filter', expr: sel({}, contains('x')), hint: 10 },
    { name: 'parser only', expr: sel({}, logfmt), hint: 10 },
    { name: 'label filter drops lines', expr: sel({}, logfmt, { kind: 'LabelFilterExpr' as const, filter: { kind: 'StringLabelFilter' as const, matcher: { type: '=' as const, name: 'a', value: 'b' } } }), hint: undefined },
    { name: 'line filter after a parser', expr: sel({}, logfmt, contains('x')), hint: undefined },
  ])('$name', async ({ expr, hint }) => {
    const s = new MemorySource([])
    await evaluateLogQuery(expr, { ...all, limit: 10, direction: 'forward' }, s, newQueryStats(), opts)
    expect(s.requests[0]?.limitPerStream).toBe(hint)
  })
})

describe('cancellation', () => {
  it('an aborted signal rejects the log query', async () => {
    const ac = new AbortController()
    ac.abort()
    const err = await evaluateLogQuery(sel({}), { ...all, limit: 10, direction: 'forward' }, src, newQueryStats(), { ...opts, signal: ac.signal }).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(QueryError)
    expect((err as QueryError).status).toBe(499)
  })
})

describe('entries sharing a timestamp (Loki 3.7.6 merge order)', () => {
  const at = (line: string, meta?: Record<string, string>): LogEntry => e(5, line, meta)
  it('orders one stream’s entries by their label string, keeping push order among equal label sets', async () => {
    const src = new MemorySource([{ labels: { app: 'a' }, entries: [at('1', { t: 'b' }), at('2'), at('3', { t: 'a' }), at('4', { t: 'b' })] }])
    for (const direction of ['forward', 'backward'] as const) {
      const r = await evaluateLogQuery(sel({}), { ...all, limit: 3, direction }, src, newQueryStats(), opts)
      const lines = r.streams.flatMap((s) => s.entries.map((x) => x.line)).sort()
      // {app="a", t="a"} < {app="a", t="b"} < {app="a"}: the limit keeps 3, 1 and 4, never 2.
      expect(lines).toEqual(['1', '3', '4'])
    }
  })
  it('orders streams at one timestamp by the hash of their labels, not by their label string', async () => {
    // labelsHash({app:"eqts",pod:"a",service_name:"eqts"}) < … pod "b" < … pod "c" (with level "info").
    const src = new MemorySource([
      { labels: { app: 'eqts', pod: 'c', level: 'info', service_name: 'eqts' }, entries: [at('c')] },
      { labels: { app: 'eqts', pod: 'b', service_name: 'eqts' }, entries: [at('b')] },
      { labels: { app: 'eqts', pod: 'a', service_name: 'eqts' }, entries: [at('a')] },
    ])
    const r = await evaluateLogQuery(sel({}), { ...all, limit: 2, direction: 'backward' }, src, newQueryStats(), opts)
    expect(r.streams.flatMap((s) => s.entries.map((x) => x.line)).sort()).toEqual(['a', 'b'])
  })
})
