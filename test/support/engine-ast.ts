/**
 * Builders of LogQL AST nodes for the evaluator's tests, so cases read close to the query text.
 */
import type {
  BinOp,
  BinOpExpr,
  Grouping,
  LabelFilterExpr,
  LabelMatcher,
  LineFilterExpr,
  LogSelectorExpr,
  RangeAggregationExpr,
  RangeOp,
  SampleExpr,
  StageExpr,
  VectorAggregationExpr,
  VectorMatching,
  VectorOp,
} from '../../src/logql/syntax/ast'

export function sel(matchers: Record<string, string>, ...stages: StageExpr[]): LogSelectorExpr {
  const ms: LabelMatcher[] = Object.entries(matchers).map(([name, value]) => ({ type: '=', name, value }))
  const left = { kind: 'MatchersExpr' as const, matchers: ms }
  return stages.length === 0 ? left : { kind: 'PipelineExpr', left, stages }
}

export function contains(match: string, op: '|=' | '!=' = '|='): LineFilterExpr {
  return { kind: 'LineFilterExpr', op, match, ip: false, or: [] }
}

export const logfmt: StageExpr = { kind: 'LabelParserExpr', op: 'logfmt', param: '', strict: false, keepEmpty: false }

export function labelEq(name: string, value: string, type: '=' | '!=' = '='): LabelFilterExpr {
  return { kind: 'LabelFilterExpr', filter: { kind: 'StringLabelFilter', matcher: { type, name, value } } }
}

export function by(...labels: string[]): Grouping {
  return { mode: 'by', labels }
}

export function without(...labels: string[]): Grouping {
  return { mode: 'without', labels }
}

export interface RangeOpts {
  readonly offsetMs?: number
  readonly unwrap?: string
  readonly postFilters?: LabelFilterExpr[]
  readonly grouping?: Grouping | null
  readonly param?: number | null
}

export function range(op: RangeOp, selector: LogSelectorExpr, rangeMs: number, o: RangeOpts = {}): RangeAggregationExpr {
  return {
    kind: 'RangeAggregationExpr',
    op,
    left: {
      kind: 'LogRangeExpr',
      left: selector,
      rangeMs,
      offsetMs: o.offsetMs ?? 0,
      unwrap: o.unwrap ? { op: '', label: o.unwrap, postFilters: o.postFilters ?? [] } : null,
    },
    param: o.param ?? null,
    grouping: o.grouping ?? null,
  }
}

export function agg(op: VectorOp, left: SampleExpr, grouping: Grouping | null = null, param: number | null = null): VectorAggregationExpr {
  return { kind: 'VectorAggregationExpr', op, left, grouping, param }
}

export function bin(op: BinOp, left: SampleExpr, right: SampleExpr, o: { bool?: boolean; matching?: VectorMatching } = {}): BinOpExpr {
  return { kind: 'BinOpExpr', op, left, right, returnBool: o.bool ?? false, matching: o.matching ?? null }
}

export function lit(value: number): SampleExpr {
  return { kind: 'LiteralExpr', value }
}

export function vec(value: number): SampleExpr {
  return { kind: 'VectorExpr', value }
}
