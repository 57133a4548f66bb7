/**
 * Property: for any tree the parser can produce, printing it and parsing the text gives the same
 * tree back, and printing is stable. Trees are generated within what Loki's printed form can
 * express exactly (no NaN literals, byte sizes and vector() values that print without rounding).
 */

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type {
  Expr,
  Grouping,
  LabelFilter,
  LabelFilterExpr,
  LabelMatcher,
  LineFilterExpr,
  LogRangeExpr,
  LogSelectorExpr,
  MatchersExpr,
  NamedLabel,
  RangeOp,
  SampleExpr,
  StageExpr,
  UnwrapExpr,
  VectorMatching,
} from './ast'
import { parseExpr } from './parse'
import { printExpr } from './print'

const NAMES = ['app', 'env', 'job', 'level', 'status', 'x_1', 'Foo', 'rate', 'count', 'le', '__error__']
const REGEXES = ['.*', '.+', 'a|b', 'foo.*', '(?i)err', '\\d+', '[a-z]+', 'x`y', '^a$', '(?s).']
const REGEXP_PARSERS = ['(?P<a>\\w+) (?P<b>.*)', '(?P<n>\\d+)', '(\\w+) (?P<rest>.*)']
const PATTERNS = ['<a> <b>', '<_> - <ip>', 'x <a>', '<a>"<b>"']

const name = fc.constantFrom(...NAMES)
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }))
const regex = fc.constantFrom(...REGEXES)
const noNegZero = (v: number): number => (Object.is(v, -0) ? 0 : v)
const finite = fc.oneof(
  fc.integer({ min: -100000, max: 100000 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).map(noNegZero),
)
const labels = fc.uniqueArray(name, { maxLength: 3 })

const matcher: fc.Arbitrary<LabelMatcher> = fc.oneof(
  fc.record({ type: fc.constantFrom('=' as const, '!=' as const), name, value: text }),
  fc.record({ type: fc.constantFrom('=~' as const, '!~' as const), name, value: regex }),
)

const selector: fc.Arbitrary<MatchersExpr> = fc
  .tuple(name, text.filter((s) => s !== ''), fc.array(matcher, { maxLength: 2 }))
  .map(([n, v, rest]) => ({ kind: 'MatchersExpr', matchers: [{ type: '=', name: n, value: v }, ...rest] }))

const lineFilter: fc.Arbitrary<LineFilterExpr> = fc.oneof(
  fc.record({
    kind: fc.constant('LineFilterExpr' as const),
    op: fc.constantFrom('|=' as const, '|>' as const),
    match: text,
    ip: fc.constant(false),
    or: fc.array(fc.record({ match: text, ip: fc.constant(false) }), { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant('LineFilterExpr' as const),
    op: fc.constant('|~' as const),
    match: regex,
    ip: fc.constant(false),
    or: fc.array(fc.record({ match: regex, ip: fc.constant(false) }), { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant('LineFilterExpr' as const),
    op: fc.constantFrom('!=' as const, '!>' as const),
    match: text,
    ip: fc.constant(false),
    or: fc.constant([]),
  }),
  fc.record({
    kind: fc.constant('LineFilterExpr' as const),
    op: fc.constant('!~' as const),
    match: regex,
    ip: fc.constant(false),
    or: fc.constant([]),
  }),
  fc.record({
    kind: fc.constant('LineFilterExpr' as const),
    op: fc.constantFrom('|=' as const, '!=' as const),
    match: fc.constantFrom('10.0.0.0/8', '::1', '192.168.0.1-192.168.0.9'),
    ip: fc.constant(true),
    or: fc.constant([]),
  }),
)

const cmp = fc.constantFrom('==' as const, '!=' as const, '>' as const, '>=' as const, '<' as const, '<=' as const)
const exactBytes = fc.oneof(
  fc.integer({ min: 0, max: 9 }),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 5 })).map(([m, e]) => m * 1000 ** e),
)

const leafFilter: fc.Arbitrary<LabelFilter> = fc.oneof(
  matcher.map((m) => ({ kind: 'StringLabelFilter' as const, matcher: m })),
  fc.record({ kind: fc.constant('NumericLabelFilter' as const), name, op: cmp, value: finite }),
  fc.record({
    kind: fc.constant('DurationLabelFilter' as const),
    name,
    op: cmp,
    valueNs: fc.integer({ min: -1e15, max: 1e15 }).map(noNegZero),
  }),
  fc.record({ kind: fc.constant('BytesLabelFilter' as const), name, op: cmp, value: exactBytes }),
  fc.record({ kind: fc.constant('IpLabelFilter' as const), name, op: fc.constantFrom('=' as const, '!=' as const), pattern: text }),
)

const labelFilter: fc.Arbitrary<LabelFilter> = fc.letrec<{ f: LabelFilter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafFilter,
    fc.record({
      kind: fc.constant('BinaryLabelFilter' as const),
      op: fc.constantFrom('and' as const, 'or' as const),
      left: tie('f'),
      right: tie('f'),
    }),
  ),
})).f

const labelFilterStage: fc.Arbitrary<LabelFilterExpr> = labelFilter.map((filter) => ({ kind: 'LabelFilterExpr', filter }))

const extraction = fc.array(fc.record({ identifier: name, expression: text }), { minLength: 1, maxLength: 3 })
const namedLabel: fc.Arbitrary<NamedLabel> = fc.oneof(
  name.map((n) => ({ name: n, matcher: null })),
  matcher.map((m) => ({ name: m.name, matcher: m })),
)

const stage: fc.Arbitrary<StageExpr> = fc.oneof(
  lineFilter,
  fc.constant({ kind: 'LabelParserExpr' as const, op: 'json' as const, param: '', strict: false, keepEmpty: false }),
  fc.constant({ kind: 'LabelParserExpr' as const, op: 'unpack' as const, param: '', strict: false, keepEmpty: false }),
  fc.record({
    kind: fc.constant('LabelParserExpr' as const),
    op: fc.constant('logfmt' as const),
    param: fc.constant(''),
    strict: fc.boolean(),
    keepEmpty: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('LabelParserExpr' as const),
    op: fc.constant('regexp' as const),
    param: fc.constantFrom(...REGEXP_PARSERS),
    strict: fc.constant(false),
    keepEmpty: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('LabelParserExpr' as const),
    op: fc.constant('pattern' as const),
    param: fc.constantFrom(...PATTERNS),
    strict: fc.constant(false),
    keepEmpty: fc.constant(false),
  }),
  fc.record({ kind: fc.constant('JSONExpressionParser' as const), expressions: extraction }),
  fc.record({
    kind: fc.constant('LogfmtExpressionParser' as const),
    expressions: extraction,
    strict: fc.boolean(),
    keepEmpty: fc.boolean(),
  }),
  labelFilterStage,
  fc.record({ kind: fc.constant('LineFormatExpr' as const), template: text }),
  fc
    .uniqueArray(name.filter((n) => n !== '__error__'), { minLength: 1, maxLength: 3 })
    .chain((names) =>
      fc.tuple(...names.map((n) => fc.oneof(name.map((v) => ({ name: n, value: v, rename: true })), text.map((v) => ({ name: n, value: v, rename: false }))))),
    )
    .map((formats) => ({ kind: 'LabelFmtExpr' as const, formats })),
  fc.record({ kind: fc.constant('DropLabelsExpr' as const), labels: fc.array(namedLabel, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('KeepLabelsExpr' as const), labels: fc.array(namedLabel, { minLength: 1, maxLength: 3 }) }),
  fc.constant({ kind: 'DecolorizeExpr' as const }),
)

// `| keep a != "x"` reads as a keep matcher in Loki's grammar too: a bare drop/keep name cannot be
// printed before a negated line filter.
const unambiguous = (stages: readonly StageExpr[]): boolean =>
  stages.every((s, i) => {
    const next = stages[i + 1]
    if ((s.kind !== 'DropLabelsExpr' && s.kind !== 'KeepLabelsExpr') || next?.kind !== 'LineFilterExpr') return true
    return s.labels[s.labels.length - 1]?.matcher !== null || (next.op !== '!=' && next.op !== '!~')
  })

const logSelector: fc.Arbitrary<LogSelectorExpr> = fc
  .tuple(selector, fc.array(stage, { maxLength: 4 }).filter(unambiguous))
  .map(([left, stages]) => (stages.length === 0 ? left : { kind: 'PipelineExpr', left, stages }))

const unwrap: fc.Arbitrary<UnwrapExpr> = fc.record({
  op: fc.constantFrom('' as const, 'duration' as const, 'duration_seconds' as const, 'bytes' as const),
  label: name.filter((n) => n !== 'rate' && n !== 'count'),
  postFilters: fc.array(labelFilterStage, { maxLength: 2 }),
})

const logRange = (withUnwrap: boolean): fc.Arbitrary<LogRangeExpr> =>
  fc.record({
    kind: fc.constant('LogRangeExpr' as const),
    left: logSelector,
    rangeMs: fc.integer({ min: 1, max: 1e10 }),
    offsetMs: fc.oneof(fc.constant(0), fc.integer({ min: -1e10, max: 1e10 })),
    unwrap: withUnwrap ? unwrap : fc.constant(null),
  })

const grouping = (allowEmptyBy: boolean): fc.Arbitrary<Grouping> =>
  fc
    .record({ mode: fc.constantFrom('by' as const, 'without' as const), labels })
    .filter((g) => allowEmptyBy || g.mode === 'without' || g.labels.length > 0)

const WITH_UNWRAP: RangeOp[] = ['avg_over_time', 'sum_over_time', 'max_over_time', 'min_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'rate', 'rate_counter', 'absent_over_time', 'first_over_time', 'last_over_time']
const WITHOUT_UNWRAP: RangeOp[] = ['bytes_over_time', 'bytes_rate', 'count_over_time', 'rate', 'absent_over_time']
const GROUPABLE = new Set<RangeOp>(['avg_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'max_over_time', 'min_over_time', 'first_over_time', 'last_over_time'])

const rangeAgg: fc.Arbitrary<SampleExpr> = fc.boolean().chain((withUnwrap) =>
  fc.constantFrom(...(withUnwrap ? WITH_UNWRAP : WITHOUT_UNWRAP)).chain((op) =>
    fc.record({
      kind: fc.constant('RangeAggregationExpr' as const),
      op: fc.constant(op),
      left: logRange(withUnwrap),
      param: op === 'quantile_over_time' ? fc.double({ min: 0, max: 1, noNaN: true }).map(noNegZero) : fc.constant(null),
      grouping: GROUPABLE.has(op) ? fc.option(grouping(true), { nil: null }) : fc.constant(null),
    }),
  ),
)

const matching: fc.Arbitrary<VectorMatching | null> = fc.oneof(
  fc.constant(null),
  fc.record({ on: fc.constant(true), labels, card: fc.constant('one-to-one' as const), include: fc.constant([]) }),
  fc.record({
    on: fc.boolean(),
    labels: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    card: fc.constantFrom('one-to-one' as const),
    include: fc.constant([]),
  }),
  fc.record({
    on: fc.boolean(),
    labels: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    card: fc.constantFrom('many-to-one' as const, 'one-to-many' as const),
    include: labels,
  }),
)

const literal = finite.map((value) => ({ kind: 'LiteralExpr' as const, value }))

const sample: fc.Arbitrary<SampleExpr> = fc.letrec<{ s: SampleExpr }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    rangeAgg,
    fc.integer({ min: 0, max: 1000 }).map((value) => ({ kind: 'VectorExpr' as const, value })),
    fc
      .tuple(fc.constantFrom('sum', 'avg', 'count', 'max', 'min', 'stddev', 'stdvar') as fc.Arbitrary<'sum'>, tie('s'), fc.option(grouping(false), { nil: null }))
      .map(([op, left, g]) => ({ kind: 'VectorAggregationExpr' as const, op, left, param: null, grouping: g })),
    fc
      .tuple(fc.constantFrom('topk', 'bottomk') as fc.Arbitrary<'topk'>, tie('s'), fc.integer({ min: 1, max: 1000 }), fc.option(grouping(false), { nil: null }))
      .map(([op, left, param, g]) => ({ kind: 'VectorAggregationExpr' as const, op, left, param, grouping: g })),
    fc
      .tuple(fc.constantFrom('sort', 'sort_desc') as fc.Arbitrary<'sort'>, tie('s'))
      .map(([op, left]) => ({ kind: 'VectorAggregationExpr' as const, op, left, param: null, grouping: null })),
    fc
      .tuple(tie('s'), text, text, name, regex)
      .map(([left, dst, replacement, src, re]) => ({ kind: 'LabelReplaceExpr' as const, left, dst, replacement, src, regex: re })),
    fc
      .tuple(
        fc.constantFrom('+', '-', '*', '/', '%', '^', '==', '!=', '>', '>=', '<', '<=', 'and', 'or', 'unless') as fc.Arbitrary<'+'>,
        fc.oneof(tie('s'), literal),
        fc.oneof(tie('s'), literal),
        fc.boolean(),
        matching,
      )
      // `group_left (` opens the include list, so a parenthesised right operand cannot follow a bare
      // group modifier (Loki's printed form has the same ambiguity).
      .filter(([, , r, , m]) => !(m && m.card !== 'one-to-one' && m.include.length === 0 && r.kind === 'BinOpExpr'))
      .filter(([op, l, r]) => {
        const set = op === ('and' as string) || op === ('or' as string) || op === ('unless' as string)
        if (set) return l.kind !== 'LiteralExpr' && r.kind !== 'LiteralExpr'
        return !(l.kind === 'LiteralExpr' && r.kind === 'LiteralExpr')
      })
      .map(([op, left, right, b, m]) => ({
        kind: 'BinOpExpr' as const,
        op,
        left,
        right,
        returnBool: b && ['==', '!=', '>', '>=', '<', '<='].includes(op),
        matching: m,
      })),
  ),
})).s

const expr: fc.Arbitrary<Expr> = fc.oneof(logSelector, sample, literal)

describe('print/parse round trip', () => {
  it('parse(print(ast)) equals ast and printing is stable', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const printed = printExpr(e)
        const parsed = parseExpr(printed)
        expect(parsed).toEqual(e)
        expect(printExpr(parsed)).toBe(printed)
      }),
      { numRuns: 400 },
    )
  })
  it('trees are plain data that survive structured cloning', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(structuredClone(e)).toEqual(e)
      }),
      { numRuns: 100 },
    )
  })
})
