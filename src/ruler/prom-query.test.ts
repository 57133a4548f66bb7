import { describe, expect, it } from 'vitest'
import { instantResponse, parseSelector, PromQueryError, rangeResponse, type StoredSeries } from './prom-query'

const MIN = 60_000
const T = 1_800_000_000_000
const series: StoredSeries[] = [
  { labels: { __name__: 'job:errors', app: 'api' }, samples: [{ ts: T - 10 * MIN, value: 1 }, { ts: T - 2 * MIN, value: 2 }, { ts: T, value: 3.5 }] },
  { labels: { __name__: 'job:errors', app: 'web' }, samples: [{ ts: T - 6 * MIN, value: 7 }] },
]

describe('selectors', () => {
  it('reads a metric name, matchers and a range', () => {
    expect(parseSelector('job:errors')).toEqual({ matchers: [{ type: '=', name: '__name__', value: 'job:errors' }], rangeMs: null })
    expect(parseSelector(' job:errors{app=~"a.*", env!="dev"}[5m] ')).toEqual({
      matchers: [{ type: '=', name: '__name__', value: 'job:errors' }, { type: '=~', name: 'app', value: 'a.*' }, { type: '!=', name: 'env', value: 'dev' }],
      rangeMs: 5 * MIN,
    })
    expect(parseSelector('{__name__="x"}').matchers).toEqual([{ type: '=', name: '__name__', value: 'x' }])
  })

  it.each([
    ['', 'parse error: no expression found in input'],
    ['{app=""}', 'parse error: vector selector must contain at least one non-empty matcher'],
    ['sum(job:errors)', 'parse error: only vector and range vector selectors of recorded series are supported'],
    ['x[5x]', 'parse error: bad number or duration syntax: "5x"'],
    ['x{__name__="y"}', 'parse error: metric name must not be set twice: "x"'],
  ])('refuses %j', (q, text) => {
    expect(() => parseSelector(q)).toThrow(PromQueryError)
    expect(() => parseSelector(q)).toThrow(text)
  })
})

describe('answers', () => {
  it('an instant vector takes the latest sample within five minutes', () => {
    const body = JSON.parse(instantResponse(parseSelector('job:errors'), series, T - MIN))
    expect(body).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: series[0]?.labels, value: [(T - MIN) / 1000, '2'] }] } })
  })

  it('a range vector holds the samples after its start up to the time', () => {
    const body = JSON.parse(instantResponse(parseSelector('job:errors[10m]'), series, T))
    expect(body.data).toEqual({
      resultType: 'matrix',
      result: [
        { metric: series[0]?.labels, values: [[(T - 2 * MIN) / 1000, '2'], [T / 1000, '3.5']] },
        { metric: series[1]?.labels, values: [[(T - 6 * MIN) / 1000, '7']] },
      ],
    })
  })

  it('a range query evaluates each step, leaving out series without points', () => {
    const body = JSON.parse(rangeResponse(parseSelector('job:errors{app="web"}'), series.slice(1), T - 6 * MIN, T, 2 * MIN))
    expect(body.data.result).toEqual([{ metric: series[1]?.labels, values: [[(T - 6 * MIN) / 1000, '7'], [(T - 4 * MIN) / 1000, '7'], [(T - 2 * MIN) / 1000, '7']] }])
    expect(() => rangeResponse(parseSelector('x[1m]'), [], T, T, MIN)).toThrow('invalid expression type "range vector" for range query')
  })
})
