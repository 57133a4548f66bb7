/**
 * Loki's post-parse validation. Queries must select streams with at least one matcher that does
 * not match the empty string (`{app=~".*"}` alone is rejected); `sort`/`sort_desc` take no
 * grouping. Pipeline construction checks (duplicate label_format targets, formatting `__error__`,
 * invalid line-filter regexes and patterns) are reported as Loki's stage errors:
 * `parse error : stage '<stages>' : <reason>`.
 */

import type { Expr, LabelMatcher, LineFilterExpr, LogSelectorExpr, SampleExpr, StageExpr } from './ast'
import { isLogExpr, pipelineStages, selectorMatchers } from './ast'
import { ParseError } from './errors'
import { printLineFilter, printStage } from './print'
import { compileRegex, regexError } from '../regex/regex'
import { lineFilterPatternError } from './pattern'

export const ERR_EMPTY_COMPATIBLE =
  'queries require at least one regexp or equality matcher that does not have an empty-compatible value. ' +
  'For instance, app=~".*" does not meet this requirement, but app=~".+" will'

/** Whether a matcher accepts the empty value (and so cannot narrow the set of streams). */
export function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === ''
    case '!=':
      return m.value !== ''
    case '=~':
      return compileRegex(m.value, { anchored: true, dotAll: true }).test('')
    case '!~':
      return !compileRegex(m.value, { anchored: true, dotAll: true }).test('')
  }
}

export function validateMatchers(ms: readonly LabelMatcher[]): void {
  if (!ms.some((m) => !matchesEmpty(m))) throw new ParseError(ERR_EMPTY_COMPATIBLE)
}

function selectorOf(e: SampleExpr): LogSelectorExpr | null {
  switch (e.kind) {
    case 'RangeAggregationExpr':
      return e.left.left
    case 'VectorAggregationExpr':
    case 'LabelReplaceExpr':
      return selectorOf(e.left)
    default:
      return null
  }
}

function validateSample(e: SampleExpr): void {
  switch (e.kind) {
    case 'BinOpExpr':
      validateSample(e.left)
      validateSample(e.right)
      return
    case 'LiteralExpr':
    case 'VectorExpr':
      return
    case 'VectorAggregationExpr':
      if ((e.op === 'sort' || e.op === 'sort_desc') && e.grouping && e.grouping.labels.length > 0) {
        throw new ParseError("sort and sort_desc doesn't allow grouping by ")
      }
      validateSample(e.left)
      return
    default: {
      const sel = selectorOf(e)
      if (sel) validateMatchers(selectorMatchers(sel))
    }
  }
}

/** Loki's `validateExpr`; throws ParseError. */
export function validateExpr(e: Expr): void {
  if (isLogExpr(e)) validateMatchers(selectorMatchers(e))
  else validateSample(e)
}

function stageError(stage: string, reason: string): ParseError {
  return new ParseError(`stage '${stage}' : ${reason}`)
}

// Loki moves line filters ahead of parsers and combines them into one stage; errors name it.
function reorderedStages(stages: readonly StageExpr[]): (StageExpr | LineFilterExpr[])[] {
  const out: (StageExpr | LineFilterExpr[])[] = []
  let filters: LineFilterExpr[] = []
  let others: StageExpr[] = []
  const flush = (): void => {
    if (filters.length > 0) out.push(filters)
    out.push(...others)
    filters = []
    others = []
  }
  for (const s of stages) {
    if (s.kind === 'LabelFilterExpr') {
      flush()
      out.push(s)
    } else if (s.kind === 'LineFilterExpr') {
      filters.push(s)
    } else if (s.kind === 'LineFormatExpr' || (s.kind === 'LabelParserExpr' && s.op === 'unpack')) {
      others.push(s)
      flush()
    } else {
      others.push(s)
    }
  }
  flush()
  return out
}

function checkStages(stages: readonly StageExpr[]): void {
  for (const s of reorderedStages(stages)) {
    if (Array.isArray(s)) {
      for (const f of s) {
        for (const t of [{ match: f.match, ip: f.ip }, ...f.or]) {
          if (t.ip) continue
          const err = f.op === '|~' || f.op === '!~' ? regexError(t.match) : f.op === '|>' || f.op === '!>' ? lineFilterPatternError(t.match) : null
          if (err !== null) throw stageError(s.map((x) => printLineFilter(x)).join(' '), err)
        }
      }
      continue
    }
    if (s.kind === 'LabelFmtExpr') {
      const seen = new Set<string>()
      for (const f of s.formats) {
        if (f.name === '__error__') throw stageError(printStage(s), `${f.name} cannot be formatted`)
        if (seen.has(f.name)) {
          throw stageError(printStage(s), `multiple label name '${f.name}' not allowed in a single format operation`)
        }
        seen.add(f.name)
      }
    }
  }
}

function logSelectors(e: Expr): LogSelectorExpr[] {
  if (isLogExpr(e)) return [e]
  switch (e.kind) {
    case 'RangeAggregationExpr':
      return [e.left.left]
    case 'VectorAggregationExpr':
    case 'LabelReplaceExpr':
      return logSelectors(e.left)
    case 'BinOpExpr':
      return [...logSelectors(e.left), ...logSelectors(e.right)]
    default:
      return []
  }
}

/** The checks Loki makes when it builds the pipelines of a query; throws ParseError. */
export function validatePipelines(e: Expr): void {
  for (const sel of logSelectors(e)) checkStages(pipelineStages(sel))
}
