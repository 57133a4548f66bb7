/**
 * A pull reader over JSON bytes that behaves as json-iterator's `Iterator` (the reader pdata's
 * OTLP/JSON unmarshalers use) for the calls they make: `readObject` returns field names until
 * `''`, `readArray` says whether another element follows, `skip` passes over any value. Errors
 * carry json-iterator's text (`ReadObject: expect " after {, but found ..., error found in #1 byte
 * of ...|{|..., bigger context ...|{|...`); only the first is kept, and reading stops there.
 * Input after the top-level value is not looked at, as in pdata.
 */

import { readNumberFloat, skipNumberSlow, trySkipNumber } from './json-number'

const decoder = new TextDecoder()
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * A json-iterator error. `validUtf8` is false when Go's text holds bytes that are not UTF-8 (a
 * context window cutting a character, or the `\xff` json-iterator prints for an unexpected
 * character in a number), which Loki then cannot put in its `google.rpc.Status` answer.
 */
export class JsonIterError extends Error {
  constructor(
    message: string,
    readonly validUtf8 = true,
  ) {
    super(message)
    this.name = 'JsonIterError'
  }
}

function isUtf8(b: Uint8Array): boolean {
  try {
    strict.decode(b)
    return true
  } catch {
    return false
  }
}

const MAX_DEPTH = 10000

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d
}

export class JsonIter {
  head = 0
  /** Whether the last string read was valid UTF-8. */
  lastStringValid = true
  private depth = 0

  constructor(readonly buf: Uint8Array) {}

  /** json-iterator's `ReportError`, which ends reading here. `msgUtf8`: `msg` is valid UTF-8 in Go. */
  fail(operation: string, msg: string, msgUtf8 = true): never {
    const tail = this.buf.length
    const peekStart = Math.max(0, this.head - 10)
    const peekEnd = Math.min(tail, this.head + 10)
    const ctxStart = Math.max(0, this.head - 50)
    const ctxEnd = Math.min(tail, this.head + 50)
    const parsing = this.buf.subarray(peekStart, peekEnd)
    const context = this.buf.subarray(ctxStart, ctxEnd)
    throw new JsonIterError(
      `${operation}: ${msg}, error found in #${this.head - peekStart} byte of ...|${decoder.decode(parsing)}|..., bigger context ...|${decoder.decode(context)}|...`,
      msgUtf8 && isUtf8(parsing) && isUtf8(context),
    )
  }

  nextToken(): number {
    const b = this.buf
    for (let i = this.head; i < b.length; i++) {
      const c = b[i]!
      if (isSpace(c)) continue
      this.head = i + 1
      return c
    }
    this.head = b.length
    return 0
  }

  readByte(): number {
    if (this.head >= this.buf.length) return 0
    return this.buf[this.head++]!
  }

  unread(): void {
    if (this.head > 0) this.head--
  }

  /** The type of the next value: '"', 'n' (number), 't' (bool), 'z' (null), '[', '{', or '' (invalid). */
  whatIsNext(): string {
    const c = this.nextToken()
    this.unread()
    if (c === 0x22) return '"'
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'n'
    if (c === 0x74 || c === 0x66) return 't'
    if (c === 0x6e) return 'z'
    if (c === 0x5b) return '['
    if (c === 0x7b) return '{'
    return ''
  }

  private char(c: number): string {
    return String.fromCharCode(c)
  }

  private expectBytes(word: string): void {
    for (let i = 1; i < word.length; i++) {
      if (this.readByte() !== word.charCodeAt(i)) {
        this.fail(word.length === 4 ? 'skipThreeBytes' : 'skipFourBytes', `expect ${word.slice(1)}`)
      }
    }
  }

  readObject(): string {
    const c = this.nextToken()
    switch (c) {
      case 0x6e:
        this.expectBytes('null')
        return ''
      case 0x7b: {
        const d = this.nextToken()
        if (d === 0x22) {
          this.unread()
          const field = this.readString()
          const e = this.nextToken()
          if (e !== 0x3a) this.fail('ReadObject', 'expect : after object field, but found ' + this.char(e))
          return field
        }
        if (d === 0x7d) return ''
        return this.fail('ReadObject', 'expect " after {, but found ' + this.char(d))
      }
      case 0x2c: {
        const field = this.readString()
        const e = this.nextToken()
        if (e !== 0x3a) this.fail('ReadObject', 'expect : after object field, but found ' + this.char(e))
        return field
      }
      case 0x7d:
        return ''
      default:
        return this.fail('ReadObject', 'expect { or , or } or n, but found ' + this.char(c))
    }
  }

  readArray(): boolean {
    const c = this.nextToken()
    switch (c) {
      case 0x6e:
        this.expectBytes('null')
        return false
      case 0x5b: {
        const d = this.nextToken()
        if (d !== 0x5d) {
          this.unread()
          return true
        }
        return false
      }
      case 0x5d:
        return false
      case 0x2c:
        return true
      default:
        return this.fail('ReadArray', 'expect [ or , or ] or n, but found ' + this.char(c))
    }
  }

  readString(): string {
    const c = this.nextToken()
    if (c === 0x22) {
      const b = this.buf
      for (let i = this.head; i < b.length; i++) {
        const x = b[i]!
        if (x === 0x22) {
          const s = this.decodeString(b.subarray(this.head, i))
          this.head = i + 1
          return s
        }
        if (x === 0x5c) break
        if (x < 0x20) this.fail('ReadString', `invalid control character found: ${x}`)
      }
      return this.readStringSlow()
    }
    if (c === 0x6e) {
      this.expectBytes('null')
      return ''
    }
    return this.fail('ReadString', 'expects " or n, but found ' + this.char(c))
  }

  /** json-iterator's `ReadStringAsSlice`: the raw bytes up to the next `"`, escapes not decoded. */
  readStringAsSlice(): Uint8Array {
    const c = this.nextToken()
    if (c !== 0x22) return this.fail('ReadStringAsSlice', 'expects " or n, but found ' + this.char(c))
    const b = this.buf
    for (let i = this.head; i < b.length; i++) {
      if (b[i] === 0x22) {
        const out = b.subarray(this.head, i)
        this.head = i + 1
        return out
      }
    }
    const out = b.subarray(this.head)
    this.head = b.length
    return out
  }

  private decodeString(b: Uint8Array): string {
    try {
      this.lastStringValid = true
      return strict.decode(b)
    } catch {
      this.lastStringValid = false
      return decoder.decode(b)
    }
  }

  private readU4(): number {
    let r = 0
    for (let i = 0; i < 4; i++) {
      const c = this.readByte()
      let d: number
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10
      else return this.fail('readU4', `expects 0~9 or a~f, but found ${this.char(c)}`)
      r = r * 16 + d
    }
    return r
  }

  private readStringSlow(): string {
    const out: number[] = []
    const units: number[] = []
    const flush = (): void => {
      if (units.length > 0) {
        const s = String.fromCharCode(...units)
        for (const byte of new TextEncoder().encode(s)) out.push(byte)
        units.length = 0
      }
    }
    while (this.head < this.buf.length) {
      const c = this.readByte()
      if (c === 0x22) {
        flush()
        return this.decodeString(new Uint8Array(out))
      }
      if (c !== 0x5c) {
        flush()
        out.push(c)
        continue
      }
      const e = this.readByte()
      switch (e) {
        case 0x75: {
          const r = this.readU4()
          units.push(r)
          continue
        }
        case 0x22:
        case 0x5c:
        case 0x2f:
          flush()
          out.push(e)
          break
        case 0x62:
          flush()
          out.push(8)
          break
        case 0x66:
          flush()
          out.push(12)
          break
        case 0x6e:
          flush()
          out.push(10)
          break
        case 0x72:
          flush()
          out.push(13)
          break
        case 0x74:
          flush()
          out.push(9)
          break
        default:
          this.fail('readEscapedChar', 'invalid escape char after \\')
      }
    }
    return this.fail('readStringSlowPath', 'unexpected end of input')
  }

  readBool(): boolean {
    const c = this.nextToken()
    if (c === 0x74) {
      this.expectBytes('true')
      return true
    }
    if (c === 0x66) {
      this.expectBytes('false')
      return false
    }
    return this.fail('ReadBool', 'expect t or f, but found ' + this.char(c))
  }

  skip(): void {
    const c = this.nextToken()
    switch (c) {
      case 0x22:
        this.unread()
        this.readString()
        return
      case 0x6e:
        this.expectBytes('null')
        return
      case 0x74:
        this.expectBytes('true')
        return
      case 0x66:
        this.expectBytes('false')
        return
      case 0x5b:
        this.enter()
        this.unread()
        if (this.readArray()) {
          do this.skip()
          while (this.readArray())
        }
        this.depth--
        return
      case 0x7b:
        this.enter()
        this.unread()
        for (let f = this.readObject(); f !== ''; f = this.readObject()) this.skip()
        this.depth--
        return
      default:
        if (c === 0x2d || (c >= 0x31 && c <= 0x39)) {
          if (trySkipNumber(this)) return
          this.unread()
          skipNumberSlow(this)
          return
        }
        if (c === 0x30) {
          this.unread()
          readNumberFloat(this, 32)
          return
        }
        this.fail('Skip', `do not know how to skip: ${c}`)
    }
  }

  /** Nesting guard for the decoders' recursive values. */
  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('incrementDepth', 'exceeded max depth')
  }

  leave(): void {
    this.depth--
  }
}
