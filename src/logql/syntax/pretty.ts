/**
 * Loki's query formatter (`syntax.Prettify`, served by `GET /loki/api/v1/format_query`): every node
 * whose one-line form exceeds 100 bytes is split, children indented by two spaces per level,
 * pipeline stages one per line, binary operators on their own line. Reproduces Loki's output
 * exactly, including its quirks (a split chain of line filters drops `or` alternatives, the
 * decolorize stage is never indented, `on ()` disappears from split binary operations).
 */

import type { Expr, Grouping, LineFilterExpr, LogRangeExpr, StageExpr, UnwrapExpr, VectorMatching } from './ast'
import { goQuote } from '../../go/strconv'
import { formatGoFloatV } from './number-format'
import { printExpr, printLabelFilter, printLineFilter, printRange, printStage } from './print'
import { formatPromDuration, durationMsToNs } from '../../go/duration'

const encoder = new TextEncoder()
let maxCharsPerLine = 100

const indent = (level: number): string => '  '.repeat(level)
const tooLong = (s: string): boolean => encoder.encode(s).length > maxCharsPerLine

function prettyGrouping(g: Grouping): string {
  let s = ''
  if (g.mode === 'without') s += ' without'
  else if (g.labels.length > 0) s += ' by'
  if (g.labels.length > 0) s += ` (${g.labels.join(', ')})`
  return s
}

function prettyOperator(op: string, returnBool: boolean, m: VectorMatching | null): string {
  let out = returnBool ? `${op} bool` : op
  if (m) {
    let group = m.card === 'many-to-one' ? 'group_left' : m.card === 'one-to-many' ? 'group_right' : ''
    if (m.include.length > 0) group = `${group} (${m.include.join(', ')})`
    if (m.labels.length > 0) out = `${out} ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')}) ${group}`
  }
  return out
}

// Consecutive line filters form one stage in Loki (a chain), printed and split together.
function groupStages(stages: readonly StageExpr[]): (StageExpr | LineFilterExpr[])[] {
  const out: (StageExpr | LineFilterExpr[])[] = []
  for (const s of stages) {
    const last = out[out.length - 1]
    if (s.kind === 'LineFilterExpr') {
      if (Array.isArray(last)) last.push(s)
      else out.push([s])
    } else {
      out.push(s)
    }
  }
  return out
}

function prettyChain(chain: readonly LineFilterExpr[], level: number): string {
  const whole = chain.map((f) => printLineFilter(f)).join(' ')
  if (!tooLong(whole)) return indent(level) + whole
  const last = chain[chain.length - 1]
  if (!last) return ''
  const head = chain.length > 1 ? prettyChain(chain.slice(0, -1), level) + '\n' : ''
  return head + indent(level) + printLineFilter(last, false)
}

function prettyStage(s: StageExpr | LineFilterExpr[], level: number): string {
  if (Array.isArray(s)) return prettyChain(s, level)
  if (s.kind === 'DecolorizeExpr') return printStage(s)
  return indent(level) + printStage(s)
}

function prettyUnwrap(u: UnwrapExpr, level: number): string {
  let s = indent(level) + (u.op === '' ? `| unwrap ${u.label}` : `| unwrap ${u.op}(${u.label})`)
  for (const f of u.postFilters) s += `\n${indent(level)}| ${printLabelFilter(f.filter)}`
  return s
}

function prettyLogRange(r: LogRangeExpr, level: number): string {
  let s = pretty(r.left, level)
  if (r.unwrap) s += '\n' + prettyUnwrap(r.unwrap, level + 1)
  s = `${s} [${printRange(r.rangeMs)}]`
  if (r.offsetMs !== 0) s += ` offset ${formatPromDuration(durationMsToNs(r.offsetMs))}`
  return s
}

/** Loki's `Prettify`: lines longer than `maxChars` bytes (100 in Loki) are split. */
export function prettyExpr(e: Expr, maxChars = 100): string {
  const saved = maxCharsPerLine
  maxCharsPerLine = maxChars
  try {
    return pretty(e, 0)
  } finally {
    maxCharsPerLine = saved
  }
}

/** Loki's `Expr.Pretty(level)`. */
function pretty(e: Expr, level: number): string {
  const flat = printExpr(e)
  switch (e.kind) {
    case 'MatchersExpr':
    case 'LiteralExpr':
    case 'VectorExpr':
      return indent(level) + flat
    case 'PipelineExpr': {
      if (!tooLong(flat)) return indent(level) + flat
      const stages = groupStages(e.stages).map((s) => prettyStage(s, level + 1))
      return `${pretty(e.left, level)}\n${stages.join('\n')}`
    }
    case 'RangeAggregationExpr': {
      if (!tooLong(flat)) return indent(level) + flat
      let s = `${indent(level)}${e.op}(\n`
      if (e.param !== null) s += `${indent(level + 1)}${formatGoFloatV(e.param)},\n`
      s += prettyLogRange(e.left, level + 1)
      s += `\n${indent(level)})`
      if (e.grouping) s += prettyGrouping(e.grouping)
      return s
    }
    case 'VectorAggregationExpr': {
      if (!tooLong(flat)) return indent(level) + flat
      const left = pretty(e.left, level + 1)
      const params = e.param !== null ? [`${indent(level + 1)}${e.param}`, left] : [left]
      let s = indent(level) + e.op
      if (e.grouping) s += prettyGrouping(e.grouping)
      return `${s}(\n${params.join(',\n')}\n${indent(level)})`
    }
    case 'BinOpExpr': {
      if (!tooLong(flat)) return indent(level) + flat
      return [
        pretty(e.left, level + 1),
        indent(level) + prettyOperator(e.op, e.returnBool, e.matching),
        pretty(e.right, level + 1),
      ].join('\n')
    }
    case 'LabelReplaceExpr': {
      if (!tooLong(flat)) return indent(level) + flat
      const params = [
        pretty(e.left, level + 1),
        ...[e.dst, e.replacement, e.src, e.regex].map((v) => indent(level + 1) + goQuote(v)),
      ]
      return `${indent(level)}label_replace(\n${params.join(',\n')}\n${indent(level)})`
    }
  }
}
