/**
 * Go's `strconv` as Loki's answers spell it: `Quote`/`QuoteToASCII` (and `unicode.IsPrint`),
 * `Unquote` and Prometheus's `strutil.Unquote` (PromQL's single-quoted strings), `ParseFloat`,
 * `ParseInt` and `ParseUint` with Go's accepted syntax and error texts.
 *
 * `parseGoFloat` serves the per-line hot path: it returns a number and leaves the error text in
 * `conv.error` ('' on success), so valid values allocate nothing; the other parsers throw.
 */

/** The error of the last `conv`-style conversion, '' when it succeeded. */
export const conv = { error: '' }

/** strconv.NumError: `strconv.<fn>: parsing "<input>": <reason>`. */
export class NumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(numErrorText(fn, input, reason))
  }
}

function numErrorText(fn: string, input: string, reason: string): string {
  return `strconv.${fn}: parsing ${goQuote(input)}: ${reason}`
}

// Go's unicode.IsPrint outside ASCII: categories L, M, N, P, S.
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u

/** unicode.IsPrint (strconv.IsPrint): letters, marks, numbers, punctuation, symbols, ASCII space. */
export function isPrintRune(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false
  if (cp < 0x7f) return true
  return PRINTABLE.test(String.fromCodePoint(cp))
}

/** Whether goQuote would just wrap s in quotes (printable ASCII without `"` or `\`). */
export function quotesPlainly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return false
  }
  return true
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

/**
 * strconv.Quote; `ascii` gives strconv.QuoteToASCII (`%+q`), `q` another quote character.
 * A lone surrogate is what decoding leaves of invalid input: Go sees U+FFFD, a printable rune.
 */
export function goQuote(s: string, ascii = false, q = '"'): string {
  if (q === '"' && quotesPlainly(s)) return '"' + s + '"'
  let out = q
  for (const ch of s) {
    let cp = ch.codePointAt(0) as number
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd
    if (ch === q || ch === '\\') {
      out += '\\' + ch
      continue
    }
    if (ascii ? cp >= 0x20 && cp < 0x7f : isPrintRune(cp)) {
      out += String.fromCodePoint(cp)
      continue
    }
    switch (cp) {
      case 7: out += '\\a'; break
      case 8: out += '\\b'; break
      case 12: out += '\\f'; break
      case 10: out += '\\n'; break
      case 13: out += '\\r'; break
      case 9: out += '\\t'; break
      case 11: out += '\\v'; break
      default:
        if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2)
        else if (cp < 0x10000) out += '\\u' + hex(cp, 4)
        else out += '\\U' + hex(cp, 8)
    }
  }
  return out + q
}

function syntaxError(): Error {
  return new Error('invalid syntax')
}

/**
 * strconv.Unquote (`promql` false) or Prometheus's strutil.Unquote (`promql` true, what LogQL's
 * lexer calls): a single-quoted string may then hold any number of characters, a raw string keeps
 * its carriage returns, and a surrogate escape reads as U+FFFD. Throws Error('invalid syntax').
 */
export function goUnquote(lit: string, promql = false): string {
  if (lit.length < 2) throw syntaxError()
  const q = lit[0]
  if (q !== lit[lit.length - 1]) throw syntaxError()
  const body = lit.slice(1, -1)
  if (q === '`') {
    if (body.includes('`')) throw syntaxError()
    return promql ? body : body.replaceAll('\r', '')
  }
  if (q !== '"' && q !== "'") throw syntaxError()
  if (body.includes('\n')) throw syntaxError()
  let out = ''
  let i = 0
  while (i < body.length) {
    const c = body[i] as string
    if (c === q) throw syntaxError()
    if (c !== '\\') {
      out += c
      i++
      continue
    }
    const e = body[i + 1]
    i += 2
    switch (e) {
      case 'a': out += '\x07'; break
      case 'b': out += '\b'; break
      case 'f': out += '\f'; break
      case 'n': out += '\n'; break
      case 'r': out += '\r'; break
      case 't': out += '\t'; break
      case 'v': out += '\v'; break
      case '\\': out += '\\'; break
      case "'":
      case '"':
        if (e !== q) throw syntaxError()
        out += e
        break
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
        const digits = body.slice(i, i + n)
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw syntaxError()
        const v = parseInt(digits, 16)
        i += n
        if (e === 'x') out += String.fromCharCode(v)
        else if (v > 0x10ffff) throw syntaxError()
        else if (v >= 0xd800 && v <= 0xdfff) {
          if (!promql) throw syntaxError()
          out += '\ufffd'
        } else out += String.fromCodePoint(v)
        break
      }
      default: {
        if (e === undefined || e < '0' || e > '7') throw syntaxError()
        const digits = body.slice(i - 1, i + 2)
        if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw syntaxError()
        out += String.fromCharCode(parseInt(digits, 8))
        i += 2
      }
    }
  }
  if (q === "'" && !promql && [...out].length > 1) throw syntaxError()
  return out
}

/** strconv's underscoreOK: each `_` sits between digits, or between a base prefix and a digit. */
function underscoresOk(s: string): boolean {
  let saw = '^'
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0
  const hexDigits = /^0[xX]/.test(s.slice(i))
  if (/^0[xXbBoO]/.test(s.slice(i))) {
    i += 2
    saw = '0'
  }
  for (; i < s.length; i++) {
    const c = s[i] as string
    if ((c >= '0' && c <= '9') || (hexDigits && /[a-fA-F]/.test(c))) saw = '0'
    else if (c === '_') {
      if (saw !== '0') return false
      saw = '_'
    } else if (saw === '_') return false
    else saw = '!'
  }
  return saw !== '_'
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/
const SPECIAL = /^(?:[+-]?(?:inf|infinity)|nan)$/i

function floatValue(t: string): number | 'invalid syntax' {
  if (DECIMAL.test(t)) return Number(t)
  if (SPECIAL.test(t)) {
    const lower = t.toLowerCase()
    return lower.endsWith('nan') ? NaN : lower.startsWith('-') ? -Infinity : Infinity
  }
  const m = HEX_FLOAT.exec(t)
  if (!m || (m[2] === '' && m[3] === '')) return 'invalid syntax'
  const frac = m[3] as string
  const mantissa = Number(BigInt('0x' + ((m[2] as string) + frac || '0')))
  const v = mantissa * 2 ** (Number(m[4]) - 4 * frac.length)
  return m[1] === '-' ? -v : v
}

/** strconv.ParseFloat(s, 64), conv-style: the error text is left in `conv.error`. */
export function parseGoFloat(s: string): number {
  conv.error = ''
  let t = s
  if (t.includes('_')) {
    if (!underscoresOk(t) || SPECIAL.test(t.replaceAll('_', ''))) {
      conv.error = numErrorText('ParseFloat', s, 'invalid syntax')
      return 0
    }
    t = t.replaceAll('_', '')
  }
  const v = floatValue(t)
  if (v === 'invalid syntax') {
    conv.error = numErrorText('ParseFloat', s, v)
    return 0
  }
  if (!Number.isFinite(v) && !SPECIAL.test(t)) conv.error = numErrorText('ParseFloat', s, 'value out of range')
  return v
}

/** strconv.ParseFloat(s, 64); throws NumError. */
export function parseFloat64(s: string): number {
  const v = parseGoFloat(s)
  if (conv.error !== '') throw new NumError('ParseFloat', s, conv.error.endsWith('range') ? 'value out of range' : 'invalid syntax')
  return v
}

const MAX_INT64 = (1n << 63n) - 1n
const MAX_UINT64 = (1n << 64n) - 1n

/** strconv.ParseInt(s, base, 64) for base 0 (Go literal prefixes and underscores) or 10. */
export function parseInt64(s: string, base: 0 | 10 = 10, fn = 'ParseInt'): bigint {
  if (s === '') throw new NumError(fn, s, 'invalid syntax')
  const neg = s[0] === '-'
  const unsigned = s[0] === '+' || neg ? s.slice(1) : s
  let un: bigint
  try {
    un = parseUnsigned(unsigned, base)
  } catch (e) {
    if (e === RANGE) un = MAX_UINT64
    else throw new NumError(fn, s, 'invalid syntax')
  }
  if (!neg && un > MAX_INT64) throw new NumError(fn, s, 'value out of range')
  if (neg && un > MAX_INT64 + 1n) throw new NumError(fn, s, 'value out of range')
  return neg ? -un : un
}

/** strconv.Atoi on a 64-bit platform. */
export function atoi(s: string): bigint {
  return parseInt64(s, 10, 'Atoi')
}

/** strconv.ParseUint(s, 0, 64). */
export function parseUint64(s: string): bigint {
  try {
    return parseUnsigned(s, 0)
  } catch (e) {
    throw new NumError('ParseUint', s, e === RANGE ? 'value out of range' : 'invalid syntax')
  }
}

const RANGE = new Error('value out of range')
const SYNTAX = new Error('invalid syntax')

/** strconv.ParseUint's loop: a syntax error at the first bad digit, a range error at the first overflow. */
function parseUnsigned(s0: string, base: 0 | 10): bigint {
  if (s0 === '') throw SYNTAX
  if (s0.length < 16 && /^[1-9][0-9]*$|^0$/.test(s0)) return BigInt(s0)
  let s = s0
  let radix = 10
  if (base === 0 && s[0] === '0') {
    const prefix = s.length >= 3 ? (s[1] as string).toLowerCase() : ''
    if (prefix === 'b') [radix, s] = [2, s.slice(2)]
    else if (prefix === 'o') [radix, s] = [8, s.slice(2)]
    else if (prefix === 'x') [radix, s] = [16, s.slice(2)]
    else [radix, s] = [8, s.slice(1)]
  }
  const r = BigInt(radix)
  const cutoff = MAX_UINT64 / r + 1n
  let underscores = false
  let n = 0n
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let d: number
    if (c === 0x5f && base === 0) {
      underscores = true
      continue
    } else if (c >= 0x30 && c <= 0x39) d = c - 0x30
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) d = (c | 0x20) - 0x61 + 10
    else throw SYNTAX
    if (d >= radix) throw SYNTAX
    if (n >= cutoff) throw RANGE
    n = n * r + BigInt(d)
    if (n > MAX_UINT64) throw RANGE
  }
  if (underscores && !underscoresOk(s0)) throw SYNTAX
  return n
}
