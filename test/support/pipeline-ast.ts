/**
 * Small constructors of AST stage nodes, so tests (and tools) can build pipelines without the
 * LogQL parser: `json()`, `lf('|=', 'error')`, `num('status', '>=', 500)`, `and(a, b)`...
 */

import type {
  LabelFilter,
  LabelFilterOp,
  LabelMatcher,
  LineFilterExpr,
  LineFilterOp,
  MatchType,
  NamedLabel,
  StageExpr,
} from '../../src/logql/syntax/ast'

const parser = (op: 'json' | 'logfmt' | 'regexp' | 'pattern' | 'unpack', param = '', strict = false, keepEmpty = false): StageExpr => ({
  kind: 'LabelParserExpr',
  op,
  param,
  strict,
  keepEmpty,
})

export const json = (): StageExpr => parser('json')
export const logfmt = (strict = false, keepEmpty = false): StageExpr => parser('logfmt', '', strict, keepEmpty)
export const regexp = (re: string): StageExpr => parser('regexp', re)
export const pattern = (p: string): StageExpr => parser('pattern', p)
export const unpack = (): StageExpr => parser('unpack')

export const jsonExpr = (...exprs: Array<[string, string]>): StageExpr => ({
  kind: 'JSONExpressionParser',
  expressions: exprs.map(([identifier, expression]) => ({ identifier, expression })),
})

export const logfmtExpr = (strict: boolean, ...exprs: Array<[string, string]>): StageExpr => ({
  kind: 'LogfmtExpressionParser',
  expressions: exprs.map(([identifier, expression]) => ({ identifier, expression })),
  strict,
  keepEmpty: false,
})

/** A line filter; string operands, or `ip:` prefixed for ip("..."). */
export function lf(op: LineFilterOp, ...terms: string[]): LineFilterExpr {
  const t = terms.map((s) => (s.startsWith('ip:') ? { match: s.slice(3), ip: true } : { match: s, ip: false }))
  const first = t[0] ?? { match: '', ip: false }
  return { kind: 'LineFilterExpr', op, match: first.match, ip: first.ip, or: t.slice(1) }
}

export const matcher = (name: string, type: MatchType, value: string): LabelMatcher => ({ name, type, value })
export const str = (name: string, type: MatchType, value: string): LabelFilter => ({
  kind: 'StringLabelFilter',
  matcher: matcher(name, type, value),
})
export const num = (name: string, op: LabelFilterOp, value: number): LabelFilter => ({ kind: 'NumericLabelFilter', name, op, value })
export const dur = (name: string, op: LabelFilterOp, valueNs: number): LabelFilter => ({ kind: 'DurationLabelFilter', name, op, valueNs })
export const bytes = (name: string, op: LabelFilterOp, value: number): LabelFilter => ({ kind: 'BytesLabelFilter', name, op, value })
export const ipf = (name: string, op: '=' | '!=', p: string): LabelFilter => ({ kind: 'IpLabelFilter', name, op, pattern: p })
export const and = (left: LabelFilter, right: LabelFilter): LabelFilter => ({ kind: 'BinaryLabelFilter', op: 'and', left, right })
export const or = (left: LabelFilter, right: LabelFilter): LabelFilter => ({ kind: 'BinaryLabelFilter', op: 'or', left, right })
export const filter = (f: LabelFilter): StageExpr => ({ kind: 'LabelFilterExpr', filter: f })

export const lineFmt = (template: string): StageExpr => ({ kind: 'LineFormatExpr', template })
export const labelFmt = (...formats: Array<[string, string, boolean]>): StageExpr => ({
  kind: 'LabelFmtExpr',
  formats: formats.map(([name, value, rename]) => ({ name, value, rename })),
})

const named = (spec: string | LabelMatcher): NamedLabel =>
  typeof spec === 'string' ? { name: spec, matcher: null } : { name: spec.name, matcher: spec }
export const drop = (...specs: Array<string | LabelMatcher>): StageExpr => ({ kind: 'DropLabelsExpr', labels: specs.map(named) })
export const keep = (...specs: Array<string | LabelMatcher>): StageExpr => ({ kind: 'KeepLabelsExpr', labels: specs.map(named) })
export const decolorize = (): StageExpr => ({ kind: 'DecolorizeExpr' })
