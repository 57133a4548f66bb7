import { describe, expect, it } from 'vitest'
import syntaxErrors from '../../../test/fixtures/explore/syntax-errors.json'
import { completionAt, errorOffset, highlightSpans, isMetricQuery, withMatcher } from './query-text.mjs'

describe('isMetricQuery', () => {
  it.each([
    ['{app="a"}', false],
    ['{app="a"} |= "x" | json | level="error"', false],
    ['rate({app="a"}[5m])', true],
    ['sum by (level) (count_over_time({app="a"} | json [1m]))', true],
    ['topk(3, sum by (app) (rate({app=~".+"}[1m])))', true],
    ['{app="a"', false],
    ['sum(', true],
  ])('%s', (q, metric) => expect(isMetricQuery(q)).toBe(metric))
})

describe('highlightSpans', () => {
  it('colours labels, operators, strings, keywords and durations without overlaps', () => {
    const q = 'rate({app="a"} | json [5m])'
    const spans = highlightSpans(q).map((s) => [q.slice(s.from, s.to), s.cls])
    expect(spans).toEqual([
      ['rate', 'kw'],
      ['app', 'label'],
      ['=', 'op'],
      ['"a"', 'str'],
      ['|', 'op'],
      ['json', 'kw'],
      ['5m', 'num'],
    ])
  })

  it('marks where the grammar stops making sense, at least one character wide', () => {
    expect(highlightSpans('{app="a"} |= "x"').filter((s) => s.cls === 'err')).toEqual([])
    expect(highlightSpans('{app="a"} |= | json').filter((s) => s.cls === 'err')).toEqual([{ from: 13, to: 14, cls: 'err' }])
  })
})

describe('errorOffset', () => {
  it.each(syntaxErrors.cases)('points into $query as Loki 3.7.6 reported', (c) => {
    const at = errorOffset(c.query, c.body)
    const [, line, col] = /line (\d+), col (\d+)/.exec(c.body) ?? []
    const lines = c.query.split('\n')
    expect(at).toBe(Math.min(c.query.length, lines.slice(0, Number(line) - 1).join('\n').length + (Number(line) > 1 ? 1 : 0) + Number(col) - 1))
  })

  it('is null for a message without a position', () => {
    expect(errorOffset('{a="b"}', 'max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)')).toBeNull()
  })
})

describe('completionAt', () => {
  it.each([
    ['{', { kind: 'label', prefix: '', from: 1 }],
    ['{ap', { kind: 'label', prefix: 'ap', from: 1 }],
    ['{app="a", na', { kind: 'label', prefix: 'na', from: 10 }],
    ['{app="', { kind: 'value', label: 'app', prefix: '', from: 6 }],
    ['{app=~"fr', { kind: 'value', label: 'app', prefix: 'fr', from: 7 }],
    ['{app="a\\"b', { kind: 'value', label: 'app', prefix: 'a\\"b', from: 6 }],
    ['su', { kind: 'function', prefix: 'su', from: 0 }],
    ['sum(rat', { kind: 'function', prefix: 'rat', from: 4 }],
    ['{app="a"} | js', { kind: 'stage', prefix: 'js', from: 12 }],
    ['{app="a"} |', { kind: 'stage', prefix: '', from: 11 }],
    ['{app="a"} | json | l', { kind: 'stage', prefix: 'l', from: 19 }],
  ])('%s', (text, want) => expect(completionAt(text, text.length)).toEqual(want))

  it.each(['{app="a"} |= "err', '{app="a"}', '{app="a"} |= `x', '', '{app="a"} |= "x" | level="err'])('offers nothing in %s', (text) => {
    expect(completionAt(text, text.length)).toBeNull()
  })
})

describe('withMatcher', () => {
  it.each([
    ['', '{app="api"}'],
    ['{}', '{app="api"}'],
    ['{env="prod"}', '{env="prod", app="api"}'],
    ['{env="prod"} |= "x"', '{env="prod", app="api"} |= "x"'],
    ['rate({env="prod"}[5m])', 'rate({env="prod", app="api"}[5m])'],
  ])('%s', (q, want) => expect(withMatcher(q, 'app', 'api')).toBe(want))

  it('quotes a value as a LogQL string', () => {
    expect(withMatcher('', 'path', 'C:\\tmp "x"')).toBe('{path="C:\\\\tmp \\"x\\""}')
  })
})
