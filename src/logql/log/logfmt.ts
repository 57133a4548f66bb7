/**
 * `| logfmt [--strict] [--keep-empty] [params]` (pkg/logql/log/parser.go and logfmt/decode.go).
 * The decoder is Loki's fork of go-logfmt: keys run to `=` or whitespace, values may be quoted
 * with JSON-style escapes, and a malformed pair is skipped up to the next whitespace. Only
 * `--strict` stops at the first malformed pair and reports it as `__error__=LogfmtParserErr`;
 * empty values are dropped unless `--keep-empty`. With parameters, every named label exists
 * ('' when absent) and `name="key"` renames a key. A key repeated in a line keeps its last value.
 */

import { DUPLICATE_SUFFIX, ERR_LOGFMT, PARSED, type LabelsBuilder } from './labels'
import { sanitizeKey } from './json-parser'
import { utf8Length } from '../../go/utf8'
import type { Stage } from './stage'

/** A resettable logfmt decoder over one line. */
export class LogfmtDecoder {
  private line = ''
  private pos = 0
  key = ''
  value = ''
  err = ''

  reset(line: string): void {
    this.line = line
    this.pos = 0
    this.err = ''
  }

  eol(): boolean {
    return this.pos >= this.line.length
  }

  private syntaxError(msg: string): void {
    this.err = `logfmt syntax error at pos ${utf8Length(this.line.slice(0, this.pos)) + 1} : ${msg}`
  }

  private unexpected(c: string): void {
    this.syntaxError(`unexpected '${c}'`)
  }

  /** Reads the next pair into key/value; false at the end of the line or on a malformed pair. */
  scanKeyval(): boolean {
    this.key = ''
    this.value = ''
    const line = this.line
    const n = line.length
    let pos = this.pos
    while (pos < n && line.charCodeAt(pos) <= 32) pos++
    if (pos >= n) {
      this.pos = pos
      return false
    }
    const start = pos
    let multibyte = false
    let c = 0
    while (pos < n) {
      c = line.charCodeAt(pos)
      if (c === 61 || c === 34 || c <= 32) break
      if (c >= 0x80) multibyte = true
      pos++
    }
    this.pos = pos
    if (pos >= n || c <= 32) {
      this.key = line.slice(start, pos)
      return this.checkKey(multibyte)
    }
    if (c === 34) {
      this.unexpected('"')
      return this.skipValue()
    }
    // c is '='
    if (pos === start) {
      this.unexpected('=')
      return this.skipValue()
    }
    this.key = line.slice(start, pos)
    if (multibyte && this.key.includes('\ufffd')) {
      this.syntaxError('invalid key')
      return this.skipValue()
    }
    pos++
    this.pos = pos
    if (pos >= n) return true
    const c0 = line.charCodeAt(pos)
    if (c0 <= 32) return true
    if (c0 === 34) return this.quotedValue()
    const vstart = pos
    while (pos < n) {
      const d = line.charCodeAt(pos)
      if (d === 61 || d === 34) {
        this.pos = pos
        this.unexpected(d === 61 ? '=' : '"')
        return this.skipValue()
      }
      if (d <= 32) break
      pos++
    }
    this.pos = pos
    this.value = line.slice(vstart, pos)
    return true
  }

  private checkKey(multibyte: boolean): boolean {
    if (multibyte && this.key.includes('\ufffd')) {
      this.syntaxError('invalid key')
      return false
    }
    return true
  }

  private skipValue(): boolean {
    const n = this.line.length
    while (this.pos < n && this.line.charCodeAt(this.pos) > 32) this.pos++
    return false
  }

  private quotedValue(): boolean {
    const line = this.line
    const start = this.pos
    let hasEsc = false
    let esc = false
    for (let p = start + 1; p < line.length; p++) {
      const c = line.charCodeAt(p)
      if (esc) esc = false
      else if (c === 92) {
        hasEsc = true
        esc = true
      } else if (c === 34) {
        this.pos = p + 1
        if (hasEsc) {
          const v = unquote(line.slice(start + 1, p))
          if (v === null) {
            this.syntaxError('invalid quoted value')
            return false
          }
          this.value = v
        } else {
          this.value = line.slice(start + 1, p)
        }
        return true
      }
    }
    this.pos = line.length
    this.syntaxError('unterminated quoted value')
    return false
  }
}

/** encoding/json's unquote of a quoted string body; null when invalid. */
function unquote(s: string): string | null {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34) return null
    if (c !== 92) {
      out += s[i]
      continue
    }
    const e = s[++i]
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case "'":
        out += e
        break
      case 'b':
        out += '\b'
        break
      case 'f':
        out += '\f'
        break
      case 'n':
        out += '\n'
        break
      case 'r':
        out += '\r'
        break
      case 't':
        out += '\t'
        break
      case 'u': {
        const r = u4(s, i + 1)
        if (r < 0) return null
        i += 4
        if (r >= 0xd800 && r < 0xe000) {
          const r2 = s[i + 1] === '\\' && s[i + 2] === 'u' ? u4(s, i + 3) : -1
          if (r <= 0xdbff && r2 >= 0xdc00 && r2 <= 0xdfff) {
            out += String.fromCharCode(r, r2)
            i += 6
          } else out += '\ufffd'
        } else out += String.fromCharCode(r)
        break
      }
      default:
        return null
    }
  }
  return out
}

function u4(s: string, i: number): number {
  const h = s.slice(i, i + 4)
  return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1
}

const MAX_CACHED_KEYS = 1024

/** `| logfmt` without parameters. */
export class LogfmtParser implements Stage {
  private readonly dec = new LogfmtDecoder()
  private readonly keys = new Map<string, string>()

  constructor(
    private readonly strict: boolean,
    private readonly keepEmpty: boolean,
  ) {}

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (lbs.parseNothing()) return line
    const dec = this.dec
    dec.reset(line)
    while (!dec.eol()) {
      if (!dec.scanKeyval()) {
        if (this.strict) break
        continue
      }
      let key = this.keys.get(dec.key)
      if (key === undefined) {
        key = sanitizeKey(dec.key, true)
        if (this.keys.size < MAX_CACHED_KEYS) this.keys.set(dec.key, key)
      }
      if (key === '') continue
      if (lbs.baseHas(key)) key += DUPLICATE_SUFFIX
      if (!lbs.shouldExtract(key)) continue
      let v = dec.value
      if (v.includes('\ufffd')) v = v.replaceAll('\ufffd', ' ')
      if (!this.keepEmpty && v === '') continue
      lbs.set(PARSED, key, v)
      if (lbs.hints !== null && lbs.allRequiredExtracted()) break
    }
    if (this.strict && dec.err !== '') lbs.setError(ERR_LOGFMT, dec.err)
    return line
  }
}

/** `| logfmt host, fwd_ip="fwd"`. */
export class LogfmtExpressionParser implements Stage {
  private readonly dec = new LogfmtDecoder()
  /** identifier → logfmt key. */
  private readonly exprs: Map<string, string>

  constructor(
    expressions: ReadonlyArray<{ identifier: string; expression: string }>,
    private readonly strict: boolean,
  ) {
    this.exprs = new Map(expressions.map((e) => [e.identifier, e.expression]))
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (lbs.parseNothing()) return line
    for (const id of this.exprs.keys()) if (!lbs.baseHas(id)) lbs.set(PARSED, id, '')
    const dec = this.dec
    dec.reset(line)
    while (!dec.eol()) {
      if (!dec.scanKeyval()) {
        if (this.strict) break
        continue
      }
      let key = sanitizeKey(dec.key, true)
      if (key === '' || (!this.exprs.has(key) && !lbs.shouldExtract(key))) continue
      const v = dec.value.includes('\ufffd') ? '' : dec.value
      for (const [id, orig] of this.exprs) {
        if (key === orig) {
          key = id
          break
        }
      }
      if (!this.exprs.has(key)) continue
      lbs.set(PARSED, lbs.baseHas(key) ? key + DUPLICATE_SUFFIX : key, v)
      if (lbs.hints !== null && lbs.allRequiredExtracted()) break
    }
    if (this.strict && dec.err !== '') lbs.setError(ERR_LOGFMT, dec.err)
    return line
  }
}
