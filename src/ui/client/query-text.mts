/**
 * What the page reads from the query text itself, with Grafana's LogQL grammar
 * (@grafana/lezer-logql): whether it is a metric query, the highlighted spans, where completion
 * applies, and how a clicked label adds a matcher. Loki's parser stays the judge of validity:
 * this only colours and suggests.
 */
import { parser } from '@grafana/lezer-logql'

const KEYWORDS = new Set([
  'Json', 'Logfmt', 'Unpack', 'Pattern', 'Regexp', 'Unwrap', 'LabelFormat', 'LineFormat', 'LabelReplace', 'Vector', 'Offset',
  'Bool', 'On', 'Ignoring', 'GroupLeft', 'GroupRight', 'Decolorize', 'Drop', 'Keep', 'By', 'Without', 'And', 'Or', 'Unless',
  'Sum', 'Avg', 'Count', 'Max', 'Min', 'Stddev', 'Stdvar', 'Bottomk', 'Topk', 'Sort', 'Sort_Desc', 'Approx_Topk', 'Ip',
  'CountOverTime', 'Rate', 'RateCounter', 'BytesOverTime', 'BytesRate', 'AvgOverTime', 'SumOverTime', 'MinOverTime',
  'MaxOverTime', 'StddevOverTime', 'StdvarOverTime', 'QuantileOverTime', 'FirstOverTime', 'LastOverTime', 'AbsentOverTime',
  'BytesConv', 'DurationConv', 'DurationSecondsConv', 'ApproxCountDistinct',
])
const OPERATORS = new Set([
  'Eq', 'Neq', 'Re', 'Nre', 'PipeExact', 'PipeMatch', 'PipePattern', 'Npa', 'Pipe', 'Gtr', 'Gte', 'Lss', 'Lte', 'Eql',
  'Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow',
])
const NUMBERS = new Set(['Number', 'Duration', 'Bytes'])

export type TokenClass = 'kw' | 'op' | 'str' | 'label' | 'num' | 'err'

export interface Span {
  readonly from: number
  readonly to: number
  readonly cls: TokenClass
}

function classOf(name: string): TokenClass | null {
  if (name === 'String') return 'str'
  if (name === 'Identifier' || name === 'LabelName') return 'label'
  if (NUMBERS.has(name)) return 'num'
  if (KEYWORDS.has(name)) return 'kw'
  if (OPERATORS.has(name)) return 'op'
  return null
}

/** Highlighted spans in text order, not overlapping; syntax errors as `err` spans at least one character wide. */
export function highlightSpans(text: string): Span[] {
  const spans: Span[] = []
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) {
        const to = Math.min(text.length, Math.max(node.to, node.from + 1))
        if (to > node.from) spans.push({ from: node.from, to, cls: 'err' })
        return false
      }
      const cls = classOf(node.name)
      if (cls === null) return undefined
      spans.push({ from: node.from, to: node.to, cls })
      return false
    },
  })
  spans.sort((a, b) => a.from - b.from)
  const out: Span[] = []
  for (const s of spans) if (out.length === 0 || s.from >= (out[out.length - 1]?.to ?? 0)) out.push(s)
  return out
}

/** Whether the query is a metric query (a sample expression) rather than a log query. */
export function isMetricQuery(text: string): boolean {
  const expr = parser.parse(text).topNode.getChild('Expr')
  const first = expr?.firstChild
  if (first) return first.name === 'MetricExpr'
  return !text.trimStart().startsWith('{')
}

/** The character offset Loki's `parse error at line L, col C` message points at, if it has one. */
export function errorOffset(text: string, message: string): number | null {
  const m = /at line (\d+), col (\d+)/.exec(message)
  if (!m) return null
  const lines = text.split('\n')
  const line = Math.min(Number(m[1]), lines.length)
  let offset = 0
  for (let i = 0; i < line - 1; i++) offset += (lines[i]?.length ?? 0) + 1
  return Math.min(text.length, offset + Math.max(0, Number(m[2]) - 1))
}

export type Completion =
  | { readonly kind: 'label'; readonly prefix: string; readonly from: number }
  | { readonly kind: 'value'; readonly label: string; readonly prefix: string; readonly from: number }
  | { readonly kind: 'function'; readonly prefix: string; readonly from: number }
  | { readonly kind: 'stage'; readonly prefix: string; readonly from: number }

/** What may follow a `|` in a pipeline. */
export const PIPELINE_STAGES = ['decolorize', 'drop', 'json', 'keep', 'label_format', 'line_format', 'logfmt', 'pattern', 'regexp', 'unpack', 'unwrap']

/** What may be completed at `cursor`: a label name or value inside a selector, a pipeline stage after `|`, or a function name. */
export function completionAt(text: string, cursor: number): Completion | null {
  let depth = 0
  let quote: string | null = null
  let quoteStart = -1
  for (let i = 0; i < cursor; i++) {
    const ch = text[i]
    if (quote !== null) {
      if (ch === '\\' && quote === '"') i++
      else if (ch === quote) quote = null
    } else if (ch === '"' || ch === '`') {
      quote = ch
      quoteStart = i
    } else if (ch === '{') depth++
    else if (ch === '}') depth = Math.max(0, depth - 1)
  }
  const before = text.slice(0, cursor)
  if (depth > 0 && quote !== null) {
    const m = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*$/.exec(text.slice(0, quoteStart))
    if (!m || m[1] === undefined) return null
    return { kind: 'value', label: m[1], prefix: text.slice(quoteStart + 1, cursor), from: quoteStart + 1 }
  }
  if (quote !== null) return null
  if (depth > 0) {
    const m = /(?:^|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before)
    if (!m) return null
    const prefix = m[1] ?? ''
    return { kind: 'label', prefix, from: cursor - prefix.length }
  }
  const stage = /\|\s*([a-z_]*)$/.exec(before)
  if (stage && stage[1] !== undefined) return { kind: 'stage', prefix: stage[1], from: cursor - stage[1].length }
  const m = /(?:^|[^A-Za-z0-9_{}"`])([a-z_]+)$/.exec(before)
  if (!m || m[1] === undefined) return null
  return { kind: 'function', prefix: m[1], from: cursor - m[1].length }
}

function quoted(value: string): string {
  return JSON.stringify(value)
}

/** The query with `name="value"` added to its first selector, or a new selector when it has none. */
export function withMatcher(text: string, name: string, value: string): string {
  const matcher = `${name}=${quoted(value)}`
  const open = text.indexOf('{')
  if (open < 0) return `{${matcher}}`
  const close = text.indexOf('}', open)
  if (close < 0) return `${text}, ${matcher}}`
  const inside = text.slice(open + 1, close).trim()
  return `${text.slice(0, close).trimEnd()}${inside === '' ? '' : ', '}${matcher}${text.slice(close)}`
}
