/**
 * Parsing of label filter expressions (`| status >= 500 and level="error" or latency > 1s`) with
 * Loki's associativity: `and` binds tighter than `or`, while `,` and juxtaposition take the whole
 * rest of the expression as their right operand (goyacc resolves those conflicts by shifting).
 * Numeric literals follow Go's strconv.ParseFloat.
 */

import { conv, parseGoFloat } from '../../go/strconv'
import type { LabelFilter, LabelFilterOp } from './ast'
import type { Cursor } from './cursor'
import { MATCH_OPS, newMatcher } from './matcher'

const FILTER_CMP: Record<string, LabelFilterOp> = {
  EQ: '==',
  CMP_EQ: '==',
  NEQ: '!=',
  GT: '>',
  GTE: '>=',
  LT: '<',
  LTE: '<=',
}

function parseLiteralValue(c: Cursor): number {
  let sign = 1
  if (c.is('ADD', 'SUB')) sign = c.next().type === 'SUB' ? -1 : 1
  const text = c.expect('NUMBER').value
  return sign * parseFloatLiteral(c, text)
}

/** strconv.ParseFloat; a failure is a deferred "unable to parse literal" error. */
export function parseFloatLiteral(c: Cursor, text: string): number {
  const v = parseGoFloat(text)
  if (conv.error !== '') {
    c.defer(`unable to parse literal as a float: ${conv.error}`)
    return 0
  }
  return v
}

function parseLabelFilterPrimary(c: Cursor): LabelFilter {
  if (c.is('OPEN_PARENTHESIS')) {
    c.next()
    const inner = parseLabelFilterOr(c)
    c.expect('CLOSE_PARENTHESIS')
    return inner
  }
  if (!c.is('IDENTIFIER')) throw c.syntaxError(['IDENTIFIER', 'OPEN_PARENTHESIS'])
  const name = c.next().value
  const opTok = c.peek()
  const op = opTok.type
  if (!(op in FILTER_CMP) && op !== 'RE' && op !== 'NRE') throw c.syntaxError()
  c.next()
  const v = c.peek()
  if ((op === 'EQ' || op === 'NEQ' || op === 'RE' || op === 'NRE') && v.type === 'STRING') {
    c.next()
    const type = MATCH_OPS[op] ?? '='
    return { kind: 'StringLabelFilter', matcher: newMatcher(type, name, v.value) }
  }
  if (op === 'RE' || op === 'NRE') throw c.syntaxError(['STRING'])
  const cmp = FILTER_CMP[op] ?? '=='
  if ((op === 'EQ' || op === 'NEQ') && v.type === 'IP') {
    c.next()
    c.expect('OPEN_PARENTHESIS')
    const pattern = c.expect('STRING').value
    c.expect('CLOSE_PARENTHESIS')
    return { kind: 'IpLabelFilter', name, op: op === 'EQ' ? '=' : '!=', pattern }
  }
  if (v.type === 'DURATION') {
    c.next()
    return { kind: 'DurationLabelFilter', name, op: cmp, valueNs: Number(v.ns) }
  }
  if (v.type === 'BYTES') {
    c.next()
    return { kind: 'BytesLabelFilter', name, op: cmp, value: v.bytes }
  }
  if (v.type === 'NUMBER' || v.type === 'ADD' || v.type === 'SUB') {
    return { kind: 'NumericLabelFilter', name, op: cmp, value: parseLiteralValue(c) }
  }
  throw c.syntaxError()
}

export function startsLabelFilter(c: Cursor): boolean {
  return c.is('IDENTIFIER', 'OPEN_PARENTHESIS')
}

// A primary followed by `,` or another filter takes the whole rest as its right operand.
function parseLabelFilterUnit(c: Cursor): LabelFilter {
  const left = parseLabelFilterPrimary(c)
  if (c.is('COMMA')) {
    c.next()
    return { kind: 'BinaryLabelFilter', op: 'and', left, right: parseLabelFilterOr(c) }
  }
  if (startsLabelFilter(c)) {
    return { kind: 'BinaryLabelFilter', op: 'and', left, right: parseLabelFilterOr(c) }
  }
  return left
}

function parseLabelFilterAnd(c: Cursor): LabelFilter {
  let left = parseLabelFilterUnit(c)
  while (c.is('AND')) {
    c.next()
    left = { kind: 'BinaryLabelFilter', op: 'and', left, right: parseLabelFilterUnit(c) }
  }
  return left
}

export function parseLabelFilterOr(c: Cursor): LabelFilter {
  let left = parseLabelFilterAnd(c)
  while (c.is('OR')) {
    c.next()
    left = { kind: 'BinaryLabelFilter', op: 'or', left, right: parseLabelFilterAnd(c) }
  }
  return left
}

