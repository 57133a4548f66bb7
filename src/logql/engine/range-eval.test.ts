import { describe, expect, it } from 'vitest'
import { parseExpr } from '../syntax/parse'
import type { RangeAggregationExpr } from '../syntax/ast'
import { readsLineText } from './range-eval'

function rangeAgg(q: string): RangeAggregationExpr {
  const e = parseExpr(q)
  if (e.kind !== 'RangeAggregationExpr') throw new Error(`${q} is not a range aggregation`)
  return e
}

describe('readsLineText', () => {
  it.each<[string, boolean]>([
    ['count_over_time({a="b"}[1m])', false],
    ['rate({a="b"}[5m])', false],
    ['absent_over_time({a="b"}[1m])', false],
    ['bytes_over_time({a="b"}[1m])', false],
    ['bytes_rate({a="b"} | detected_level="info" [1m])', false],
    ['count_over_time({a="b"} | detected_level="error" | drop __error__ [1m])', false],
    ['count_over_time({a="b"} | keep service_name [1m])', false],
    ['sum_over_time({a="b"} | unwrap latency_ms [1m])', false],
    ['bytes_over_time({a="b"} | line_format "{{.a}}" [1m])', true],
    ['bytes_rate({a="b"} |= "x" [1m])', true],
    ['count_over_time({a="b"} |= "x" [1m])', true],
    ['count_over_time({a="b"} | json [1m])', true],
    ['count_over_time({a="b"} | level="error" | logfmt [1m])', true],
    ['count_over_time({a="b"} | line_format "{{.a}}" [1m])', true],
    ['count_over_time({a="b"} | label_format x="{{__line__}}" [1m])', true],
    ['count_over_time({a="b"} | decolorize [1m])', true],
    ['sum_over_time({a="b"} | regexp "(?P<v>\\\\d+)" | unwrap v [1m])', true],
  ])('%s reads line text: %s', (q, reads) => {
    expect(readsLineText(rangeAgg(q))).toBe(reads)
  })
})
