/**
 * The canonical one-line form of a query, identical to Loki's `Expr.String()`: binary operations
 * fully parenthesised, label filters as `( a , b )`, strings quoted with Go's strconv.Quote,
 * ranges as Prometheus durations and offsets as Go durations, durations in filters as Go
 * durations and byte sizes in go-humanize's SI form without the space.
 */

import type {
  Expr,
  Grouping,
  LabelFilter,
  LabelMatcher,
  LineFilterExpr,
  LineFilterTerm,
  LogRangeExpr,
  NamedLabel,
  StageExpr,
  UnwrapExpr,
  VectorMatching,
} from './ast'
import { goQuote } from '../../go/strconv'
import { labelRegexSimplifies } from './label-regex'
import { formatGoFloatF, formatGoFloatV } from './number-format'
import { humanizeBytes } from '../../go/bytes'
import { formatGoDuration, formatPromDuration, durationMsToNs } from '../../go/duration'

// Prometheus 3 quotes label names outside the legacy character set when printing a matcher.
const LEGACY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function printMatcher(m: LabelMatcher): string {
  const name = LEGACY_NAME.test(m.name) ? m.name : goQuote(m.name)
  return `${name}${m.type}${goQuote(m.value)}`
}

export function printMatchers(ms: readonly LabelMatcher[]): string {
  return `{${ms.map(printMatcher).join(', ')}}`
}

function printTerm(t: LineFilterTerm): string {
  return t.ip ? `ip(${goQuote(t.match)})` : goQuote(t.match)
}

export function printLineFilter(f: LineFilterExpr, withOr = true): string {
  let s = `${f.op} ${printTerm(f)}`
  if (withOr) for (const t of f.or) s += ` or ${printTerm(t)}`
  return s
}

export function printLabelFilter(f: LabelFilter): string {
  switch (f.kind) {
    case 'StringLabelFilter': {
      const m = f.matcher
      if ((m.type === '=~' || m.type === '!~') && !labelRegexSimplifies(m.value)) {
        return `${m.name}${m.type}${m.value.includes('`') ? goQuote(m.value) : `\`${m.value}\``}`
      }
      return printMatcher(m)
    }
    case 'NumericLabelFilter':
      return `${f.name}${f.op}${formatGoFloatF(f.value)}`
    case 'DurationLabelFilter':
      return `${f.name}${f.op}${formatGoDuration(BigInt(Math.round(f.valueNs)))}`
    case 'BytesLabelFilter':
      return `${f.name}${f.op}${humanizeBytes(f.value).replace(/\s/g, '')}`
    case 'IpLabelFilter':
      return `${f.name}${f.op}ip(${goQuote(f.pattern)})`
    case 'BinaryLabelFilter':
      return `( ${printLabelFilter(f.left)}${f.op === 'and' ? ' , ' : ' or '}${printLabelFilter(f.right)} )`
  }
}

function printNamed(labels: readonly NamedLabel[]): string {
  return labels.map((l) => (l.matcher ? printMatcher(l.matcher) : l.name)).join(',')
}

export function printStage(s: StageExpr): string {
  switch (s.kind) {
    case 'LineFilterExpr':
      return printLineFilter(s)
    case 'LabelParserExpr': {
      let out = `| ${s.op}`
      if (s.op === 'logfmt') {
        if (s.strict) out += ' --strict'
        if (s.keepEmpty) out += ' --keep-empty'
      }
      if (s.op === 'regexp' || s.op === 'pattern') out += ` ${goQuote(s.param)}`
      return out
    }
    case 'JSONExpressionParser':
      return `| json ${s.expressions.map((e) => `${e.identifier}=${goQuote(e.expression)}`).join(',')}`
    case 'LogfmtExpressionParser': {
      let out = '| logfmt '
      if (s.strict) out += '--strict '
      if (s.keepEmpty) out += '--keep-empty '
      return out + s.expressions.map((e) => `${e.identifier}=${goQuote(e.expression)}`).join(',')
    }
    case 'LabelFilterExpr':
      return `| ${printLabelFilter(s.filter)}`
    case 'LineFormatExpr':
      return `| line_format ${goQuote(s.template)}`
    case 'LabelFmtExpr':
      return `| label_format ${s.formats.map((f) => `${f.name}=${f.rename ? f.value : goQuote(f.value)}`).join(',')}`
    case 'DropLabelsExpr':
      return `| drop ${printNamed(s.labels)}`
    case 'KeepLabelsExpr':
      return `| keep ${printNamed(s.labels)}`
    case 'DecolorizeExpr':
      return '| decolorize'
  }
}

export function printUnwrap(u: UnwrapExpr): string {
  let s = u.op === '' ? ` | unwrap ${u.label}` : ` | unwrap ${u.op}(${u.label})`
  for (const f of u.postFilters) s += ` | ${printLabelFilter(f.filter)}`
  return s
}

export function printRange(rangeMs: number): string {
  return formatPromDuration(durationMsToNs(rangeMs))
}

export function printLogRange(r: LogRangeExpr): string {
  let s = printExpr(r.left)
  if (r.unwrap) s += printUnwrap(r.unwrap)
  s += `[${printRange(r.rangeMs)}]`
  if (r.offsetMs !== 0) s += ` offset ${formatGoDuration(durationMsToNs(r.offsetMs))}`
  return s
}

export function printGrouping(g: Grouping): string {
  return `${g.mode === 'without' ? ' without ' : ' by '}(${g.labels.join(',')})`
}

/** The operator with its bool / on / ignoring / group_* modifiers, as Loki's BinOpExpr.String. */
function printBinOpOperator(op: string, returnBool: boolean, m: VectorMatching | null): string {
  let out = returnBool ? `${op} bool` : op
  if (m) {
    let group = m.card === 'many-to-one' ? 'group_left' : m.card === 'one-to-many' ? 'group_right' : ''
    if (m.include.length > 0) group = `${group} (${m.include.join(',')})`
    if (m.on || m.labels.length > 0) {
      out = `${out} ${m.on ? 'on' : 'ignoring'} (${m.labels.join(',')}) ${group}`
    }
  }
  return out
}

/** Loki's `Expr.String()`. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'MatchersExpr':
      return printMatchers(e.matchers)
    case 'PipelineExpr':
      return `${printMatchers(e.left.matchers)} ${e.stages.map(printStage).join(' ')}`
    case 'RangeAggregationExpr': {
      const param = e.param !== null ? `${formatGoFloatF(e.param)},` : ''
      return `${e.op}(${param}${printLogRange(e.left)})${e.grouping ? printGrouping(e.grouping) : ''}`
    }
    case 'VectorAggregationExpr': {
      const params = e.param !== null ? `${e.param},${printExpr(e.left)}` : printExpr(e.left)
      const singleton = !e.grouping || (e.grouping.mode === 'by' && e.grouping.labels.length === 0)
      return `${e.op}${singleton || !e.grouping ? '' : printGrouping(e.grouping)}(${params})`
    }
    case 'BinOpExpr':
      return `(${printExpr(e.left)} ${printBinOpOperator(e.op, e.returnBool, e.matching)} ${printExpr(e.right)})`
    case 'LiteralExpr':
      return formatGoFloatV(e.value)
    case 'VectorExpr':
      return `vector(${e.value.toFixed(6)})`
    case 'LabelReplaceExpr':
      return `label_replace(${printExpr(e.left)},${[e.dst, e.replacement, e.src, e.regex].map((s) => goQuote(s)).join(',')})`
  }
}
