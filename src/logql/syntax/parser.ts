/**
 * Recursive-descent LogQL parser producing the plain-object AST of ./ast. Binary operators use
 * precedence climbing with Loki's table (`or` < `and`/`unless` < comparisons < `+ -` < `* / %` <
 * `^`, the last right-associative). Like Loki, operations on two literals are folded at parse time
 * (`1 + 1` is the literal 2), and range/vector aggregation and binary-operation misuse produce
 * `parse error : ...` messages only once the whole input is syntactically valid.
 */

import type { BinOp, Expr, Grouping, SampleExpr, VectorMatching, VectorOp } from './ast'
import { isLogExpr } from './ast'
import { Cursor } from './cursor'
import { ParseError } from './errors'
import { tokenize } from './lexer'
import { parseFloatLiteral } from './label-filter-parser'
import { parsePipeline, parseSelector } from './log-parser'
import { parseGrouping, parseLabelList } from './label-list'
import { RANGE_OPS, parseRangeAggregation } from './range-parser'
import { foldLiterals } from './fold'
import { regexError } from '../regex/regex'

const MAX_INPUT_SIZE = 5120

const BINOP_PREC: Record<string, [BinOp, number]> = {
  OR: ['or', 1],
  AND: ['and', 2],
  UNLESS: ['unless', 2],
  CMP_EQ: ['==', 3],
  NEQ: ['!=', 3],
  LT: ['<', 3],
  LTE: ['<=', 3],
  GT: ['>', 3],
  GTE: ['>=', 3],
  ADD: ['+', 4],
  SUB: ['-', 4],
  MUL: ['*', 5],
  DIV: ['/', 5],
  MOD: ['%', 5],
  POW: ['^', 6],
}

const VECTOR_OPS: Record<string, VectorOp> = {
  SUM: 'sum',
  AVG: 'avg',
  COUNT: 'count',
  MAX: 'max',
  MIN: 'min',
  STDDEV: 'stddev',
  STDVAR: 'stdvar',
  BOTTOMK: 'bottomk',
  TOPK: 'topk',
  SORT: 'sort',
  SORT_DESC: 'sort_desc',
  APPROX_TOPK: 'approx_topk',
}

/** Parses without semantic validation of matchers; throws ParseError. */
export function parseWithoutValidation(input: string): Expr {
  if (input.length >= MAX_INPUT_SIZE && new TextEncoder().encode(input).length >= MAX_INPUT_SIZE) {
    throw new ParseError(`input size too long (${new TextEncoder().encode(input).length} > ${MAX_INPUT_SIZE})`)
  }
  const c = new Cursor(tokenize(input))
  let e: Expr
  try {
    e = parseBinary(c, 0)
  } catch (err) {
    // goyacc's stack grows without bound; a recursive parser can run out of call stack on
    // thousands of nested parentheses. Report that as a query error rather than a crash.
    if (err instanceof RangeError) throw new ParseError('expression too deeply nested')
    throw err
  }
  if (!c.is('EOF')) throw c.syntaxError()
  const deferred = c.firstDeferred()
  if (deferred) throw deferred
  return e
}

function goTypeName(e: Expr): string {
  return `*syntax.${e.kind === 'MatchersExpr' ? 'MatchersExpr' : e.kind === 'PipelineExpr' ? 'PipelineExpr' : e.kind}`
}

function parseBinary(c: Cursor, minPrec: number): Expr {
  let left = parseOperand(c)
  for (;;) {
    const entry = BINOP_PREC[c.peek().type]
    if (!entry || entry[1] < minPrec) return left
    const [op, prec] = entry
    c.next()
    const { returnBool, matching } = parseBinOpModifier(c)
    const right = parseBinary(c, op === '^' ? prec : prec + 1)
    left = makeBinOp(c, op, returnBool, matching, left, right)
  }
}

function makeBinOp(
  c: Cursor,
  op: BinOp,
  returnBool: boolean,
  matching: VectorMatching | null,
  left: Expr,
  right: Expr,
): Expr {
  if (isLogExpr(left)) {
    c.defer(`unexpected type for left leg of binary operation (${op}): ${goTypeName(left)}`)
    return left
  }
  if (isLogExpr(right)) {
    c.defer(`unexpected type for right leg of binary operation (${op}): ${goTypeName(right)}`)
    return left
  }
  if (op === 'and' || op === 'or' || op === 'unless') {
    if (left.kind === 'LiteralExpr') {
      c.defer(`unexpected literal for left leg of logical/set binary operation (${op}): ${left.value.toFixed(6)}`)
    } else if (right.kind === 'LiteralExpr') {
      c.defer(`unexpected literal for right leg of logical/set binary operation (${op}): ${right.value.toFixed(6)}`)
    }
  }
  if (left.kind === 'LiteralExpr' && right.kind === 'LiteralExpr') {
    return { kind: 'LiteralExpr', value: foldLiterals(op, left.value, right.value) }
  }
  return { kind: 'BinOpExpr', op, left, right, returnBool, matching }
}

function parseBinOpModifier(c: Cursor): { returnBool: boolean; matching: VectorMatching | null } {
  let returnBool = false
  if (c.is('BOOL')) {
    c.next()
    returnBool = true
  }
  if (!c.is('ON', 'IGNORING')) return { returnBool, matching: null }
  const on = c.next().type === 'ON'
  const labels = parseLabelList(c)
  let card: VectorMatching['card'] = 'one-to-one'
  let include: string[] = []
  if (c.is('GROUP_LEFT', 'GROUP_RIGHT')) {
    card = c.next().type === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many'
    if (c.is('OPEN_PARENTHESIS')) include = parseLabelList(c)
  }
  // `ignoring ()` without group modifier is the default matching; Loki prints nothing for it.
  if (!on && labels.length === 0 && card === 'one-to-one') return { returnBool, matching: null }
  return { returnBool, matching: { on, labels, card, include } }
}

function requireSample(c: Cursor, e: Expr): SampleExpr {
  if (isLogExpr(e)) throw c.syntaxError()
  return e
}

function parseOperand(c: Cursor): Expr {
  const t = c.peek()
  if (t.type === 'OPEN_BRACE') {
    const sel = parseSelector(c)
    const stages = parsePipeline(c)
    if (c.is('PIPE')) throw (c.next(), c.syntaxError())
    return stages.length === 0 ? sel : { kind: 'PipelineExpr', left: sel, stages }
  }
  if (t.type === 'OPEN_PARENTHESIS') {
    c.next()
    const inner = parseBinary(c, 0)
    c.expect('CLOSE_PARENTHESIS', [])
    return inner
  }
  if (t.type === 'NUMBER' || t.type === 'ADD' || t.type === 'SUB') {
    let sign = 1
    if (t.type !== 'NUMBER') {
      sign = c.next().type === 'SUB' ? -1 : 1
      if (!c.is('NUMBER')) throw c.syntaxError(['NUMBER'])
    }
    return { kind: 'LiteralExpr', value: sign * parseFloatLiteral(c, c.next().value) }
  }
  const rangeOp = RANGE_OPS[t.type]
  if (rangeOp !== undefined) return parseRangeAggregation(c, rangeOp)
  const vecOp = VECTOR_OPS[t.type]
  if (vecOp !== undefined) return parseVectorAggregation(c, vecOp)
  if (t.type === 'LABEL_REPLACE') return parseLabelReplace(c)
  if (t.type === 'VECTOR') {
    c.next()
    c.expect('OPEN_PARENTHESIS')
    const text = c.expect('NUMBER').value
    const value = Number(text)
    if (Number.isNaN(value)) c.defer(`unable to parse vectorExpr as a float: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`)
    c.expect('CLOSE_PARENTHESIS')
    return { kind: 'VectorExpr', value: Number.isNaN(value) ? 0 : value }
  }
  throw c.syntaxError()
}

function parseLabelReplace(c: Cursor): SampleExpr {
  c.next()
  c.expect('OPEN_PARENTHESIS')
  const left = requireSample(c, parseBinary(c, 0))
  const args: string[] = []
  for (let i = 0; i < 4; i++) {
    c.expect('COMMA', i === 0 ? [] : ['COMMA'])
    args.push(c.expect('STRING').value)
  }
  c.expect('CLOSE_PARENTHESIS')
  const [dst = '', replacement = '', src = '', regex = ''] = args
  const err = regexError(`^(?:${regex})$`)
  if (err !== null) c.defer(`invalid regex in label_replace: ${err}`)
  return { kind: 'LabelReplaceExpr', left, dst, replacement, src, regex }
}

function parseVectorAggregation(c: Cursor, op: VectorOp): SampleExpr {
  c.next()
  let grouping: Grouping | null = null
  if (c.is('BY', 'WITHOUT')) grouping = parseGrouping(c)
  c.expect('OPEN_PARENTHESIS', grouping ? ['OPEN_PARENTHESIS'] : ['OPEN_PARENTHESIS', 'BY', 'WITHOUT'])
  let paramText: string | null = null
  if (c.is('NUMBER') && c.peekAhead()?.type === 'COMMA') {
    paramText = c.next().value
    c.next()
  }
  const left = requireSample(c, parseBinary(c, 0))
  c.expect('CLOSE_PARENTHESIS', [])
  if (!grouping && c.is('BY', 'WITHOUT')) grouping = parseGrouping(c)
  let param: number | null = null
  if (op === 'topk' || op === 'bottomk' || op === 'approx_topk') {
    if (paramText === null) {
      c.defer(`parameter required for operation ${op}`)
    } else if (!/^[+-]?\d+$/.test(paramText)) {
      c.defer(`invalid parameter ${op}(${paramText},`)
    } else if (Number(paramText) <= 0) {
      c.defer(`invalid parameter (must be greater than 0) ${op}(${paramText}`)
    } else {
      param = Number(paramText)
    }
  } else if (paramText !== null) {
    c.defer(`unsupported parameter for operation ${op}(${paramText},`)
  }
  if (op === 'approx_topk' && grouping) c.defer('grouping not allowed for approx_topk aggregation')
  if (grouping && grouping.mode === 'by' && grouping.labels.length === 0) grouping = null
  return { kind: 'VectorAggregationExpr', op, left, param, grouping }
}

