/**
 * Parsing of the log half of LogQL: stream selectors, pipeline stages (line filters with `or`,
 * parsers, label filters, formatters, drop/keep) and unwrap clauses, following Loki's grammar
 * (`syntax.y`). Negated line filters with `or` are expanded into one filter per operand, exactly
 * as Loki does, so printing matches Loki. Regexp and pattern parser stages are checked as Loki
 * checks them when it builds the AST node.
 */

import type {
  LabelExtractionExpr,
  LabelFilterExpr,
  LabelFmt,
  LabelMatcher,
  LineFilterExpr,
  LineFilterOp,
  LineFilterTerm,
  MatchersExpr,
  NamedLabel,
  StageExpr,
  UnwrapExpr,
  UnwrapOp,
} from './ast'
import type { Cursor } from './cursor'
import { ParseError } from './errors'
import { parseLabelFilterOr, startsLabelFilter } from './label-filter-parser'
import { MATCH_OPS, newMatcher } from './matcher'
import { patternError } from './pattern'
import { durationNsToMs } from '../../go/duration'
import { compileRegex } from '../regex/regex'

const LINE_FILTER_OPS: Record<string, LineFilterOp> = {
  PIPE_EXACT: '|=',
  NEQ: '!=',
  PIPE_MATCH: '|~',
  NRE: '!~',
  PIPE_PATTERN: '|>',
  NPA: '!>',
}
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export function isLineFilterStart(type: string): boolean {
  return type in LINE_FILTER_OPS
}

function parseMatcher(c: Cursor): LabelMatcher {
  const name = c.expect('IDENTIFIER').value
  const opTok = c.peek()
  const type = MATCH_OPS[opTok.type]
  if (type === undefined) throw c.syntaxError(['EQ', 'RE', 'NRE', 'NEQ'])
  c.next()
  const value = c.expect('STRING').value
  return newMatcher(type, name, value)
}

/** `{ matchers }` or `{}`. */
export function parseSelector(c: Cursor, expected: readonly string[] = ['OPEN_BRACE']): MatchersExpr {
  c.expect('OPEN_BRACE', expected)
  const matchers: LabelMatcher[] = []
  if (c.is('CLOSE_BRACE')) {
    c.next()
    return { kind: 'MatchersExpr', matchers }
  }
  if (!c.is('IDENTIFIER')) throw c.syntaxError(['IDENTIFIER', 'CLOSE_BRACE'])
  matchers.push(parseMatcher(c))
  for (;;) {
    if (c.is('CLOSE_BRACE')) break
    if (!c.is('COMMA')) throw c.syntaxError(['CLOSE_BRACE', 'COMMA'])
    c.next()
    matchers.push(parseMatcher(c))
  }
  c.next()
  return { kind: 'MatchersExpr', matchers }
}

function parseLineFilterTerm(c: Cursor): LineFilterTerm {
  if (c.is('STRING')) return { match: c.next().value, ip: false }
  if (c.is('IP')) {
    c.next()
    c.expect('OPEN_PARENTHESIS')
    const match = c.expect('STRING').value
    c.expect('CLOSE_PARENTHESIS')
    return { match, ip: true }
  }
  throw c.syntaxError(['STRING', 'IP'])
}

function parseLineFilter(c: Cursor): LineFilterExpr[] {
  const op = LINE_FILTER_OPS[c.next().type] ?? '|='
  const first = parseLineFilterTerm(c)
  const rest: LineFilterTerm[] = []
  while (c.is('OR')) {
    c.next()
    rest.push(parseLineFilterTerm(c))
  }
  const negated = op === '!=' || op === '!~' || op === '!>'
  if (negated) {
    return [first, ...rest].map((t) => ({ kind: 'LineFilterExpr', op, match: t.match, ip: t.ip, or: [] }))
  }
  return [{ kind: 'LineFilterExpr', op, match: first.match, ip: first.ip, or: rest }]
}

function parseExtractions(c: Cursor): LabelExtractionExpr[] {
  const out: LabelExtractionExpr[] = []
  for (;;) {
    const identifier = c.expect('IDENTIFIER').value
    let expression = identifier
    if (c.is('EQ')) {
      c.next()
      expression = c.expect('STRING').value
    }
    out.push({ identifier, expression })
    if (!c.is('COMMA')) return out
    c.next()
  }
}

function parseNamedLabels(c: Cursor): NamedLabel[] {
  const out: NamedLabel[] = []
  for (;;) {
    const name = c.expect('IDENTIFIER').value
    const type = MATCH_OPS[c.peek().type]
    if (type !== undefined) {
      c.next()
      out.push({ name, matcher: newMatcher(type, name, c.expect('STRING').value) })
    } else {
      out.push({ name, matcher: null })
    }
    if (!c.is('COMMA')) return out
    c.next()
  }
}

function parseLabelFormats(c: Cursor): LabelFmt[] {
  const out: LabelFmt[] = []
  for (;;) {
    const name = c.expect('IDENTIFIER').value
    c.expect('EQ')
    const v = c.peek()
    if (v.type === 'IDENTIFIER') out.push({ name, value: c.next().value, rename: true })
    else if (v.type === 'STRING') out.push({ name, value: c.next().value, rename: false })
    else throw c.syntaxError(['IDENTIFIER', 'STRING'])
    if (!c.is('COMMA')) return out
    c.next()
  }
}

function checkRegexpParser(re: string): void {
  let compiled
  try {
    compiled = compileRegex(re, { anchored: false })
  } catch (e) {
    throw new ParseError(`invalid regexp parser: ${e instanceof Error ? e.message : String(e)}`)
  }
  const names = compiled.groupNames.slice(1).filter((n) => n !== '')
  if (names.length === 0) throw new ParseError('invalid regexp parser: at least one named capture must be supplied')
  const seen = new Set<string>()
  for (const n of names) {
    if (!LABEL_NAME.test(n)) throw new ParseError(`invalid regexp parser: invalid extracted label name '${n}'`)
    if (seen.has(n)) throw new ParseError(`invalid regexp parser: duplicate extracted label name '${n}'`)
    seen.add(n)
  }
}

/** One stage after `|` (the `|` already consumed). */
function parseStage(c: Cursor): StageExpr {
  const t = c.peek()
  switch (t.type) {
    case 'JSON':
      c.next()
      if (c.is('IDENTIFIER')) return { kind: 'JSONExpressionParser', expressions: parseExtractions(c) }
      return { kind: 'LabelParserExpr', op: 'json', param: '', strict: false, keepEmpty: false }
    case 'LOGFMT': {
      c.next()
      let strict = false
      let keepEmpty = false
      while (c.is('PARSER_FLAG')) {
        const f = c.next().value
        if (f === '--strict') strict = true
        else keepEmpty = true
      }
      if (c.is('IDENTIFIER')) {
        return { kind: 'LogfmtExpressionParser', expressions: parseExtractions(c), strict, keepEmpty }
      }
      return { kind: 'LabelParserExpr', op: 'logfmt', param: '', strict, keepEmpty }
    }
    case 'REGEXP': {
      c.next()
      const param = c.expect('STRING').value
      checkRegexpParser(param)
      return { kind: 'LabelParserExpr', op: 'regexp', param, strict: false, keepEmpty: false }
    }
    case 'PATTERN': {
      c.next()
      const param = c.expect('STRING').value
      const err = patternError(param)
      if (err !== null) throw new ParseError(`invalid pattern parser: ${err}`)
      return { kind: 'LabelParserExpr', op: 'pattern', param, strict: false, keepEmpty: false }
    }
    case 'UNPACK':
      c.next()
      return { kind: 'LabelParserExpr', op: 'unpack', param: '', strict: false, keepEmpty: false }
    case 'LINE_FMT':
      c.next()
      return { kind: 'LineFormatExpr', template: c.expect('STRING').value }
    case 'LABEL_FMT':
      c.next()
      return { kind: 'LabelFmtExpr', formats: parseLabelFormats(c) }
    case 'DECOLORIZE':
      c.next()
      return { kind: 'DecolorizeExpr' }
    case 'DROP':
      c.next()
      return { kind: 'DropLabelsExpr', labels: parseNamedLabels(c) }
    case 'KEEP':
      c.next()
      return { kind: 'KeepLabelsExpr', labels: parseNamedLabels(c) }
    case 'IDENTIFIER':
    case 'OPEN_PARENTHESIS':
      return { kind: 'LabelFilterExpr', filter: parseLabelFilterOr(c) }
    default:
      throw c.syntaxError()
  }
}

/** Pipeline stages; stops before `| unwrap` (left to the caller) and at any other token. */
export function parsePipeline(c: Cursor): StageExpr[] {
  const stages: StageExpr[] = []
  for (;;) {
    const t = c.peek()
    if (isLineFilterStart(t.type)) {
      stages.push(...parseLineFilter(c))
    } else if (t.type === 'PIPE') {
      if (c.peekAhead()?.type === 'UNWRAP') return stages
      c.next()
      stages.push(parseStage(c))
    } else {
      return stages
    }
  }
}

const CONV_OPS: Record<string, UnwrapOp> = {
  BYTES_CONV: 'bytes',
  DURATION_CONV: 'duration',
  DURATION_SECONDS_CONV: 'duration_seconds',
}

/** `| unwrap [conv(]label[)]` followed by `| labelFilter` post filters. */
export function parseUnwrap(c: Cursor): UnwrapExpr {
  c.expect('PIPE')
  c.expect('UNWRAP')
  let op: UnwrapOp = ''
  let label: string
  const t = c.peek()
  const conv = CONV_OPS[t.type]
  if (conv !== undefined) {
    c.next()
    op = conv
    c.expect('OPEN_PARENTHESIS')
    label = c.expect('IDENTIFIER').value
    c.expect('CLOSE_PARENTHESIS')
  } else if (t.type === 'IDENTIFIER') {
    label = c.next().value
  } else {
    throw c.syntaxError(['IDENTIFIER', 'BYTES_CONV', 'DURATION_CONV', 'DURATION_SECONDS_CONV'])
  }
  const postFilters: LabelFilterExpr[] = []
  while (c.is('PIPE')) {
    c.next()
    if (!startsLabelFilter(c)) throw c.syntaxError(['IDENTIFIER', 'OPEN_PARENTHESIS'])
    postFilters.push({ kind: 'LabelFilterExpr', filter: parseLabelFilterOr(c) })
  }
  return { op, label, postFilters }
}

export function rangeMsOf(ns: bigint): number {
  return durationNsToMs(ns)
}
