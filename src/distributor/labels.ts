/**
 * Stream labels: parsing the Prometheus text form (`{a="b", c='d', e=`raw`}`, Go escapes, as
 * Prometheus's `ParseMetric` accepts it; errors as `1:<col>: parse error: <msg>`), Loki's
 * normalisation (empty values dropped, sorted by name, duplicates kept for validation to reject),
 * the canonical text Loki prints (`{a="b", c="d"}`) and a 64-bit FNV-1a fingerprint of it.
 */

import { goQuote } from '../go/strconv'
import type { LabelPair } from './types'

export class LabelParseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabelParseError'
  }
}

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const encoder = new TextEncoder()

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57)
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

function goRune(ch: string): string {
  if (ch === "'") return "'\\''"
  if (ch === '\\') return "'\\\\'"
  const q = goQuote(ch)
  return `'${q.slice(1, -1)}'`
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }

class Parser {
  i = 0
  constructor(readonly s: string) {}

  /** Positions are reported as Prometheus does: line 1, column = byte offset + 1. */
  fail(pos: number, msg: string): never {
    const col = encoder.encode(this.s.slice(0, pos)).length + 1
    throw new LabelParseError(`1:${col}: parse error: ${msg}`)
  }

  skipSpace(): void {
    while (this.i < this.s.length && isSpace(this.s.charCodeAt(this.i))) this.i++
  }

  /** Describes the token at the current position the way Prometheus's parser errors do. */
  describe(): string {
    const s = this.s
    if (this.i >= s.length) return 'end of input'
    const c = s.charCodeAt(this.i)
    if (isNameStart(c)) {
      let j = this.i
      while (j < s.length && isNameChar(s.charCodeAt(j))) j++
      return `identifier "${s.slice(this.i, j)}"`
    }
    if (c === 34 || c === 39 || c === 96) return `string ${s.slice(this.i, this.i + 1)}...`
    return `"${s[this.i]}"`
  }

  /** Reads a quoted string starting at the quote; returns its value. */
  quoted(): string {
    const s = this.s
    const start = this.i
    const q = s[this.i]!
    this.i++
    if (q === '`') {
      const end = s.indexOf('`', this.i)
      if (end < 0) this.fail(start, 'unterminated raw string')
      const v = s.slice(this.i, end)
      this.i = end + 1
      return v
    }
    let out = ''
    let chunk = this.i
    while (this.i < s.length) {
      const ch = s[this.i]!
      if (ch === q) {
        out += s.slice(chunk, this.i)
        this.i++
        return out
      }
      if (ch === '\n') break
      if (ch !== '\\') {
        this.i++
        continue
      }
      out += s.slice(chunk, this.i)
      const e = s[this.i + 1]
      if (e === undefined) break
      this.i += 2
      if (e in ESCAPES) out += ESCAPES[e]
      else if (e === q) out += q
      else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
        const hex = s.slice(this.i, this.i + n)
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail(this.i - 2, 'invalid escape sequence')
        const cp = parseInt(hex, 16)
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) this.fail(this.i - 2, 'escape sequence is invalid Unicode code point')
        out += e === 'x' ? String.fromCharCode(cp) : String.fromCodePoint(cp)
        this.i += n
      } else if (e >= '0' && e <= '7') {
        const oct = s.slice(this.i - 1, this.i + 2)
        if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) this.fail(this.i - 2, 'invalid escape sequence')
        out += String.fromCharCode(parseInt(oct, 8))
        this.i += 2
      } else this.fail(this.i - 2, 'unknown escape sequence U+' + e.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0') + ` ${goRune(e)}`)
      chunk = this.i
    }
    this.fail(start, 'unterminated quoted string')
  }

  /** Checks the character at the cursor is legal inside braces; lexer errors come first. */
  lexCheck(): void {
    const s = this.s
    if (this.i >= s.length) this.fail(this.i, 'unexpected end of input inside braces')
    const c = s.charCodeAt(this.i)
    if (isNameStart(c) || c === 34 || c === 39 || c === 96 || c === 61 || c === 44 || c === 125) return
    if (c === 33 || c === 126) return
    this.fail(this.i, `unexpected character inside braces: ${goRune(String.fromCodePoint(s.codePointAt(this.i)!))}`)
  }

  parse(): LabelPair[] {
    const s = this.s
    const out: LabelPair[] = []
    this.skipSpace()
    if (this.i < s.length && isNameStart(s.charCodeAt(this.i))) {
      const start = this.i
      while (this.i < s.length && isNameChar(s.charCodeAt(this.i))) this.i++
      out.push(['__name__', s.slice(start, this.i)])
      this.skipSpace()
      if (this.i >= s.length) return out
    }
    if (this.i >= s.length) this.fail(this.i, 'unexpected end of input')
    if (s[this.i] !== '{') this.fail(this.i, `unexpected ${this.describe()}`)
    this.i++
    for (;;) {
      this.skipSpace()
      this.lexCheck()
      if (s[this.i] === '}') {
        this.i++
        break
      }
      let name: string
      const c = s.charCodeAt(this.i)
      if (isNameStart(c)) {
        const start = this.i
        while (this.i < s.length && isNameChar(s.charCodeAt(this.i))) this.i++
        name = s.slice(start, this.i)
      } else if (c === 34 || c === 39 || c === 96) {
        name = this.quoted()
      } else {
        this.fail(this.i, `unexpected ${this.describe()} in label set, expected identifier or "}"`)
      }
      this.skipSpace()
      this.lexCheck()
      if (s[this.i] !== '=') this.fail(this.i, `unexpected ${this.describe()} in label set, expected "="`)
      this.i++
      this.skipSpace()
      this.lexCheck()
      const vc = s.charCodeAt(this.i)
      if (vc !== 34 && vc !== 39 && vc !== 96) this.fail(this.i, `unexpected ${this.describe()} in label set, expected string`)
      const value = this.quoted()
      out.push([name, value])
      this.skipSpace()
      this.lexCheck()
      if (s[this.i] === ',') {
        this.i++
        continue
      }
      if (s[this.i] === '}') {
        this.i++
        break
      }
      this.fail(this.i, `unexpected ${this.describe()} in label set, expected "," or "}"`)
    }
    this.skipSpace()
    if (this.i < s.length) this.fail(this.i, `unexpected ${this.describe()}`)
    return out
  }
}

function byName(a: LabelPair, b: LabelPair): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

/**
 * Loki's `syntax.ParseLabels`: parses, drops labels with empty values and sorts by name. Duplicate
 * names are kept (adjacent) so validation can report them. Throws `LabelParseError`.
 */
export function parseLabels(text: string): LabelPair[] {
  const pairs = new Parser(text).parse()
  const kept = pairs.filter((p) => p[1] !== '')
  kept.sort(byName)
  return kept
}

/** Prometheus `labels.String()`: `{a="b", c="d"}`; names that are not legacy names are quoted. */
export function canonicalLabels(labels: ReadonlyArray<LabelPair>): string {
  let out = '{'
  for (let i = 0; i < labels.length; i++) {
    const [n, v] = labels[i]!
    if (i > 0) out += ', '
    out += (LEGACY_NAME.test(n) ? n : goQuote(n)) + '=' + goQuote(v)
  }
  return out + '}'
}


/** FNV-1a 64 of the UTF-8 bytes of `text`, as 16 lower-case hex digits. */
export function fingerprint(text: string): string {
  let hi = 0xcbf29ce4
  let lo = 0x84222325
  let ascii = true
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false
      break
    }
  }
  const bytes = ascii ? null : encoder.encode(text)
  const n = bytes ? bytes.length : text.length
  for (let i = 0; i < n; i++) {
    lo ^= bytes ? bytes[i]! : text.charCodeAt(i)
    lo >>>= 0
    const product = lo * 0x1b3
    const carry = Math.floor(product / 4294967296)
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0
    lo = product >>> 0
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')
}
