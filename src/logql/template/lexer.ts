/**
 * Lexer for Go text/template source, following Go's state machine: text and `{{ }}` actions,
 * trim markers (`{{- ` and ` -}}` eat adjacent ASCII space), comments, strings, raw strings,
 * character constants, numbers, fields, variables, keywords. Errors become an `Error` item whose
 * text is Go's (`unclosed action`, `bad character U+0023 '#'`...).
 */
import { goQuote } from '../../go/strconv'

export const enum T {
  Error, Bool, Char, CharConstant, Comment, Complex, Assign, Declare, EOF, Field, Identifier,
  LeftDelim, LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  Keyword, Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

export interface Item { typ: T; pos: number; val: string; line: number }

const KEYWORDS: Record<string, T> = {
  '.': T.Dot, block: T.Block, break: T.Break, continue: T.Continue, define: T.Define, else: T.Else,
  end: T.End, if: T.If, range: T.Range, nil: T.Nil, template: T.Template, with: T.With,
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const ALNUM = /^[\p{L}\p{Nd}_]$/u
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && (c === '_' || ALNUM.test(c))
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

function formatRune(c: string): string {
  const cp = c.codePointAt(0) as number
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`
}

export class Lexer {
  private pos = 0
  private start = 0
  private line = 1
  private startLine = 1
  private inside = false
  private parenDepth = 0
  private done = false

  constructor(private input: string) {}

  private peekChar(): string | undefined {
    const cp = this.input.codePointAt(this.pos)
    return cp === undefined ? undefined : String.fromCodePoint(cp)
  }

  private nextChar(): string | undefined {
    const c = this.peekChar()
    if (c === undefined) return undefined
    this.pos += c.length
    if (c === '\n') this.line++
    return c
  }

  private backup(c: string | undefined): void {
    if (c === undefined) return
    this.pos -= c.length
    if (c === '\n') this.line--
  }

  private item(typ: T): Item {
    const it = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine }
    this.start = this.pos
    this.startLine = this.line
    return it
  }

  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos)
    this.start = this.pos
    this.startLine = this.line
  }

  private error(msg: string): Item {
    const it = { typ: T.Error, pos: this.start, val: msg, line: this.startLine }
    this.done = true
    return it
  }

  private atRightDelim(): [boolean, boolean] {
    const s = this.input
    const p = this.pos
    if (isSpace(s[p]) && s[p + 1] === '-' && s.startsWith('}}', p + 2)) return [true, true]
    if (s.startsWith('}}', p)) return [true, false]
    return [false, false]
  }

  next(): Item {
    if (this.done) return { typ: T.EOF, pos: this.pos, val: '', line: this.line }
    return this.inside ? this.lexInsideAction() : this.lexText()
  }

  private lexText(): Item {
    const s = this.input
    const x = s.indexOf('{{', this.pos)
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x
        let trim = 0
        if (s[x + 2] === '-' && isSpace(s[x + 3])) {
          let j = x
          while (j > this.start && isSpace(s[j - 1])) j--
          trim = x - j
        }
        this.pos -= trim
        this.line += countNewlines(s, this.start, this.pos)
        const it = this.item(T.Text)
        this.pos += trim
        this.ignore()
        if (it.val.length > 0) return it
      }
      return this.lexLeftDelim()
    }
    this.pos = s.length
    if (this.pos > this.start) {
      this.line += countNewlines(s, this.start, this.pos)
      return this.item(T.Text)
    }
    this.done = true
    return this.item(T.EOF)
  }

  private lexLeftDelim(): Item {
    const s = this.input
    this.pos += 2
    const trim = s[this.pos] === '-' && isSpace(s[this.pos + 1])
    const after = trim ? 2 : 0
    if (s.startsWith('/*', this.pos + after)) {
      this.pos += after
      this.ignore()
      return this.lexComment()
    }
    const it = this.item(T.LeftDelim)
    this.inside = true
    this.pos += after
    this.ignore()
    this.parenDepth = 0
    return it
  }

  private lexComment(): Item {
    const s = this.input
    this.pos += 2
    const x = s.indexOf('*/', this.pos)
    if (x < 0) return this.error('unclosed comment')
    this.pos = x + 2
    const [delim, trim] = this.atRightDelim()
    if (!delim) return this.error('comment ends before closing delimiter')
    this.line += countNewlines(s, this.start, this.pos)
    this.start = this.pos
    this.startLine = this.line
    if (trim) this.pos += 2
    this.pos += 2
    if (trim) while (isSpace(s[this.pos])) this.pos++
    this.ignore()
    return this.lexText()
  }

  private lexRightDelim(): Item {
    const [, trim] = this.atRightDelim()
    if (trim) { this.pos += 2; this.ignore(); }
    this.pos += 2
    const it = this.item(T.RightDelim)
    if (trim) {
      while (isSpace(this.input[this.pos])) this.pos++
      this.ignore()
    }
    this.inside = false
    return it
  }

  private lexInsideAction(): Item {
    const [delim] = this.atRightDelim()
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim()
      return this.error('unclosed left paren')
    }
    const r = this.nextChar()
    if (r === undefined) return this.error('unclosed action')
    if (isSpace(r)) { this.backup(r); return this.lexSpace(); }
    switch (r) {
      case '=': return this.item(T.Assign)
      case ':':
        if (this.nextChar() !== '=') return this.error('expected :=')
        return this.item(T.Declare)
      case '|': return this.item(T.Pipe)
      case '"': return this.lexQuote()
      case '`': return this.lexRawQuote()
      case '$': return this.lexVariable()
      case "'": return this.lexChar()
      case '(': this.parenDepth++; return this.item(T.LeftParen)
      case ')':
        this.parenDepth--
        if (this.parenDepth < 0) return this.error('unexpected right paren')
        return this.item(T.RightParen)
    }
    if (r === '.') {
      const c = this.input[this.pos]
      if (c === undefined || c < '0' || c > '9') return this.lexFieldOrVariable(T.Field)
    }
    if (r === '.' || r === '+' || r === '-' || isDigit(r)) { this.backup(r); return this.lexNumber(); }
    if (isAlphaNumeric(r)) { this.backup(r); return this.lexIdentifier(); }
    const cp = r.codePointAt(0) as number
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) return this.item(T.Char)
    return this.error(`unrecognized character in action: ${formatRune(r)}`)
  }

  private lexSpace(): Item {
    let n = 0
    while (isSpace(this.peekChar())) { this.nextChar(); n++; }
    const s = this.input
    if (isSpace(s[this.pos - 1]) && s[this.pos] === '-' && s.startsWith('}}', this.pos + 1)) {
      this.backup(s[this.pos - 1])
      if (n === 1) return this.lexRightDelim()
    }
    return this.item(T.Space)
  }

  private atTerminator(): boolean {
    const r = this.peekChar()
    if (r === undefined || isSpace(r)) return true
    if ('.,|:()'.includes(r)) return true
    return this.input.startsWith('}}', this.pos)
  }

  private lexIdentifier(): Item {
    let r: string | undefined
    while (isAlphaNumeric((r = this.nextChar()))) {
      // consume the run
    }
    this.backup(r)
    const word = this.input.slice(this.start, this.pos)
    if (!this.atTerminator()) return this.error(`bad character ${formatRune(r as string)}`)
    const kw = KEYWORDS[word]
    if (kw !== undefined && kw > T.Keyword) return this.item(kw)
    if (word[0] === '.') return this.item(T.Field)
    if (word === 'true' || word === 'false') return this.item(T.Bool)
    return this.item(T.Identifier)
  }

  private lexVariable(): Item {
    if (this.atTerminator()) return this.item(T.Variable)
    return this.lexFieldOrVariable(T.Variable)
  }

  private lexFieldOrVariable(typ: T): Item {
    if (this.atTerminator()) return this.item(typ === T.Variable ? T.Variable : T.Dot)
    let r: string | undefined
    while (isAlphaNumeric((r = this.nextChar()))) {
      // consume the run
    }
    this.backup(r)
    if (!this.atTerminator()) return this.error(`bad character ${formatRune(r as string)}`)
    return this.item(typ)
  }

  private lexChar(): Item {
    for (;;) {
      const c = this.nextChar()
      if (c === '\\') {
        const d = this.nextChar()
        if (d !== undefined && d !== '\n') continue
        return this.error('unterminated character constant')
      }
      if (c === undefined || c === '\n') return this.error('unterminated character constant')
      if (c === "'") break
    }
    return this.item(T.CharConstant)
  }

  private accept(valid: string): boolean {
    const c = this.nextChar()
    if (c !== undefined && valid.includes(c)) return true
    this.backup(c)
    return false
  }

  private acceptRun(valid: string): void {
    let c: string | undefined
    while ((c = this.nextChar()) !== undefined && valid.includes(c)) {
      // consume the run
    }
    this.backup(c)
  }

  private scanNumber(): boolean {
    this.accept('+-')
    let digits = '0123456789_'
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_'
      else if (this.accept('oO')) digits = '01234567_'
      else if (this.accept('bB')) digits = '01_'
    }
    this.acceptRun(digits)
    if (this.accept('.')) this.acceptRun(digits)
    if (digits.length === 11 && this.accept('eE')) { this.accept('+-'); this.acceptRun('0123456789_'); }
    if (digits.length === 23 && this.accept('pP')) { this.accept('+-'); this.acceptRun('0123456789_'); }
    this.accept('i')
    if (isAlphaNumeric(this.peekChar())) { this.nextChar(); return false; }
    return true
  }

  private lexNumber(): Item {
    if (!this.scanNumber()) return this.error(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`)
    const sign = this.peekChar()
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.error(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`)
      }
      return this.item(T.Complex)
    }
    return this.item(T.Number)
  }

  private lexQuote(): Item {
    for (;;) {
      const c = this.nextChar()
      if (c === '\\') {
        const d = this.nextChar()
        if (d !== undefined && d !== '\n') continue
        return this.error('unterminated quoted string')
      }
      if (c === undefined || c === '\n') return this.error('unterminated quoted string')
      if (c === '"') break
    }
    return this.item(T.String)
  }

  private lexRawQuote(): Item {
    const x = this.input.indexOf('`', this.pos)
    if (x < 0) return this.error('unterminated raw quoted string')
    this.line += countNewlines(this.input, this.pos, x)
    this.pos = x + 1
    return this.item(T.RawString)
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++
  return n
}
