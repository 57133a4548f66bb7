/**
 * The LogQL lexer, reproducing Loki's `lex.go` on top of Go's text/scanner: case-insensitive
 * keywords, function names that are keywords only when followed by `(` (or `by`/`without (`),
 * durations and byte sizes glued to numbers, `[range]` tokens, `--flags`, Go string literals,
 * `#` and Go comments. Unknown characters become IDENTIFIER tokens, as in Loki. Token positions are
 * 1-based line and column (in code points) of the token start, which is what Loki's parse errors
 * report. Lexical errors become ERROR tokens so the parser reports them in source order.
 */

import { goUnquote } from '../../go/strconv'
import { FUNCTION_TOKENS, KEYWORD_TOKENS } from './tokens'
import { parseBytes } from '../../go/bytes'
import { parseLokiDuration } from './units'

export interface Token {
  /** yacc token name: IDENTIFIER, STRING, NUMBER, DURATION, RANGE, BYTES, PARSER_FLAG, OPEN_BRACE... */
  readonly type: string
  /** Unquoted string, identifier text, number text or flag. */
  readonly value: string
  /** DURATION and RANGE: nanoseconds. */
  readonly ns: bigint
  /** BYTES: the size in bytes. */
  readonly bytes: number
  readonly line: number
  readonly col: number
  /** ERROR tokens: the lexical error message. */
  readonly message: string
}

const PARSER_FLAGS = new Set(['--strict', '--keep-empty'])

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r'
const isUnicodeSpace = (c: string): boolean => /^\s$/u.test(c)
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c)
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c)
const isNumberRune = (c: string): boolean => /^\p{N}$/u.test(c)
const isDecimal = (c: string): boolean => c >= '0' && c <= '9'
const isIdentRune = (c: string, i: number): boolean => c === '_' || isLetter(c) || (i > 0 && isDigit(c))
const isDurationRune = (c: string): boolean => 'nuµmshdwy'.includes(c)
const isBytesRune = (c: string): boolean => 'BikKMGTP'.includes(c)

/** Tokenizes the whole input; the last token is always EOF (or an ERROR token before it). */
export function tokenize(input: string): Token[] {
  const chars = [...input]
  const lineOf: number[] = []
  const colOf: number[] = []
  let line = 1
  let col = 1
  for (const c of chars) {
    lineOf.push(line)
    colOf.push(col)
    if (c === '\n') {
      line++
      col = 1
    } else {
      col++
    }
  }
  lineOf.push(line)
  colOf.push(col)

  const tokens: Token[] = []
  let pos = 0
  const at = (i: number): string => chars[i] ?? ''
  const text = (from: number, to: number): string => chars.slice(from, to).join('')
  // Loki's scanner reports line 0 for tokens it completed with Next() (two-character operators,
  // durations, byte sizes, flags, ranges): Next() invalidates the token line but keeps the column.
  const push = (type: string, start: number, extra: Partial<Token> = {}, lineZero = false): void => {
    tokens.push({
      type,
      value: '',
      ns: 0n,
      bytes: 0,
      line: lineZero ? 0 : (lineOf[start] ?? line),
      col: colOf[start] ?? col,
      message: '',
      ...extra,
    })
  }
  const fail = (start: number, message: string, lineZero = false): Token[] => {
    push('ERROR', start, { message }, lineZero)
    return tokens
  }

  // Durations/bytes glued to a number: consume runes accepted by `accept` up to a space.
  const tryGlued = (prefix: string, from: number, accept: (c: string) => boolean): [string, number] | null => {
    let i = from
    while (i < chars.length && !isUnicodeSpace(at(i)) && (isNumberRune(at(i)) || accept(at(i)) || at(i) === '.')) i++
    if (i === from) return null
    return [prefix + text(from, i), i]
  }

  // text/scanner's number: decimal or hex integer, fraction, exponent.
  const scanNumber = (start: number): number => {
    let i = start
    if (at(i) === '0' && (at(i + 1) === 'x' || at(i + 1) === 'X')) {
      i += 2
      while (/^[0-9a-fA-F_]$/.test(at(i))) i++
      return i
    }
    while (isDecimal(at(i)) || at(i) === '_') i++
    if (at(i) === '.') {
      i++
      while (isDecimal(at(i)) || at(i) === '_') i++
    }
    if (at(i) === 'e' || at(i) === 'E') {
      let j = i + 1
      if (at(j) === '+' || at(j) === '-') j++
      if (isDecimal(at(j))) {
        while (isDecimal(at(j))) j++
        i = j
      }
    }
    return i
  }

  // Is the text after `from` a call: `(`, or `by`/`without` then `(`.
  const isFunction = (from: number): boolean => {
    let i = from
    while (i < chars.length && isUnicodeSpace(at(i))) i++
    if (at(i) === '(') return true
    for (const kw of ['by', 'without']) {
      if (text(i, i + kw.length).toLowerCase() === kw) {
        let j = i + kw.length
        while (j < chars.length && isUnicodeSpace(at(j))) j++
        return at(j) === '('
      }
    }
    return false
  }

  while (pos <= chars.length) {
    while (pos < chars.length && isSpace(at(pos))) pos++
    const start = pos
    const c = at(pos)
    if (pos >= chars.length) {
      // Loki's scanner has no position before the first character: an empty query's error has none.
      if (chars.length === 0) tokens.push({ type: 'EOF', value: '', ns: 0n, bytes: 0, line: 0, col: 0, message: '' })
      else push('EOF', start)
      return tokens
    }
    if (c === '#') {
      while (pos < chars.length && at(pos) !== '\n') pos++
      continue
    }
    if (c === '/' && at(pos + 1) === '/') {
      while (pos < chars.length && at(pos) !== '\n') pos++
      continue
    }
    if (c === '/' && at(pos + 1) === '*') {
      let j = pos + 2
      while (j < chars.length && !(at(j) === '*' && at(j + 1) === '/')) j++
      if (j >= chars.length) return fail(start, 'comment not terminated')
      pos = j + 2
      continue
    }
    if (c === '"' || c === '`' || c === "'") {
      let j = pos + 1
      let escapeError = false
      while (j < chars.length && at(j) !== c) {
        if (c !== '`' && at(j) === '\n') break
        if (c !== '`' && at(j) === '\\') {
          const e = at(j + 1)
          if ('abfnrtv\\'.includes(e) || e === c) j += 2
          else if ((e >= '0' && e <= '7') || e === 'x' || e === 'u' || e === 'U') {
            // text/scanner's scanDigits: consume digits while they fit; the first other rune
            // (maybe the closing quote) is read as usual.
            const octal = e >= '0' && e <= '7'
            const digit = octal ? /[0-7]/ : /[0-9a-fA-F]/
            let n = octal ? 3 : e === 'x' ? 2 : e === 'u' ? 4 : 8
            j += octal ? 1 : 2
            while (n > 0 && j < chars.length && digit.test(at(j))) {
              j++
              n--
            }
            if (n > 0) escapeError = true
          } else {
            escapeError = true
            j += 1
          }
          continue
        }
        j++
      }
      if (at(j) !== c) return fail(start, 'literal not terminated')
      if (escapeError) return fail(start, 'invalid char escape')
      const lit = text(pos, j + 1)
      pos = j + 1
      if (c === "'") {
        if ([...lit].length !== 3 && !lit.startsWith("'\\")) return fail(start, 'invalid char literal')
        push('IDENTIFIER', start, { value: lit })
        continue
      }
      let value: string
      try {
        value = goUnquote(lit, true)
      } catch (e) {
        return fail(start, e instanceof Error ? e.message : 'invalid syntax')
      }
      push('STRING', start, { value })
      continue
    }
    if (isDecimal(c) || (c === '.' && isDecimal(at(pos + 1)))) {
      const end = scanNumber(pos)
      const numText = text(pos, end)
      pos = end
      const dur = tryGlued(numText, pos, isDurationRune)
      if (dur) {
        try {
          const ns = parseLokiDuration(dur[0])
          pos = dur[1]
          push('DURATION', start, { ns, value: dur[0] }, true)
          continue
        } catch {
          // not a duration
        }
      }
      const bytes = tryGlued(numText, pos, isBytesRune)
      if (bytes) {
        try {
          const b = parseBytes(bytes[0])
          pos = bytes[1]
          push('BYTES', start, { bytes: b, value: bytes[0] }, true)
          continue
        } catch {
          // not a byte size
        }
      }
      push('NUMBER', start, { value: numText })
      continue
    }
    if (c === '-') {
      if (at(pos + 1) === '-') {
        let j = pos + 1
        while (j < chars.length && (isLetter(at(j)) || at(j) === '-')) j++
        const flag = text(pos, j)
        if (PARSER_FLAGS.has(flag)) {
          pos = j
          push('PARSER_FLAG', start, { value: flag }, true)
          continue
        }
      }
      const dur = tryGlued('-', pos + 1, isDurationRune)
      if (dur) {
        try {
          const ns = parseLokiDuration(dur[0])
          pos = dur[1]
          push('DURATION', start, { ns, value: dur[0] }, true)
          continue
        } catch {
          // a minus sign
        }
      }
    }
    if (c === '[') {
      let j = pos + 1
      while (j < chars.length && at(j) !== ']') j++
      if (j >= chars.length) return fail(start, "missing closing ']' in duration", true)
      const body = text(pos + 1, j)
      let ns: bigint
      try {
        ns = parseLokiDuration(body)
      } catch (e) {
        const msg = e instanceof Error ? e.message : 'invalid duration'
        return fail(start, msg.replace(/^time: /, ''), true)
      }
      pos = j + 1
      push('RANGE', start, { ns, value: body }, true)
      continue
    }
    let word: string
    if (isIdentRune(c, 0)) {
      let j = pos + 1
      while (j < chars.length && isIdentRune(at(j), j - pos)) j++
      word = text(pos, j)
    } else {
      word = c
    }
    const after = pos + [...word].length
    const lower = word.toLowerCase()
    const fn = FUNCTION_TOKENS[lower]
    if (fn !== undefined) {
      pos = after
      if (isFunction(after)) push(fn, start, { value: word })
      else push('IDENTIFIER', start, { value: word })
      continue
    }
    const two = KEYWORD_TOKENS[(word + at(after)).toLowerCase()]
    if (two !== undefined && word.length === 1 && after < chars.length) {
      pos = after + 1
      push(two, start, { value: word + at(after) }, true)
      continue
    }
    const kw = KEYWORD_TOKENS[lower]
    pos = after
    if (kw !== undefined) push(kw, start, { value: word })
    else push('IDENTIFIER', start, { value: word })
  }
  push('EOF', chars.length)
  return tokens
}
