/**
 * Invalid LogQL and the exact message Loki returns for it (taken from Loki 3.7.6 answers and
 * Loki's parser_test.go / ast_test.go), including positions: line 0 is what Loki reports for
 * tokens its scanner finishes with Next() (ranges, durations, two-character operators).
 */

import { describe, expect, it } from 'vitest'
import { ParseError, formatParseError } from './errors'
import { parseExpr, parseLogSelector, parseMatchers, parseSampleExpr } from './parse'

function errorOf(q: string): string {
  try {
    parseExpr(q)
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError)
    return (e as Error).message
  }
  return '<no error>'
}

const EMPTY =
  'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will'

const ERRORS: readonly (readonly [string, string])[] = [
  // syntax errors with goyacc's wording and Loki's positions
  ['{app="api"} |= ', 'parse error at line 1, col 16: syntax error: unexpected $end, expecting STRING or ip'],
  ['foo_over_time({app="api"}[5m])', 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER'],
  ['unk({ foo = "bar" }[5m])', 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER'],
  ['label_replace(rate({ foo = "bar" }[5m]),"")', 'parse error at line 1, col 43: syntax error: unexpected ), expecting ,'],
  ['min({ foo = "bar" }[5m])', 'parse error at line 0, col 20: syntax error: unexpected RANGE'],
  ['{ foo = "bar" }|logfmt|addr>=ip("1.2.3.4")', 'parse error at line 1, col 30: syntax error: unexpected ip'],
  ['{ foo = "bar" }|logfmt|addr>ip("1.2.3.4")', 'parse error at line 1, col 29: syntax error: unexpected ip'],
  ['{ foo = "bar" }|logfmt|addr<=ip("1.2.3.4")', 'parse error at line 1, col 30: syntax error: unexpected ip'],
  ['{ foo = "bar" }|logfmt|addr<ip("1.2.3.4")', 'parse error at line 1, col 29: syntax error: unexpected ip'],
  ['bottomk(he,count_over_time({ foo = "bar" }[5h]))', 'parse error at line 1, col 9: syntax error: unexpected IDENTIFIER'],
  ['stddev({ foo = "bar" })', 'parse error at line 1, col 23: syntax error: unexpected )'],
  ['count without (rate({namespace="apps"}[15s]))', 'parse error at line 1, col 16: syntax error: unexpected RATE, expecting IDENTIFIER or )'],
  ['{', 'parse error at line 1, col 2: syntax error: unexpected $end, expecting IDENTIFIER or }'],
  ['{"a"="b"}', 'parse error at line 1, col 2: syntax error: unexpected STRING, expecting IDENTIFIER or }'],
  ['{app="foo"', 'parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ,'],
  ['{app="foo" x="y"}', 'parse error at line 1, col 12: syntax error: unexpected IDENTIFIER, expecting } or ,'],
  ['{app}', 'parse error at line 1, col 5: syntax error: unexpected }, expecting = or =~ or !~ or !='],
  ['{foo', 'parse error at line 1, col 5: syntax error: unexpected $end, expecting = or =~ or !~ or !='],
  ['', 'parse error : syntax error: unexpected $end'],
  [' ', 'parse error at line 1, col 2: syntax error: unexpected $end'],
  ['{app=}', 'parse error at line 1, col 6: syntax error: unexpected }, expecting STRING'],
  ['{app=~}', 'parse error at line 1, col 7: syntax error: unexpected }, expecting STRING'],
  ['{app="a",}', 'parse error at line 1, col 10: syntax error: unexpected }, expecting IDENTIFIER'],
  ['{app="a"} |= "x" or', 'parse error at line 1, col 20: syntax error: unexpected $end, expecting STRING or ip'],
  ['{app="a"} |= ip', 'parse error at line 1, col 14: syntax error: unexpected IDENTIFIER, expecting STRING or ip'],
  ['{app="a"} |= ip(', 'parse error at line 1, col 17: syntax error: unexpected $end, expecting STRING'],
  ['{app="a"} |= ip("x"', 'parse error at line 1, col 20: syntax error: unexpected $end, expecting )'],
  ['{app="a"} | ', 'parse error at line 1, col 13: syntax error: unexpected $end'],
  ['{app="a"} | regexp', 'parse error at line 1, col 19: syntax error: unexpected $end, expecting STRING'],
  ['{app="a"} | line_format', 'parse error at line 1, col 24: syntax error: unexpected $end, expecting STRING'],
  ['{app="a"} | label_format', 'parse error at line 1, col 25: syntax error: unexpected $end, expecting IDENTIFIER'],
  ['{app="a"} | label_format a', 'parse error at line 1, col 27: syntax error: unexpected $end, expecting ='],
  ['{app="a"} | label_format a=', 'parse error at line 1, col 28: syntax error: unexpected $end, expecting IDENTIFIER or STRING'],
  ['{app="a"} | drop', 'parse error at line 1, col 17: syntax error: unexpected $end, expecting IDENTIFIER'],
  ['{app="a"} | json a=', 'parse error at line 1, col 20: syntax error: unexpected $end, expecting STRING'],
  ['{app="a"} | x=~1', 'parse error at line 1, col 16: syntax error: unexpected NUMBER, expecting STRING'],
  ['{app="a"}\n| x >', 'parse error at line 2, col 6: syntax error: unexpected $end'],
  ['{app="a"} | x | y', 'parse error at line 1, col 15: syntax error: unexpected |'],
  ['{app="a"} {b="c"}', 'parse error at line 1, col 11: syntax error: unexpected {'],
  ['{app="a"} @', 'parse error at line 1, col 11: syntax error: unexpected IDENTIFIER'],
  ['{app="a"} != 1', 'parse error at line 1, col 14: syntax error: unexpected NUMBER, expecting STRING or ip'],
  ['rate({app="a"}[5m]', 'parse error at line 1, col 19: syntax error: unexpected $end'],
  ['rate(', 'parse error at line 1, col 6: syntax error: unexpected $end, expecting NUMBER or { or ('],
  ['sum by (a', 'parse error at line 1, col 10: syntax error: unexpected $end, expecting , or )'],
  ['sum by', 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER'],
  ['sum(rate({a="b"}[5m])', 'parse error at line 1, col 22: syntax error: unexpected $end'],
  ['sum(rate({a="b"}[5m])) )', 'parse error at line 1, col 24: syntax error: unexpected )'],
  ['sum(rate({a="b"}[5m])) by (x) by (y)', 'parse error at line 1, col 31: syntax error: unexpected by'],
  ['vector()', 'parse error at line 1, col 8: syntax error: unexpected ), expecting NUMBER'],
  ['vector(-1)', 'parse error at line 1, col 8: syntax error: unexpected -, expecting NUMBER'],
  ['- vector(1)', 'parse error at line 1, col 3: syntax error: unexpected VECTOR, expecting NUMBER'],
  ['count_over_time({a="b"}[5m] offset)', 'parse error at line 1, col 35: syntax error: unexpected ), expecting DURATION'],
  ['sum_over_time({a="b"} | unwrap [5m])', 'parse error at line 0, col 32: syntax error: unexpected RANGE, expecting IDENTIFIER or BYTES_CONV or DURATION_CONV or DURATION_SECONDS_CONV'],
  ['sum_over_time({a="b"} | unwrap x | json [5m])', 'parse error at line 1, col 36: syntax error: unexpected json, expecting IDENTIFIER or ('],
  // lexical errors
  ['rate({ foo = "bar" }[5minutes])', 'parse error at line 0, col 21: unknown unit "minutes" in duration "5minutes"'],
  ['rate({ foo = "bar" }[5)', "parse error at line 0, col 21: missing closing ']' in duration"],
  ['{app="a', 'parse error at line 1, col 6: literal not terminated'],
  ['{app="a\nb"}', 'parse error at line 1, col 6: literal not terminated'],
  ['{app=`a', 'parse error at line 1, col 6: literal not terminated'],
  ['{app="\\d"}', 'parse error at line 1, col 6: invalid char escape'],
  ['{app="a"} |~ "\\w+"', 'parse error at line 1, col 14: invalid char escape'],
  ['{app="\\400"}', 'parse error at line 1, col 6: invalid syntax'],
  ['{app="a"} /* open', 'parse error at line 1, col 11: comment not terminated'],
  // deferred semantic errors
  ['absent_over_time({ foo = "bar" }[5h]) by (foo)', 'parse error : grouping not allowed for absent_over_time aggregation'],
  ['count_over_time({app="api"}[5m]) by (cluster)', 'parse error : grouping not allowed for count_over_time aggregation'],
  ['rate({app="api"}[5m]) without (cluster)', 'parse error : grouping not allowed for rate aggregation'],
  ['sum_over_time({a="b"} | unwrap x [5m]) by (c)', 'parse error : grouping not allowed for sum_over_time aggregation'],
  ['approx_topk(2, count_over_time({ foo = "bar" }[5h])) by (foo)', 'parse error : grouping not allowed for approx_topk aggregation'],
  ['count_over_time({app="api"} | json | unwrap latency_ms [5m])', 'parse error : invalid aggregation count_over_time with unwrap'],
  ['bytes_rate({app="api"} | unwrap x [5m])', 'parse error : invalid aggregation bytes_rate with unwrap'],
  ['sum_over_time({app="foo"} |= "bar" | json [5m])', 'parse error : invalid aggregation sum_over_time without unwrap'],
  ['avg_over_time({app="foo"}[5m])', 'parse error : invalid aggregation avg_over_time without unwrap'],
  ['rate_counter({app="foo"}[5m])', 'parse error : invalid aggregation rate_counter without unwrap'],
  ['quantile_over_time({a="b"} | unwrap x [5m])', 'parse error : parameter required for operation quantile_over_time'],
  ['rate(0.5, {a="b"}[5m])', 'parse error : parameter 0.5 not supported for operation rate'],
  ['sum(3 ,count_over_time({ foo = "bar" }[5h]))', 'parse error : unsupported parameter for operation sum(3,'],
  ['topk(count_over_time({ foo = "bar" }[5h]))', 'parse error : parameter required for operation topk'],
  ['bottomk(1.2,count_over_time({ foo = "bar" }[5h]))', 'parse error : invalid parameter bottomk(1.2,'],
  ['topk(0, sum(rate({region="us-east1"}[5m])) by (name))', 'parse error : invalid parameter (must be greater than 0) topk(0'],
  ['bottomk by (name)(0,sum(rate({region="us-east1"}[5m])))', 'parse error : invalid parameter (must be greater than 0) bottomk(0'],
  [
    'label_replace(rate({ foo = "bar" }[5m]),"foo","$1","bar","^^^^x43\\\\q")',
    'parse error : invalid regex in label_replace: error parsing regexp: invalid escape sequence: `\\q`',
  ],
  ['{a="b"} + 1', 'parse error : unexpected type for left leg of binary operation (+): *syntax.MatchersExpr'],
  ['1 + {a="b"} |= "x"', 'parse error : unexpected type for right leg of binary operation (+): *syntax.PipelineExpr'],
  ['1 and sum(rate({a="b"}[5m]))', 'parse error : unexpected literal for left leg of logical/set binary operation (and): 1.000000'],
  ['vector(1) or 2', 'parse error : unexpected literal for right leg of logical/set binary operation (or): 2.000000'],
  // regex errors raised while building matchers and parser stages
  ['{app=~"("}', 'parse error : error parsing regexp: missing closing ): `(`'],
  ['{app!~"a**"}', 'parse error : error parsing regexp: invalid nested repetition operator: `**`'],
  ['{app="a"} | x=~"[a"', 'parse error : error parsing regexp: missing closing ]: `[a`'],
  ['{app="a"} | drop x=~"("', 'parse error : error parsing regexp: missing closing ): `(`'],
  ['{app="a"} | regexp "foo"', 'parse error : invalid regexp parser: at least one named capture must be supplied'],
  ['{app="a"} | regexp "(foo)"', 'parse error : invalid regexp parser: at least one named capture must be supplied'],
  ['{app="a"} | regexp "(?P<x>a"', 'parse error : invalid regexp parser: error parsing regexp: missing closing ): `(?P<x>a`'],
  ['{app="a"} | pattern "foo"', 'parse error : invalid pattern parser: at least one capture is required'],
  ['{app="a"} | pattern "<_> foo"', 'parse error : invalid pattern parser: at least one capture is required'],
  ['{app="a"} | pattern "<a><b>"', "parse error : invalid pattern parser: found consecutive capture '<a><b>': invalid expression"],
  ['{app="a"} | pattern "<a> <a>"', 'parse error : invalid pattern parser: duplicate capture name (a): invalid expression'],
  // validation
  ['{app=~".*"}', EMPTY],
  ['{}', EMPTY],
  ['{foo!="bar"}', EMPTY],
  ['{foo=""}', EMPTY],
  ['{foo!~"bar|baz"}', EMPTY],
  ['{app=~".*", env!="x"} |= "y"', EMPTY],
  ['count_over_time({foo!="bar"}[5m])', EMPTY],
  ['1 + count_over_time({app=~".*"}[5m])', EMPTY],
  ['1 + count_over_time({app=~".+"}[5m]) + count_over_time({app=~".*"}[5m]) + 1', EMPTY],
  ['sum(label_replace(rate({a=""}[5m]),"x","y","z","w"))', EMPTY],
  ['sort(sum by(a) (rate({job="mysql"}[10s]))) by (app)', "parse error : sort and sort_desc doesn't allow grouping by "],
  ['sort_desc by (app) (rate({job="mysql"}[10s]))', "parse error : sort and sort_desc doesn't allow grouping by "],
  // pipeline construction errors, reported as stage errors
  [
    '{app="a"} | label_format x="a", x="b"',
    'parse error : stage \'| label_format x="a",x="b"\' : multiple label name \'x\' not allowed in a single format operation',
  ],
  ['{app="a"} | label_format __error__="a"', 'parse error : stage \'| label_format __error__="a"\' : __error__ cannot be formatted'],
  ['{app="a"} |~ "("', 'parse error : stage \'|~ "("\' : error parsing regexp: missing closing ): `(`'],
  [
    '{app="a"} |= "x" | json |~ "a)"',
    'parse error : stage \'|= "x" |~ "a)"\' : error parsing regexp: unexpected ): `a)`',
  ],
]

describe('invalid queries fail with Loki\'s exact message', () => {
  for (const [query, message] of ERRORS) {
    it(query, () => {
      expect(errorOf(query)).toBe(message)
    })
  }
})

describe('error helpers', () => {
  it('formats positioned and unpositioned errors like logqlmodel.ParseError', () => {
    expect(formatParseError('x', 1, 2)).toBe('parse error at line 1, col 2: x')
    expect(formatParseError('x', 0, 0)).toBe('parse error : x')
    expect(formatParseError('x', 0, 7)).toBe('parse error at line 0, col 7: x')
  })
  it('turns call-stack exhaustion on absurd nesting into a parse error', () => {
    const q = `${'('.repeat(2500)}1${')'.repeat(2500)}`
    expect(['parse error : expression too deeply nested', '<no error>']).toContain(errorOf(q))
  })
  it('rejects an input of 5120 bytes or more', () => {
    const q = `{app="${'a'.repeat(5120)}"}`
    expect(errorOf(q)).toBe(`parse error : input size too long (${q.length} > 5120)`)
  })
})

describe('entry points', () => {
  it('parseMatchers accepts {} for the series API', () => {
    expect(parseMatchers('{}')).toEqual([])
    expect(parseMatchers('{app="x", env=~"a|b"}')).toEqual([
      { type: '=', name: 'app', value: 'x' },
      { type: '=~', name: 'env', value: 'a|b' },
    ])
  })
  it('parseMatchers rejects pipelines and metric queries', () => {
    expect(() => parseMatchers('{app="x"} |= "y"')).toThrow('only label matchers is supported')
    expect(() => parseMatchers('rate({app="x"}[1m])')).toThrow('only label matchers is supported')
    expect(() => parseMatchers('{app="x"')).toThrow('parse error at line 1, col 9')
  })
  it('parseMatchers validates on request', () => {
    expect(() => parseMatchers('{}', true)).toThrow(EMPTY)
    expect(parseMatchers('{a="b"}', true)).toEqual([{ type: '=', name: 'a', value: 'b' }])
  })
  it('parseSampleExpr accepts only metric queries', () => {
    expect(parseSampleExpr('rate({a="b"}[1m])').kind).toBe('RangeAggregationExpr')
    expect(() => parseSampleExpr('{a="b"}')).toThrow('only sample expression supported')
  })
  it('parseLogSelector rejects metric queries and validates matchers', () => {
    expect(() => parseLogSelector('rate({app="x"}[1m])')).toThrow('only log selector is supported')
    expect(() => parseLogSelector('{app=~".*"}')).toThrow(EMPTY)
    expect(parseLogSelector('{app=~".*"}', false).kind).toBe('MatchersExpr')
  })
  it('parseExpr can skip pipeline construction checks', () => {
    expect(parseExpr('{app="a"} | label_format x="a", x="b"', { validatePipelines: false }).kind).toBe('PipelineExpr')
  })
})
