/**
 * Loki's query formatter as served by format_query: cases from Loki's prettier_test.go (run there
 * with a 20-byte line limit) and from Loki 3.7.6 answers (100-byte limit).
 */

import { describe, expect, it } from 'vitest'
import { formatQuery, parseExpr } from './parse'
import { prettyExpr } from './pretty'

// [query, formatted with a 20-byte line limit]
const NARROW: readonly (readonly [string, string])[] = [
  ['{job="loki", instance="localhost"}', '{job="loki", instance="localhost"}'],
  ['{job="loki", instance="localhost"}|logfmt|level="error" ', '{job="loki", instance="localhost"}\n  | logfmt\n  | level="error"'],
  [
    '{job="loki", instance="localhost"}|= "error" != "memcached" |= ip("192.168.0.1") |logfmt',
    '{job="loki", instance="localhost"}\n  |= "error"\n  != "memcached"\n  |= ip("192.168.0.1")\n  | logfmt',
  ],
  [
    '{job="loki", instance="localhost"}|logfmt|line_format "{{.error}}"',
    '{job="loki", instance="localhost"}\n  | logfmt\n  | line_format "{{.error}}"',
  ],
  [
    '{job="loki", instance="localhost"}|logfmt|label_format dst="{{.src}}"',
    '{job="loki", instance="localhost"}\n  | logfmt\n  | label_format dst="{{.src}}"',
  ],
  ['count_over_time({job="loki", instance="localhost"}|logfmt[1m])', 'count_over_time(\n  {job="loki", instance="localhost"}\n    | logfmt [1m]\n)'],
  [
    'count_over_time({job="loki", instance="localhost"}|= "error"[5m] offset 20m)',
    'count_over_time(\n  {job="loki", instance="localhost"}\n    |= "error" [5m] offset 20m\n)',
  ],
  [
    'quantile_over_time(0.99,{container="ingress-nginx",service="hosted-grafana"}| json| unwrap response_latency_seconds| __error__=""[1m]) by (cluster)',
    'quantile_over_time(\n  0.99,\n  {container="ingress-nginx", service="hosted-grafana"}\n    | json\n    | unwrap response_latency_seconds\n    | __error__="" [1m]\n) by (cluster)',
  ],
  [
    'count_over_time({job="loki", instance="localhost"}|= "error" != "memcached" |= ip("192.168.0.1") |logfmt[1m])',
    'count_over_time(\n  {job="loki", instance="localhost"}\n    |= "error"\n    != "memcached"\n    |= ip("192.168.0.1")\n    | logfmt [1m]\n)',
  ],
  [
    '{job="loki", namespace="loki-prod", container="nginx-ingress"}| json first_server="servers[0]", ua="request.headers[\\"User-Agent\\"]" | level="error"',
    '{job="loki", namespace="loki-prod", container="nginx-ingress"}\n  | json first_server="servers[0]",ua="request.headers[\\"User-Agent\\"]"\n  | level="error"',
  ],
  [
    'sum(count_over_time({foo="bar",namespace="loki",instance="localhost"}[5m])) by (container)',
    'sum by (container)(\n  count_over_time(\n    {foo="bar", namespace="loki", instance="localhost"} [5m]\n  )\n)',
  ],
  [
    'topk(5, count_over_time({foo="bar",namespace="loki",instance="localhost"}[5m])) by (container)',
    'topk by (container)(\n  5,\n  count_over_time(\n    {foo="bar", namespace="loki", instance="localhost"} [5m]\n  )\n)',
  ],
  [
    'label_replace(rate({job="api-server",service="a:c"}|= "err" [5m]), "foo", "$1", "service", "(.*):.*")',
    'label_replace(\n  rate(\n    {job="api-server", service="a:c"}\n      |= "err" [5m]\n  ),\n  "foo",\n  "$1",\n  "service",\n  "(.*):.*"\n)',
  ],
  [
    'sum(rate({job="loki", namespace="loki-prod", instance="localhost"}[5m]))/sum(count_over_time({job="loki", namespace="loki-prod", instance="localhost"}[5m]))',
    '  sum(\n    rate(\n      {job="loki", namespace="loki-prod", instance="localhost"} [5m]\n    )\n  )\n/\n  sum(\n    count_over_time(\n      {job="loki", namespace="loki-prod", instance="localhost"} [5m]\n    )\n  )',
  ],
  [
    'sum(rate({job="loki"}[5m])) + sum(rate({job="loki-dev"}[5m])) / sum(rate({job="loki-prod"}[5m]))',
    '  sum(\n    rate(\n      {job="loki"} [5m]\n    )\n  )\n+\n    sum(\n      rate(\n        {job="loki-dev"} [5m]\n      )\n    )\n  /\n    sum(\n      rate(\n        {job="loki-prod"} [5m]\n      )\n    )',
  ],
  [
    'sum(rate({job="loki"}[5m])) / sum(rate({job="loki-stage"}[5m])) % sum(rate({job="loki-dev"}[5m])) * sum(rate({job="loki-prod"}[5m]))',
    '      sum(\n        rate(\n          {job="loki"} [5m]\n        )\n      )\n    /\n      sum(\n        rate(\n          {job="loki-stage"} [5m]\n        )\n      )\n  %\n    sum(\n      rate(\n        {job="loki-dev"} [5m]\n      )\n    )\n*\n  sum(\n    rate(\n      {job="loki-prod"} [5m]\n    )\n  )',
  ],
  [
    'sum(rate({job="loki"}[5m])) * on(instance, job) group_left (node) sum(rate({job="loki-prod"}[5m]))',
    '  sum(\n    rate(\n      {job="loki"} [5m]\n    )\n  )\n* on (instance, job) group_left (node)\n  sum(\n    rate(\n      {job="loki-prod"} [5m]\n    )\n  )',
  ],
  ['{a="b"} | json | decolorize', '{a="b"}\n  | json\n| decolorize'],
  ['{abc="defghijk"} |= "x" or "y" |= "zz"', '{abc="defghijk"}\n  |= "x" or "y"\n  |= "zz"'],
  ['{abc="defghijk"} |= "zz" |= "x" or "y"', '{abc="defghijk"}\n  |= "zz"\n  |= "x"'],
  ['max_over_time({a="b"} | unwrap x [5m]) without ()', 'max_over_time(\n  {a="b"}\n    | unwrap x [5m]\n) without'],
]

describe('format_query output (20-byte lines)', () => {
  for (const [query, formatted] of NARROW) {
    it(query, () => {
      expect(prettyExpr(parseExpr(query), 20)).toBe(formatted)
    })
  }
})

describe('format_query output (Loki default)', () => {
  it('keeps short queries on one line in canonical form', () => {
    expect(formatQuery('sum by(a)(rate({x="y"}[1m]))')).toBe('sum by (a)(rate({x="y"}[1m]))')
    expect(formatQuery('1+1')).toBe('2')
  })
  it('splits a long binary operation around its operator', () => {
    expect(
      formatQuery(
        'sum by(cluster)(rate({app="api"}|="error"|json|status>=500[5m]))/ignoring(x) group_left sum(rate({app="api"}[5m]))',
      ),
    ).toBe(
      '  sum by (cluster)(rate({app="api"} |= "error" | json | status>=500[5m]))\n/ ignoring (x) group_left\n  sum(rate({app="api"}[5m]))',
    )
  })
  it('drops comments and normalises spacing', () => {
    expect(formatQuery('{app="api",env=~"prod|staging"}|json|line_format "{{.msg}}" # comment\n|= `x` or "y"|drop a,b="c"')).toBe(
      '{app="api", env=~"prod|staging"} | json | line_format "{{.msg}}" |= "x" or "y" | drop a,b="c"',
    )
  })
  it('validates matchers like ParseExpr', () => {
    expect(() => formatQuery('{app=~".*"}')).toThrow('parse error : queries require at least one regexp')
  })
  it('does not build pipelines', () => {
    expect(formatQuery('{app="a"} | label_format x="1", x="2"')).toBe('{app="a"} | label_format x="1",x="2"')
  })
  it('rejects invalid queries with the parse error', () => {
    expect(() => formatQuery('{app=')).toThrow('parse error at line 1, col 6: syntax error: unexpected $end, expecting STRING')
  })
})
