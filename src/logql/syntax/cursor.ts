/**
 * Token cursor shared by the LogQL parsing modules. It reports errors the way Loki's goyacc parser
 * does: `syntax error: unexpected X` with `, expecting A or B` when at most four tokens could
 * follow (goyacc's rule), at the position of the offending token; lexical errors when their token
 * is reached; and "deferred" semantic errors (Loki stores them in the node and reports them only if
 * the whole input parses) that are thrown once parsing succeeds.
 */

import { ParseError } from './errors'
import type { Token } from './lexer'
import { tokenDisplay } from './tokens'

/** goyacc's token numbering order, used to order "expecting" lists. */
const TOKEN_ORDER = [
  'BYTES', 'IDENTIFIER', 'STRING', 'NUMBER', 'PARSER_FLAG', 'DURATION', 'RANGE', 'MATCHERS', 'LABELS',
  'EQ', 'RE', 'NRE', 'NPA', 'OPEN_BRACE', 'CLOSE_BRACE', 'OPEN_BRACKET', 'CLOSE_BRACKET', 'COMMA', 'DOT',
  'PIPE_MATCH', 'PIPE_EXACT', 'PIPE_PATTERN', 'OPEN_PARENTHESIS', 'CLOSE_PARENTHESIS', 'BY', 'WITHOUT',
  'COUNT_OVER_TIME', 'RATE', 'RATE_COUNTER', 'SUM', 'SORT', 'SORT_DESC', 'AVG', 'MAX', 'MIN', 'COUNT',
  'STDDEV', 'STDVAR', 'BOTTOMK', 'TOPK', 'APPROX_TOPK', 'BYTES_OVER_TIME', 'BYTES_RATE', 'BOOL', 'JSON',
  'REGEXP', 'LOGFMT', 'PIPE', 'LINE_FMT', 'LABEL_FMT', 'UNWRAP', 'AVG_OVER_TIME', 'SUM_OVER_TIME',
  'MIN_OVER_TIME', 'MAX_OVER_TIME', 'STDVAR_OVER_TIME', 'STDDEV_OVER_TIME', 'QUANTILE_OVER_TIME',
  'BYTES_CONV', 'DURATION_CONV', 'DURATION_SECONDS_CONV', 'FIRST_OVER_TIME', 'LAST_OVER_TIME',
  'ABSENT_OVER_TIME', 'VECTOR', 'LABEL_REPLACE', 'UNPACK', 'OFFSET', 'PATTERN', 'IP', 'ON', 'IGNORING',
  'GROUP_LEFT', 'GROUP_RIGHT', 'DECOLORIZE', 'DROP', 'KEEP', 'VARIANTS', 'OF', 'OR', 'AND', 'UNLESS',
  'CMP_EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'POW',
]

export class Cursor {
  private pos = 0
  private readonly deferred: ParseError[] = []

  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    const t = this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]
    if (!t) throw new ParseError('syntax error: unexpected $end', 1, 1)
    if (t.type === 'ERROR') throw new ParseError(t.message, t.line, t.col)
    return t
  }

  /** The token after the current one, without reporting it if it is a lexical error. */
  peekAhead(n = 1): Token | undefined {
    return this.tokens[this.pos + n]
  }

  is(...types: string[]): boolean {
    return types.includes(this.peek().type)
  }

  next(): Token {
    const t = this.peek()
    if (this.pos < this.tokens.length - 1) this.pos++
    return t
  }

  /** Consumes a token of `type`, or fails listing `expected` (defaults to just `type`). */
  expect(type: string, expected: readonly string[] = [type]): Token {
    if (this.peek().type !== type) throw this.syntaxError(expected)
    return this.next()
  }

  syntaxError(expected: readonly string[] = []): ParseError {
    const t = this.peek()
    let msg = `syntax error: unexpected ${tokenDisplay(t.type)}`
    if (expected.length > 0 && expected.length <= 4) {
      const sorted = [...expected].sort((a, b) => TOKEN_ORDER.indexOf(a) - TOKEN_ORDER.indexOf(b))
      msg += `, expecting ${sorted.map(tokenDisplay).join(' or ')}`
    }
    return new ParseError(msg, t.line, t.col)
  }

  defer(detail: string): void {
    this.deferred.push(new ParseError(detail))
  }

  firstDeferred(): ParseError | undefined {
    return this.deferred[0]
  }
}
