/**
 * Go string literal handling: `strconv.Quote` (used by Loki to print every string of a query) and
 * unquoting of interpreted ("...") and raw (`...`) literals with Go escape rules (Prometheus
 * `strutil.Unquote`). Unquote throws Error('invalid syntax') like Go's strconv.ErrSyntax.
 */

const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
}

// Go's unicode.IsPrint: categories L, M, N, P, S and the ASCII space.
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

/** Whether goQuote would just wrap s in quotes (printable ASCII without `"` or `\`). */
export function quotesPlainly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return false
  }
  return true
}

/** Go `strconv.Quote`. */
export function goQuote(s: string): string {
  if (quotesPlainly(s)) return '"' + s + '"'
  let out = '"'
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) {
      out += short
      continue
    }
    const cp = ch.codePointAt(0) ?? 0
    if (cp < 0x80) {
      out += cp < 0x20 || cp === 0x7f ? `\\x${hex(cp, 2)}` : ch
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate is what decoding leaves of invalid input: Go sees U+FFFD, a printable rune.
      out += '\ufffd'
    } else if (PRINTABLE.test(ch)) {
      out += ch
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`
    } else {
      out += `\\U${hex(cp, 8)}`
    }
  }
  return out + '"'
}

function syntaxError(): Error {
  return new Error('invalid syntax')
}

/** Unquote a Go interpreted or raw string literal, including the quotes. */
export function goUnquote(lit: string): string {
  if (lit.length < 2) throw syntaxError()
  const quote = lit[0]
  if (quote !== lit[lit.length - 1]) throw syntaxError()
  const body = lit.slice(1, -1)
  if (quote === '`') {
    if (body.includes('`')) throw syntaxError()
    return body
  }
  if (quote !== '"' && quote !== "'") throw syntaxError()
  if (!body.includes('\\') && !body.includes(quote)) {
    if (quote === "'" && [...body].length !== 1) throw syntaxError()
    return body
  }
  let out = ''
  let i = 0
  while (i < body.length) {
    const c = body[i] ?? ''
    if (c === quote) throw syntaxError()
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
        if (e !== quote) throw syntaxError()
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
        if (e === 'x') {
          out += String.fromCharCode(v)
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw syntaxError()
          out += String.fromCodePoint(v)
        }
        break
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const digits = body.slice(i - 1, i + 2)
          if (!/^[0-7]{3}$/.test(digits)) throw syntaxError()
          const v = parseInt(digits, 8)
          if (v > 255) throw syntaxError()
          out += String.fromCharCode(v)
          i += 2
          break
        }
        throw syntaxError()
      }
    }
  }
  return out
}
