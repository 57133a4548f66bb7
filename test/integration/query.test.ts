import { describe, expect, it } from 'vitest'
import { call, json, pushJson } from '../helpers'

interface StreamsBody {
  status: string
  data: {
    resultType: string
    encodingFlags?: string[]
    result: Array<{ stream: Record<string, string>; values: Array<[string, string] | [string, string, Record<string, unknown>]> }>
    stats: { summary: { totalLinesProcessed: number } }
  }
}

const T0 = BigInt(Date.now() - 120_000) * 1_000_000n
const ts = (i: number): string => (T0 + BigInt(i) * 1_000_000_000n).toString()

async function seed(app: string): Promise<void> {
  const res = await pushJson([
    {
      stream: { app, env: 'prod' },
      values: [
        [ts(0), 'level=info msg="started" status=200'],
        [ts(1), 'level=error msg="timeout talking to db" status=500', { trace_id: 't-1' }],
        [ts(2), 'level=info msg="ok" status=200'],
        [ts(3), 'level=error msg="connection refused" status=503'],
      ],
    },
  ])
  expect(res.status).toBe(204)
}

function rangeQuery(query: string, extra: Record<string, string> = {}): string {
  return `/loki/api/v1/query_range?${new URLSearchParams({ query, since: '1h', ...extra })}`
}

describe('log queries', () => {
  it('returns streams split by structured metadata with 2-tuples, newest first', async () => {
    await seed('q1')
    const body = await json<StreamsBody>(await call(rangeQuery('{app="q1"}')))
    expect(body.data.resultType).toBe('streams')
    const all = body.data.result.flatMap((s) => s.values)
    expect(all.every((v) => v.length === 2)).toBe(true)
    const withTrace = body.data.result.find((s) => s.stream.trace_id === 't-1')
    expect(withTrace?.values.map((v) => v[1])).toEqual(['level=error msg="timeout talking to db" status=500'])
    const first = body.data.result.find((s) => s.stream.detected_level === 'info')
    expect(first?.values.map((v) => v[0])).toEqual([ts(2), ts(0)])
  })

  it('applies line filters and parsers with label filters', async () => {
    await seed('q2')
    const body = await json<StreamsBody>(await call(rangeQuery('{app="q2"} |= "error" | logfmt | status >= 503')))
    const lines = body.data.result.flatMap((s) => s.values.map((v) => v[1]))
    expect(lines).toEqual(['level=error msg="connection refused" status=503'])
  })

  it('honours limit across streams and direction', async () => {
    await seed('q3')
    const body = await json<StreamsBody>(await call(rangeQuery('{app="q3"}', { limit: '2', direction: 'forward' })))
    const got = body.data.result.flatMap((s) => s.values.map((v) => v[0])).sort()
    expect(got).toEqual([ts(0), ts(1)])
  })

  it('puts encodingFlags before result and 3-tuples under categorize-labels', async () => {
    await seed('q4')
    const res = await call(rangeQuery('{app="q4"} | logfmt'), { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } })
    const text = await res.text()
    expect(text.indexOf('"encodingFlags"')).toBeLessThan(text.indexOf('"result"'))
    const body = JSON.parse(text) as StreamsBody
    for (const s of body.data.result) {
      expect(Object.keys(s.stream).sort()).toEqual(['app', 'env', 'service_name'])
      for (const v of s.values) expect(v).toHaveLength(3)
    }
  })

  it('rejects bad parameters with Loki\'s texts', async () => {
    const cases: Array<[string, string]> = [
      [rangeQuery('{app="x"}', { limit: '0' }), 'limit must be a positive value'],
      [rangeQuery('{app="x"}', { direction: 'sideways' }), "invalid direction 'sideways'"],
      [rangeQuery('{app=~".*"}'), 'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will'],
      [rangeQuery('{app="x"} |= '), 'parse error at line 1, col 14: syntax error: unexpected $end, expecting STRING or ip'],
      [`/loki/api/v1/query_range?${new URLSearchParams({ query: '{app="x"}', start: 'yesterday' })}`, `could not parse 'start' parameter: strconv.ParseInt: parsing "yesterday": invalid syntax`],
      [rangeQuery('{app="x"}', { limit: '6000' }), 'max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)'],
      [`/loki/api/v1/query?${new URLSearchParams({ query: '{app="x"}' })}`, 'log queries are not supported as an instant query type, please change your query to a range query type'],
    ]
    for (const [path, text] of cases) {
      const res = await call(path)
      expect(res.status, path).toBe(400)
      expect(res.headers.get('Content-Type')).toContain('text/plain')
      expect((await res.text()).trim()).toBe(text)
    }
  })
})

describe('metric queries', () => {
  it('answers Grafana\'s health check with 2', async () => {
    const res = await call('/loki/api/v1/query?query=vector(1)%2Bvector(1)&time=4000000000&direction=backward')
    expect(res.status).toBe(200)
    const body = await json<{ data: { resultType: string; result: Array<{ value: [number, string] }> } }>(res)
    expect(body.data.resultType).toBe('vector')
    expect(body.data.result).toHaveLength(1)
    expect(body.data.result[0]?.value[1]).toBe('2')
  })

  it('counts lines by label over a range, with step-aligned timestamps', async () => {
    await seed('m1')
    const start = Number(T0 / 1_000_000_000n) - 60
    const q = new URLSearchParams({
      query: 'sum by (detected_level) (count_over_time({app="m1"}[5m]))',
      start: String(start),
      end: String(start + 300),
      step: '60',
    })
    const body = await json<{ data: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } }>(
      await call(`/loki/api/v1/query_range?${q}`),
    )
    expect(body.data.resultType).toBe('matrix')
    const errors = body.data.result.find((s) => s.metric.detected_level === 'error')
    expect(errors?.values.at(-1)?.[1]).toBe('2')
    for (const s of body.data.result) for (const [t] of s.values) expect(t % 60).toBe(0)
  })
})

describe('query limits', () => {
  it('stops a query past query_timeout with Loki\'s 504', async () => {
    // Three head pages: the evaluation waits for the object between them, past the deadline.
    const values: Array<[string, string]> = Array.from({ length: 12_000 }, (_, i) => [(T0 + BigInt(i) * 1_000_000n).toString(), `line ${i}`])
    await pushJson([{ stream: { app: 'slow' }, values }])
    const res = await call(rangeQuery('sum(count_over_time({app="slow"}[1m]))', { step: '60' }), { vars: { query_timeout: '1ms' } })
    expect(res.status).toBe(504)
    expect(await res.text()).toBe(
      'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed',
    )
  })

  it('caps the number of series selectors', async () => {
    const q = new URLSearchParams([['match[]', '{a="1"}'], ['match[]', '{a="2"}']])
    const res = await call(`/loki/api/v1/series?${q}`, { vars: { max_streams_matchers_per_query: '1' } })
    expect(res.status).toBe(400)
    expect(await res.text()).toBe('max streams matchers per query exceeded, matchers-count > limit (2 > 1)')
  })
})
