/**
 * The LogQL abstract syntax tree. Every node is a plain readonly object tagged by `kind`, named
 * after the matching node of Loki's `pkg/logql/syntax` package, so a tree can be structured-cloned
 * across Durable Object RPC (no classes, no RegExp, no functions). Durations are numbers of
 * milliseconds (`rangeMs`, `offsetMs`) except inside duration label filters, which keep Go's
 * nanosecond precision (`valueNs`). The union is closed: consumers can switch on `kind` exhaustively.
 */

/** A label matcher as in a stream selector: `name="value"`, `!=`, `=~`, `!~`. */
export interface LabelMatcher {
  readonly type: MatchType
  readonly name: string
  readonly value: string
}

export type MatchType = '=' | '!=' | '=~' | '!~'

// ---------------------------------------------------------------------------------------------
// Log selectors and pipelines

/** `{app="api", env=~"prod|dev"}`. An empty matcher list is `{}` (valid for the series API only). */
export interface MatchersExpr {
  readonly kind: 'MatchersExpr'
  readonly matchers: readonly LabelMatcher[]
}

/** A stream selector followed by at least one pipeline stage. */
export interface PipelineExpr {
  readonly kind: 'PipelineExpr'
  readonly left: MatchersExpr
  readonly stages: readonly StageExpr[]
}

export type LogSelectorExpr = MatchersExpr | PipelineExpr

export type StageExpr =
  | LineFilterExpr
  | LabelParserExpr
  | JSONExpressionParser
  | LogfmtExpressionParser
  | LabelFilterExpr
  | LineFormatExpr
  | LabelFmtExpr
  | DropLabelsExpr
  | KeepLabelsExpr
  | DecolorizeExpr

/** `|=` contains, `!=` not contains, `|~` regex, `!~` not regex, `|>` pattern, `!>` not pattern. */
export type LineFilterOp = '|=' | '!=' | '|~' | '!~' | '|>' | '!>'

/** One operand of a line filter: a string, or `ip("...")` when `ip` is true (ops `|=`/`!=` only). */
export interface LineFilterTerm {
  readonly match: string
  readonly ip: boolean
}

/**
 * `|= "a"`, `!~ "re"`, `|= ip("10.0.0.0/8")`, and with alternatives `|= "a" or "b" or ip("::1")`.
 * `match`/`ip` describe the first operand, `or` the further ones (empty when there is no `or`);
 * the line passes when any operand matches. As in Loki, the parser expands a negated filter with
 * alternatives (`!= "a" or "b"`) into consecutive filters (`!= "a" != "b"`), so `or` is always
 * empty for `!=`, `!~` and `!>`. `|~`/`!~` operands are unanchored RE2 regexes (see ../regex).
 */
export interface LineFilterExpr {
  readonly kind: 'LineFilterExpr'
  readonly op: LineFilterOp
  readonly match: string
  readonly ip: boolean
  readonly or: readonly LineFilterTerm[]
}

export type LabelParserOp = 'json' | 'logfmt' | 'regexp' | 'pattern' | 'unpack'

/**
 * A parser stage without extraction parameters: `| json`, `| logfmt [--strict] [--keep-empty]`,
 * `| regexp "re"`, `| pattern "p"`, `| unpack`. `param` is the regex/pattern text (else '').
 * `strict`/`keepEmpty` are the logfmt flags (always false for the other parsers).
 */
export interface LabelParserExpr {
  readonly kind: 'LabelParserExpr'
  readonly op: LabelParserOp
  readonly param: string
  readonly strict: boolean
  readonly keepEmpty: boolean
}

/** `name="expression"`; the shorthand `| json servers` has expression equal to the name. */
export interface LabelExtractionExpr {
  readonly identifier: string
  readonly expression: string
}

/** `| json a="x.y", b="list[0]", servers`. */
export interface JSONExpressionParser {
  readonly kind: 'JSONExpressionParser'
  readonly expressions: readonly LabelExtractionExpr[]
}

/** `| logfmt --strict host, fwd_ip="fwd"`. */
export interface LogfmtExpressionParser {
  readonly kind: 'LogfmtExpressionParser'
  readonly expressions: readonly LabelExtractionExpr[]
  readonly strict: boolean
  readonly keepEmpty: boolean
}

/** Comparison operators of numeric, duration and bytes label filters (`=` is stored as `==`). */
export type LabelFilterOp = '==' | '!=' | '>' | '>=' | '<' | '<='

/** `| level="error"` and friends: the only label filters that may test `__error__`. */
export interface StringLabelFilter {
  readonly kind: 'StringLabelFilter'
  readonly matcher: LabelMatcher
}

/** `| status >= 500`. */
export interface NumericLabelFilter {
  readonly kind: 'NumericLabelFilter'
  readonly name: string
  readonly op: LabelFilterOp
  readonly value: number
}

/** `| latency > 250ms`; the value in nanoseconds, as Go's time.Duration. */
export interface DurationLabelFilter {
  readonly kind: 'DurationLabelFilter'
  readonly name: string
  readonly op: LabelFilterOp
  readonly valueNs: number
}

/** `| size > 20MB`; the value in bytes. */
export interface BytesLabelFilter {
  readonly kind: 'BytesLabelFilter'
  readonly name: string
  readonly op: LabelFilterOp
  readonly value: number
}

/** `| addr = ip("192.168.0.0/16")`. */
export interface IpLabelFilter {
  readonly kind: 'IpLabelFilter'
  readonly name: string
  readonly op: '=' | '!='
  readonly pattern: string
}

/** `a and b` (also written `a, b` or `a b`), `a or b`. Parentheses only shape the tree. */
export interface BinaryLabelFilter {
  readonly kind: 'BinaryLabelFilter'
  readonly op: 'and' | 'or'
  readonly left: LabelFilter
  readonly right: LabelFilter
}

export type LabelFilter =
  | StringLabelFilter
  | NumericLabelFilter
  | DurationLabelFilter
  | BytesLabelFilter
  | IpLabelFilter
  | BinaryLabelFilter

/** A label filter stage: `| <filter>`. */
export interface LabelFilterExpr {
  readonly kind: 'LabelFilterExpr'
  readonly filter: LabelFilter
}

/** `| line_format "{{.a}}"`. */
export interface LineFormatExpr {
  readonly kind: 'LineFormatExpr'
  readonly template: string
}

/** One assignment of label_format: `dst=src` (rename, value is the source label) or `dst="tmpl"`. */
export interface LabelFmt {
  readonly name: string
  readonly value: string
  readonly rename: boolean
}

/** `| label_format dst=src, other="{{.x}}"`. */
export interface LabelFmtExpr {
  readonly kind: 'LabelFmtExpr'
  readonly formats: readonly LabelFmt[]
}

/** `name` alone, or `name="v"` / `name=~"re"`... (matcher set, name repeated in matcher.name). */
export interface NamedLabel {
  readonly name: string
  readonly matcher: LabelMatcher | null
}

/** `| drop a, b="v", c=~"re"`. */
export interface DropLabelsExpr {
  readonly kind: 'DropLabelsExpr'
  readonly labels: readonly NamedLabel[]
}

/** `| keep a, b="v"`. */
export interface KeepLabelsExpr {
  readonly kind: 'KeepLabelsExpr'
  readonly labels: readonly NamedLabel[]
}

/** `| decolorize`. */
export interface DecolorizeExpr {
  readonly kind: 'DecolorizeExpr'
}

// ---------------------------------------------------------------------------------------------
// Metric queries

export type UnwrapOp = '' | 'duration' | 'duration_seconds' | 'bytes'

/** `| unwrap latency`, `| unwrap duration(latency) | __error__=""`. */
export interface UnwrapExpr {
  readonly op: UnwrapOp
  readonly label: string
  readonly postFilters: readonly LabelFilterExpr[]
}

/**
 * A log selector over a range, `{app="x"} | json [5m] offset 1h`, argument of range aggregations.
 * The range may be written before or after the pipeline; both parse to the same node.
 */
export interface LogRangeExpr {
  readonly kind: 'LogRangeExpr'
  readonly left: LogSelectorExpr
  readonly rangeMs: number
  readonly offsetMs: number
  readonly unwrap: UnwrapExpr | null
}

export type RangeOp =
  | 'count_over_time'
  | 'rate'
  | 'rate_counter'
  | 'bytes_over_time'
  | 'bytes_rate'
  | 'avg_over_time'
  | 'sum_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'stdvar_over_time'
  | 'stddev_over_time'
  | 'quantile_over_time'
  | 'first_over_time'
  | 'last_over_time'
  | 'absent_over_time'

export interface Grouping {
  readonly mode: 'by' | 'without'
  readonly labels: readonly string[]
}

/** `rate({app="x"}[5m])`, `quantile_over_time(0.99, ... [5m]) by (host)`. */
export interface RangeAggregationExpr {
  readonly kind: 'RangeAggregationExpr'
  readonly op: RangeOp
  readonly left: LogRangeExpr
  /** The φ of quantile_over_time, else null. */
  readonly param: number | null
  readonly grouping: Grouping | null
}

export type VectorOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'max'
  | 'min'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'sort'
  | 'sort_desc'
  | 'approx_topk'

/** `sum by (app) (rate(...))`, `topk(5, ...)`. */
export interface VectorAggregationExpr {
  readonly kind: 'VectorAggregationExpr'
  readonly op: VectorOp
  readonly left: SampleExpr
  /** The k of topk/bottomk/approx_topk, else null. */
  readonly param: number | null
  readonly grouping: Grouping | null
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^'
export type ComparisonOp = '==' | '!=' | '>' | '>=' | '<' | '<='
export type SetOp = 'and' | 'or' | 'unless'
export type BinOp = ArithmeticOp | ComparisonOp | SetOp

export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many'

/** `on(a) group_left(b)`: on=false means `ignoring(...)`; include holds group_* labels. */
export interface VectorMatching {
  readonly on: boolean
  readonly labels: readonly string[]
  readonly card: VectorMatchCardinality
  readonly include: readonly string[]
}

/** `a + b`, `a > bool 1`, `a / on(x) group_left(y) b`. */
export interface BinOpExpr {
  readonly kind: 'BinOpExpr'
  readonly op: BinOp
  readonly left: SampleExpr
  readonly right: SampleExpr
  readonly returnBool: boolean
  readonly matching: VectorMatching | null
}

/** A scalar number: `1`, `-1.5`, `1e3`. May be NaN or ±Infinity. */
export interface LiteralExpr {
  readonly kind: 'LiteralExpr'
  readonly value: number
}

/** `vector(1)`. */
export interface VectorExpr {
  readonly kind: 'VectorExpr'
  readonly value: number
}

/** `label_replace(v, "dst", "replacement", "src", "regex")`. */
export interface LabelReplaceExpr {
  readonly kind: 'LabelReplaceExpr'
  readonly left: SampleExpr
  readonly dst: string
  readonly replacement: string
  readonly src: string
  readonly regex: string
}

export type SampleExpr =
  | RangeAggregationExpr
  | VectorAggregationExpr
  | BinOpExpr
  | LiteralExpr
  | VectorExpr
  | LabelReplaceExpr

export type LogExpr = LogSelectorExpr

/** Any complete LogQL query. */
export type Expr = LogSelectorExpr | SampleExpr

/** Every node kind, including the ones nested inside queries. */
export type Node = Expr | StageExpr | LabelFilter | LogRangeExpr

export function isLogExpr(e: Expr): e is LogSelectorExpr {
  return e.kind === 'MatchersExpr' || e.kind === 'PipelineExpr'
}

export function isSampleExpr(e: Expr): e is SampleExpr {
  return !isLogExpr(e)
}

/** The stream selector of a log selector. */
export function selectorMatchers(e: LogSelectorExpr): readonly LabelMatcher[] {
  return e.kind === 'MatchersExpr' ? e.matchers : e.left.matchers
}

/** The pipeline stages of a log selector (empty for a bare selector). */
export function pipelineStages(e: LogSelectorExpr): readonly StageExpr[] {
  return e.kind === 'MatchersExpr' ? [] : e.stages
}
