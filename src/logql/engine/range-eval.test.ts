import { describe, expect, it } from 'vitest'
import { parseExpr } from '../syntax'
import type { RangeAggregationExpr } from '../syntax/ast'
import { readsLineText } from './range-eval'

function rangeAgg(q: string): RangeAggregationExpr {
  const e = parseExpr(q)
  if (e.kind !== 'RangeAggregationExpr') throw new Error(`${q} is not a range aggregation`)
  return e
}

describe('readsLineText', () => {
  it.each([
    'count_over_time({a="b"}[1m])',
    'rate({a="b"}[5m])',
    'absent_over_time({a="b"}[1m])',
    'bytes_over_time({a="b"}[1m])',
    'bytes_rate({a="b"} | detected_level="info" [1m])',
    'count_over_time({a="b"} | detected_level="error" | drop __error__ [1m])',
    'count_over_time({a="b"} | keep service_name [1m])',
    'sum_over_time({a="b"} | unwrap latency_ms [1m])',
  ])('%s counts without line text', (q) => {
    expect(readsLineText(rangeAgg(q))).toBe(false)
  })

  it.each([
    'bytes_over_time({a="b"} | line_format "{{.a}}" [1m])',
    'bytes_rate({a="b"} |= "x" [1m])',
    'count_over_time({a="b"} |= "x" [1m])',
    'count_over_time({a="b"} | json [1m])',
    'count_over_time({a="b"} | level="error" | logfmt [1m])',
    'count_over_time({a="b"} | line_format "{{.a}}" [1m])',
    'count_over_time({a="b"} | label_format x="{{__line__}}" [1m])',
    'count_over_time({a="b"} | decolorize [1m])',
    'sum_over_time({a="b"} | regexp "(?P<v>\\\\d+)" | unwrap v [1m])',
  ])('%s needs line text', (q) => {
    expect(readsLineText(rangeAgg(q))).toBe(true)
  })
})
