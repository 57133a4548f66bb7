/**
 * Range aggregations (`rate(...)`, `quantile_over_time(0.99, ...) by (x)`) and their log-range
 * argument in every order Loki's grammar accepts: range before or after the pipeline, unwrap,
 * offset, parenthesised forms. Misuse (grouping or unwrap with the wrong function, a missing or
 * extra parameter) is reported with Loki's texts once the query is otherwise valid.
 */

import type { Grouping, LogRangeExpr, LogSelectorExpr, MatchersExpr, RangeOp, SampleExpr, StageExpr, UnwrapExpr } from './ast'
import type { Cursor } from './cursor'
import { parseGrouping } from './label-list'
import { parsePipeline, parseSelector, parseUnwrap, rangeMsOf } from './log-parser'

export const RANGE_OPS: Record<string, RangeOp> = {
  COUNT_OVER_TIME: 'count_over_time',
  RATE: 'rate',
  RATE_COUNTER: 'rate_counter',
  BYTES_OVER_TIME: 'bytes_over_time',
  BYTES_RATE: 'bytes_rate',
  AVG_OVER_TIME: 'avg_over_time',
  SUM_OVER_TIME: 'sum_over_time',
  MIN_OVER_TIME: 'min_over_time',
  MAX_OVER_TIME: 'max_over_time',
  STDVAR_OVER_TIME: 'stdvar_over_time',
  STDDEV_OVER_TIME: 'stddev_over_time',
  QUANTILE_OVER_TIME: 'quantile_over_time',
  FIRST_OVER_TIME: 'first_over_time',
  LAST_OVER_TIME: 'last_over_time',
  ABSENT_OVER_TIME: 'absent_over_time',
}

const GROUPING_ALLOWED = new Set<RangeOp>([
  'avg_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'max_over_time',
  'min_over_time', 'first_over_time', 'last_over_time',
])
const UNWRAP_OK = new Set<RangeOp>([
  'avg_over_time', 'sum_over_time', 'max_over_time', 'min_over_time', 'stddev_over_time',
  'stdvar_over_time', 'quantile_over_time', 'rate', 'rate_counter', 'absent_over_time',
  'first_over_time', 'last_over_time',
])
const NO_UNWRAP_OK = new Set<RangeOp>(['bytes_over_time', 'bytes_rate', 'count_over_time', 'rate', 'absent_over_time'])

export function parseRangeAggregation(c: Cursor, op: RangeOp): SampleExpr {
  c.next()
  c.expect('OPEN_PARENTHESIS')
  let paramText: string | null = null
  if (c.is('NUMBER')) {
    paramText = c.next().value
    c.expect('COMMA')
  } else if (!c.is('OPEN_BRACE', 'OPEN_PARENTHESIS')) {
    throw c.syntaxError(['NUMBER', 'OPEN_BRACE', 'OPEN_PARENTHESIS'])
  }
  const left = parseLogRange(c)
  c.expect('CLOSE_PARENTHESIS', [])
  let grouping: Grouping | null = null
  if (c.is('BY', 'WITHOUT')) grouping = parseGrouping(c)
  let param: number | null = null
  if (paramText !== null) {
    if (op !== 'quantile_over_time') {
      c.defer(`parameter ${paramText} not supported for operation ${op}`)
    } else {
      param = Number(paramText)
    }
  } else if (op === 'quantile_over_time') {
    c.defer(`parameter required for operation ${op}`)
  }
  if (grouping && !GROUPING_ALLOWED.has(op)) {
    c.defer(`grouping not allowed for ${op} aggregation`)
  } else if (left.unwrap && !UNWRAP_OK.has(op)) {
    c.defer(`invalid aggregation ${op} with unwrap`)
  } else if (!left.unwrap && !NO_UNWRAP_OK.has(op)) {
    c.defer(`invalid aggregation ${op} without unwrap`)
  }
  return { kind: 'RangeAggregationExpr', op, left, param, grouping }
}

function parseOffset(c: Cursor): number {
  if (!c.is('OFFSET')) return 0
  c.next()
  return rangeMsOf(c.expect('DURATION').ns)
}

function withStages(sel: MatchersExpr, stages: StageExpr[]): LogSelectorExpr {
  return stages.length === 0 ? sel : { kind: 'PipelineExpr', left: sel, stages }
}

/** The argument of a range aggregation, in all the orders Loki's grammar accepts. */
function parseLogRange(c: Cursor): LogRangeExpr {
  if (c.is('OPEN_PARENTHESIS')) {
    c.next()
    if (c.is('OPEN_PARENTHESIS')) {
      const inner = parseLogRange(c)
      c.expect('CLOSE_PARENTHESIS')
      return inner
    }
    const sel = parseSelector(c)
    if (c.is('RANGE')) {
      // `( selector [range] ... )`: a complete log range inside parentheses.
      const inner = finishRangeAfterSelector(c, sel)
      c.expect('CLOSE_PARENTHESIS')
      return inner
    }
    const stages = parsePipeline(c)
    const unwrap = c.is('PIPE') ? parseUnwrap(c) : null
    if (c.is('RANGE')) {
      const rangeMs = rangeMsOf(c.next().ns)
      const offsetMs = parseOffset(c)
      c.expect('CLOSE_PARENTHESIS')
      return { kind: 'LogRangeExpr', left: withStages(sel, stages), rangeMs, offsetMs, unwrap }
    }
    c.expect('CLOSE_PARENTHESIS')
    const rangeTok = c.expect('RANGE')
    return {
      kind: 'LogRangeExpr',
      left: withStages(sel, stages),
      rangeMs: rangeMsOf(rangeTok.ns),
      offsetMs: parseOffset(c),
      unwrap,
    }
  }
  const sel = parseSelector(c, ['OPEN_BRACE', 'OPEN_PARENTHESIS'])
  if (c.is('RANGE')) return finishRangeAfterSelector(c, sel)
  const stages = parsePipeline(c)
  const unwrap: UnwrapExpr | null = c.is('PIPE') ? parseUnwrap(c) : null
  const rangeTok = c.peek()
  if (rangeTok.type !== 'RANGE') throw c.syntaxError()
  c.next()
  return {
    kind: 'LogRangeExpr',
    left: withStages(sel, stages),
    rangeMs: rangeMsOf(rangeTok.ns),
    offsetMs: parseOffset(c),
    unwrap,
  }
}

function finishRangeAfterSelector(c: Cursor, sel: MatchersExpr): LogRangeExpr {
  const rangeMs = rangeMsOf(c.expect('RANGE').ns)
  const offsetMs = parseOffset(c)
  const stages = parsePipeline(c)
  const unwrap = c.is('PIPE') ? parseUnwrap(c) : null
  return { kind: 'LogRangeExpr', left: withStages(sel, stages), rangeMs, offsetMs, unwrap }
}
