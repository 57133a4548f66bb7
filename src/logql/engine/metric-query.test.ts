/**
 * Metric queries over an in-memory source: step alignment and windows, offset, grouping and
 * pushdown, pipeline errors, series limits, instant ordering and scalars, the sharded
 * avg_over_time plan and guards.
 */
import { describe, expect, it } from 'vitest'
import { LimitError, PipelineError, QueryError } from './errors'
import { MemorySource } from '../../../test/support/memory-source'
import { evaluateInstantQuery, evaluateRangeQuery, INSTANT_SCALAR_TIME_MS } from './metric-query'
import { agg, bin, by, contains, labelEq, lit, logfmt, range, sel, vec, without } from '../../../test/support/engine-ast'
import { testPipelines } from '../../../test/support/engine-pipelines'
import type { MetricResult } from './value'

const S = 1_000_000_000n
const MIN = 60_000

/** Entries at the given seconds (relative to 0) with optional lines and metadata. */
function stream(labels: Record<string, string>, at: Array<number | [number, string, Record<string, string>?]>) {
  return {
    labels,
    entries: at.map((x) => {
      const [sec, line, md] = typeof x === 'number' ? [x, `line at ${x}`, undefined] : x
      return { ts: BigInt(Math.round(sec * 1e9)), line, metadata: md ? Object.entries(md) : undefined }
    }),
  }
}

const opts = { pipelines: testPipelines() }

function matrix(r: MetricResult) {
  if (r.resultType !== 'matrix') throw new Error('not a matrix')
  return r.result.map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t / 1000, v]) }))
}

function vector(r: MetricResult) {
  if (r.resultType !== 'vector') throw new Error('not a vector')
  return r.result.map((s) => [s.metric, s.value])
}

describe('range query steps and windows', () => {
  const src = new MemorySource([
    stream({ app: 'a' }, [0, 59.999, 60, 61, 119, 120, 300]),
    stream({ app: 'b' }, [30]),
  ])

  it('count_over_time[1m] at aligned steps; window is (t-1m, t]', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN), { start: 0n, end: 180n * S, stepMs: MIN }, src, {}, opts)
    // t=0: {0}; t=60: (0,60] = 59.999, 60; t=120: 61,119,120; t=180: none
    expect(matrix(r)).toEqual([{ metric: { app: 'a' }, values: [[0, 1], [60, 2], [120, 3]] }])
  })

  it('start is aligned down and end up to the step', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN), { start: 30n * S, end: 100n * S, stepMs: MIN }, src, {}, opts)
    expect(matrix(r)[0]?.values.map((v) => v[0])).toEqual([0, 60, 120])
  })

  it('offset shifts the window back', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN, { offsetMs: MIN }), { start: 120n * S, end: 180n * S, stepMs: MIN }, src, {}, opts)
    // t=120 → (0,60]: 2 ; t=180 → (60,120]: 3
    expect(matrix(r)).toEqual([{ metric: { app: 'a' }, values: [[120, 2], [180, 3]] }])
  })

  it('overlapping windows (range > step) count a line in every window holding it', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'b' }), 2 * MIN), { start: 0n, end: 180n * S, stepMs: MIN }, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'b' }, values: [[60, 1], [120, 1]] }])
  })

  it('the source is asked for (first−range−offset, last−offset]', async () => {
    const s = new MemorySource([])
    await evaluateRangeQuery(range('rate', sel({ app: 'a' }), MIN, { offsetMs: 1000 }), { start: 60n * S, end: 120n * S, stepMs: MIN }, s, {}, opts)
    expect(s.requests[0]).toMatchObject({ start: 60n * S - 61n * S + 1n, end: 119n * S + 1n, direction: 'forward' })
  })

  it('rate divides by the range in seconds', async () => {
    const r = await evaluateRangeQuery(range('rate', sel({ app: 'a' }), MIN), { start: 120n * S, end: 120n * S, stepMs: MIN }, src, {}, opts)
    expect(matrix(r)[0]?.values).toEqual([[120, 0.05]])
  })

  it('absent_over_time gives 1 with the equality matchers where nothing matched', async () => {
    const r = await evaluateRangeQuery(range('absent_over_time', sel({ app: 'a' }, contains('nothing')), MIN), { start: 0n, end: 120n * S, stepMs: MIN }, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'a' }, values: [[0, 1], [60, 1], [120, 1]] }])
  })

  it('absent_over_time is empty where lines exist', async () => {
    const r = await evaluateRangeQuery(range('absent_over_time', sel({ app: 'a' }), MIN), { start: 0n, end: 120n * S, stepMs: MIN }, src, {}, opts)
    expect(matrix(r)).toEqual([])
  })

  it('zero step is rejected', async () => {
    await expect(evaluateRangeQuery(vec(1), { start: 0n, end: S, stepMs: 0 }, src, {}, opts)).rejects.toThrow(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    )
  })
})

describe('structured metadata and grouping', () => {
  const src = new MemorySource([
    stream({ app: 'w', env: 'prod' }, [[10, 'a', { pod: 'p1' }], [20, 'b', { pod: 'p2' }], [30, 'c', { pod: 'p1' }]]),
    stream({ app: 'w', env: 'dev' }, [[15, 'd', { pod: 'p1' }]]),
  ])
  const q = { start: 60n * S, end: 60n * S, stepMs: MIN }

  it('metadata splits series', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'w', env: 'prod' }), MIN), q, src, {}, opts)
    expect(matrix(r).map((s) => [s.metric.pod, s.values[0]?.[1]])).toEqual([['p1', 2], ['p2', 1]])
  })

  it('sum by (pod)', async () => {
    const r = await evaluateRangeQuery(agg('sum', range('count_over_time', sel({ app: 'w' }), MIN), by('pod')), q, src, {}, opts)
    expect(matrix(r)).toEqual([
      { metric: { pod: 'p1' }, values: [[60, 3]] },
      { metric: { pod: 'p2' }, values: [[60, 1]] },
    ])
  })

  it('sum without (pod, env)', async () => {
    const r = await evaluateRangeQuery(agg('sum', range('count_over_time', sel({ app: 'w' }), MIN), without('pod', 'env')), q, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'w' }, values: [[60, 4]] }])
  })

  it('a range aggregation grouping reduces the series of the window', async () => {
    const r = await evaluateRangeQuery(
      range('max_over_time', sel({ app: 'w' }, logfmt), MIN, { unwrap: 'n', grouping: by('env') }),
      q,
      new MemorySource([stream({ app: 'w', env: 'prod' }, [[1, 'n=3'], [2, 'n=7']]), stream({ app: 'w', env: 'dev' }, [[3, 'n=1']])]),
      {},
      opts,
    )
    expect(matrix(r)).toEqual([
      { metric: { env: 'dev' }, values: [[60, 1]] },
      { metric: { env: 'prod' }, values: [[60, 7]] },
    ])
  })

  it('the unwrapped label leaves the series labels', async () => {
    const r = await evaluateRangeQuery(
      range('sum_over_time', sel({ app: 'w' }, logfmt), MIN, { unwrap: 'n' }),
      q,
      new MemorySource([stream({ app: 'w' }, [[1, 'n=3 k=x'], [2, 'n=7 k=x']])]),
      {},
      opts,
    )
    expect(matrix(r)).toEqual([{ metric: { app: 'w', k: 'x' }, values: [[60, 10]] }])
  })
})

describe('pipeline errors', () => {
  const src = new MemorySource([stream({ app: 'x' }, [[1, 'n=1'], [2, 'not logfmt'], [3, 'n=2']])])
  const q = { start: 60n * S, end: 60n * S, stepMs: MIN }

  it('a sample carrying __error__ fails with the pipeline error', async () => {
    const err = await evaluateRangeQuery(range('count_over_time', sel({ app: 'x' }, logfmt), MIN), q, src, {}, opts).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PipelineError)
    expect((err as PipelineError).status).toBe(400)
    expect((err as PipelineError).message).toBe(
      `pipeline error: 'LogfmtParserErr' for series: '{__error__="LogfmtParserErr", app="x"}'.\n` +
        'Use a label filter to intentionally skip this error. (e.g | __error__!="LogfmtParserErr").\n' +
        'To skip all potential errors you can match empty errors.(e.g __error__="")\n' +
        'The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )\n',
    )
  })

  it('filtering __error__ avoids it', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'x' }, logfmt, labelEq('__error__', '')), MIN), q, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'x', n: '1' }, values: [[60, 1]] }, { metric: { app: 'x', n: '2' }, values: [[60, 1]] }])
  })

  it('sum() over a count whose parser Loki skips ignores the error', async () => {
    const r = await evaluateRangeQuery(agg('sum', range('count_over_time', sel({ app: 'x' }, logfmt), MIN)), q, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: {}, values: [[60, 3]] }])
  })

  it('sum() lets a parser error through even after a label filter', async () => {
    const r = await evaluateRangeQuery(agg('sum', range('count_over_time', sel({ app: 'x' }, logfmt, labelEq('n', '1', '!=')), MIN)), q, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: {}, values: [[60, 2]] }])
  })

  it('sum() still fails on a conversion error', async () => {
    const bad = new MemorySource([stream({ app: 'x' }, [[1, 'n=1'], [2, 'n=abc']])])
    const err = await evaluateRangeQuery(agg('sum', range('sum_over_time', sel({ app: 'x' }, logfmt), MIN, { unwrap: 'n' })), q, bad, {}, opts).catch((e: unknown) => e)
    expect((err as PipelineError).errorType).toBe('SampleExtractionErr')
  })

  it('sum by (n) still fails', async () => {
    await expect(evaluateRangeQuery(agg('sum', range('count_over_time', sel({ app: 'x' }, logfmt), MIN), by('n')), q, src, {}, opts)).rejects.toBeInstanceOf(PipelineError)
  })

  it('an error outside every window does not count', async () => {
    const r = await evaluateRangeQuery(range('count_over_time', sel({ app: 'x' }, logfmt), 1000), { start: 1n * S, end: 1n * S, stepMs: 1000 }, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'x', n: '1' }, values: [[1, 1]] }])
  })
})

describe('series limit', () => {
  const src = new MemorySource(Array.from({ length: 5 }, (_, i) => stream({ app: 'a', i: String(i) }, [1])))
  it.each([
    { limit: 4, fails: true },
    { limit: 5, fails: false },
    { limit: 0, fails: false },
  ])('max_query_series=$limit with 5 series', async ({ limit, fails }) => {
    const p = evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN), { start: 60n * S, end: 60n * S, stepMs: MIN }, src, { maxQuerySeries: limit }, opts)
    if (fails) {
      await expect(p).rejects.toBeInstanceOf(LimitError)
      await expect(p).rejects.toThrow(`maximum number of series (${limit}) reached for a single query; consider reducing query cardinality`)
    } else await expect(p).resolves.toMatchObject({ resultType: 'matrix' })
  })
  it('aggregating below the limit passes', async () => {
    const r = await evaluateRangeQuery(agg('count', range('count_over_time', sel({ app: 'a' }), MIN)), { start: 60n * S, end: 60n * S, stepMs: MIN }, src, { maxQuerySeries: 2 }, opts)
    expect(matrix(r)).toEqual([{ metric: {}, values: [[60, 5]] }])
  })
})

describe('instant queries', () => {
  const src = new MemorySource([
    stream({ app: 'c' }, [1, 2, 3]),
    stream({ app: 'a' }, [1]),
    stream({ app: 'b' }, [1, 2]),
  ])
  const at = { time: 60n * S }

  it('a vector at time, sorted by labels', async () => {
    const r = await evaluateInstantQuery(range('count_over_time', sel({}), MIN), at, new MemorySource([]), {}, opts)
    expect(vector(r)).toEqual([])
    const r2 = await evaluateInstantQuery(agg('sum', range('count_over_time', sel({}), MIN), by('app')), at, src, {}, opts)
    expect(r2).toEqual({ resultType: 'vector', result: [
      { metric: { app: 'a' }, timeMs: 60_000, value: 1 },
      { metric: { app: 'b' }, timeMs: 60_000, value: 2 },
      { metric: { app: 'c' }, timeMs: 60_000, value: 3 },
    ] })
  })

  it('topk results are ordered by labels', async () => {
    const r = await evaluateInstantQuery(agg('topk', range('count_over_time', sel({}), MIN), null, 2), at, src, {}, opts)
    expect(vector(r)).toEqual([[{ app: 'b' }, 2], [{ app: 'c' }, 3]])
  })

  it('sort_desc keeps value order', async () => {
    const r = await evaluateInstantQuery(agg('sort_desc', range('count_over_time', sel({}), MIN)), at, src, {}, opts)
    expect(vector(r).map((x) => x[1])).toEqual([3, 2, 1])
  })

  it('sort ascending', async () => {
    const r = await evaluateInstantQuery(agg('sort', range('count_over_time', sel({}), MIN)), at, src, {}, opts)
    expect(vector(r).map((x) => x[1])).toEqual([1, 2, 3])
  })

  it('a literal expression is a scalar with Loki’s fixed timestamp', async () => {
    const r = await evaluateInstantQuery(bin('+', lit(1), bin('*', lit(2), lit(3))), at, src, {}, opts)
    expect(r).toEqual({ resultType: 'scalar', timeMs: INSTANT_SCALAR_TIME_MS, value: 7 })
  })

  it('vector(1)+vector(1) at the health-check time', async () => {
    const r = await evaluateInstantQuery(bin('+', vec(1), vec(1)), { time: 4_000_000_000n * S }, src, {}, opts)
    expect(r).toEqual({ resultType: 'vector', result: [{ metric: {}, timeMs: 4_000_000_000_000, value: 2 }] })
  })

  it('an unaligned time keeps its milliseconds', async () => {
    const r = await evaluateInstantQuery(vec(3), { time: 1_500_500_000n }, src, {}, opts)
    expect(r.resultType === 'vector' && r.result[0]?.timeMs).toBe(1500)
  })

  it('a log query is rejected', async () => {
    await expect(evaluateInstantQuery(sel({ app: 'a' }), at, src, {}, opts)).rejects.toThrow(
      'log queries are not supported as an instant query type, please change your query to a range query type',
    )
  })
})

describe('scalars in range queries', () => {
  it('a literal fills every step', async () => {
    const r = await evaluateRangeQuery(lit(5), { start: 0n, end: 120n * S, stepMs: MIN }, new MemorySource([]), {}, opts)
    expect(matrix(r)).toEqual([{ metric: {}, values: [[0, 5], [60, 5], [120, 5]] }])
  })
  it('vector(5) fills every step', async () => {
    const r = await evaluateRangeQuery(vec(5), { start: 0n, end: 60n * S, stepMs: MIN }, new MemorySource([]), {}, opts)
    expect(matrix(r)).toEqual([{ metric: {}, values: [[0, 5], [60, 5]] }])
  })
  it('approx_topk is refused in range queries', async () => {
    await expect(evaluateRangeQuery(agg('approx_topk', vec(1), null, 1), { start: 0n, end: 60n * S, stepMs: MIN }, new MemorySource([]), {}, opts)).rejects.toBeInstanceOf(QueryError)
  })
})

describe('avg_over_time with grouping runs as sum / count (the sharded plan)', () => {
  const src = new MemorySource([
    stream({ app: 'w', env: 'prod' }, [[1, 'n=4'], [2, 'n=8'], [3, 'other=1']]),
    stream({ app: 'w', env: 'dev' }, [[4, 'n=3']]),
  ])
  const q = { start: 60n * S, end: 60n * S, stepMs: MIN }
  it('lines without the unwrapped label count in the denominator', async () => {
    const r = await evaluateRangeQuery(range('avg_over_time', sel({ app: 'w' }, logfmt), MIN, { unwrap: 'n', grouping: by('env') }), q, src, {}, opts)
    expect(matrix(r)).toEqual([
      { metric: { env: 'dev' }, values: [[60, 3]] },
      { metric: { env: 'prod' }, values: [[60, 4]] },
    ])
  })
  it('without grouping it is a plain average per series', async () => {
    const r = await evaluateRangeQuery(range('avg_over_time', sel({ app: 'w', env: 'prod' }, logfmt), MIN, { unwrap: 'n' }), q, src, {}, opts)
    expect(matrix(r)).toEqual([{ metric: { app: 'w', env: 'prod' }, values: [[60, 6]] }])
  })
  it('post-unwrap filters do not protect the count from parse errors', async () => {
    const bad = new MemorySource([stream({ app: 'w' }, [[1, 'n=4'], [2, 'garbage']])])
    const e = range('avg_over_time', sel({ app: 'w' }, logfmt), MIN, { unwrap: 'n', grouping: by('app'), postFilters: [labelEq('__error__', '')] })
    await expect(evaluateRangeQuery(e, q, bad, {}, opts)).rejects.toBeInstanceOf(PipelineError)
  })
})

describe('which error is reported', () => {
  it('the error of the earliest step wins, whatever the stream order', async () => {
    const src = new MemorySource([
      stream({ app: 'late' }, [[150, 'broken late']]),
      stream({ app: 'early' }, [[30, 'broken early']]),
    ])
    const err = await evaluateRangeQuery(range('count_over_time', sel({}, logfmt), MIN), { start: 0n, end: 180n * S, stepMs: MIN }, src, {}, opts).catch((e: unknown) => e)
    expect((err as PipelineError).series).toMatchObject({ app: 'early' })
  })
})

describe('guards', () => {
  const src = new MemorySource(Array.from({ length: 4 }, (_, i) => stream({ app: 'a', i: String(i) }, [1, 2])))
  const q = { start: 0n, end: 600n * S, stepMs: MIN }
  it('series × steps above maxSamplesInMemory is a limit error', async () => {
    const p = evaluateRangeQuery(agg('max', range('count_over_time', sel({ app: 'a' }), MIN)), q, src, { maxSamplesInMemory: 30 }, opts)
    await expect(p).rejects.toBeInstanceOf(LimitError)
    await expect(p).rejects.toThrow('the query would hold more than 30 samples in memory (3 series × 11 steps)')
  })
  it('an aborted signal stops evaluation with its reason', async () => {
    const ac = new AbortController()
    ac.abort(new QueryError('request timed out', 504))
    await expect(evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN), q, src, {}, { ...opts, signal: ac.signal })).rejects.toThrow('request timed out')
  })
  it('an abort without a reason is the client cancel (499)', async () => {
    const ac = new AbortController()
    ac.abort()
    const err = await evaluateRangeQuery(range('count_over_time', sel({ app: 'a' }), MIN), q, src, {}, { ...opts, signal: ac.signal }).catch((e: unknown) => e)
    expect((err as QueryError).status).toBe(499)
  })
})
