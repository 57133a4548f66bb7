/**
 * A pull reader over JSON bytes that behaves as json-iterator's `Iterator` (the reader pdata's
 * OTLP/JSON unmarshalers use) for the calls they make: `readObject` returns field names until
 * `''`, `readArray` says whether another element follows, `skip` passes over any value. Errors
 * carry json-iterator's text (`ReadObject: expect " after {, but found ..., error found in #1 byte
 * of ...|{|..., bigger context ...|{|...`); only the first is kept, and reading stops there.
 * Input after the top-level value is not looked at, as in pdata.
 */

import { goQuote } from '../../logql/syntax/go-string'

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

const U64_MAX = (1n << 64n) - 1n
const U32_MAX = (1n << 32n) - 1n

const MAX_DEPTH = 10000

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d
}

export class JsonIter {
  head = 0
  /** Whether the last string read was valid UTF-8. */
  lastStringValid = true
  private depth = 0

  constructor(private readonly buf: Uint8Array) {}

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

  private nextToken(): number {
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

  private readByte(): number {
    if (this.head >= this.buf.length) return 0
    return this.buf[this.head++]!
  }

  private unread(): void {
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

  /** json-iterator's `assertInteger`: a `.` right after the digits. */
  private assertInteger(): void {
    if (this.head < this.buf.length && this.buf[this.head] === 0x2e) this.fail('assertInteger', 'can not decode float as int')
  }

  /**
   * json-iterator's `readUint32`/`readUint64` after `c` was consumed: the digits, with its
   * overflow check and its (odd) error positions.
   */
  private readUintDigits(c: number, bits: 32 | 64): bigint {
    const op = bits === 64 ? 'readUint64' : 'readUint32'
    if (c === 0x30) {
      this.assertInteger()
      return 0n
    }
    if (c < 0x31 || c > 0x39) return this.fail(op, 'unexpected character: \ufffd', false)
    const b = this.buf
    const p = this.head - 1
    const fast = b.length - this.head > 10
    const max = bits === 64 ? U64_MAX : U32_MAX
    let value = BigInt(c - 0x30)
    let j = this.head
    for (; j < b.length; j++) {
      const d = b[j]!
      if (d < 0x30 || d > 0x39) break
      value = value * 10n + BigInt(d - 0x30)
      if (value > max) {
        this.head = fast && j - p >= 8 ? p + 8 : p + 1
        return this.fail(op, 'overflow')
      }
    }
    this.head = j
    this.assertInteger()
    return value
  }

  /** json-iterator's `ReadUint32`/`ReadUint64`/`ReadInt32`/`ReadInt64` on a JSON number. */
  private readNumberInteger(bits: 32 | 64, signed: boolean): bigint {
    const c = this.nextToken()
    if (!signed) return this.readUintDigits(c, bits)
    const op = bits === 64 ? 'ReadInt64' : 'ReadInt32'
    const limit = bits === 64 ? 1n << 63n : 1n << 31n
    if (c === 0x2d) {
      const v = this.readUintDigits(this.readByte(), bits)
      if (v > limit) this.fail(op, `overflow: ${v}`)
      return -v
    }
    const v = this.readUintDigits(c, bits)
    if (v > limit - 1n) this.fail(op, `overflow: ${v}`)
    return v
  }

  /**
   * pdata's integer reads: a JSON number through json-iterator, or a decimal string through
   * Go's `strconv.ParseUint`/`ParseInt`; the operation name is pdata's (`ReadUint64`, ...).
   */
  readInteger(bits: 32 | 64, signed: boolean): bigint {
    const op = `Read${signed ? 'Int' : 'Uint'}${bits}`
    const kind = this.whatIsNext()
    if (kind === 'n') return this.readNumberInteger(bits, signed)
    if (kind !== '"') return this.fail(op, 'unsupported value type')
    const text = this.readString()
    const fn = signed ? 'ParseInt' : 'ParseUint'
    const syntax = signed ? /^[+-]?\d+$/ : /^\d+$/
    if (!syntax.test(text)) return this.fail(op, `strconv.${fn}: parsing ${goQuote(text)}: invalid syntax`)
    const v = BigInt(text)
    const [min, max] = signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n]
    if (v < min || v > max) return this.fail(op, `strconv.${fn}: parsing ${goQuote(text)}: value out of range`)
    return v
  }

  /** json-iterator's `readNumberAsString`: the run of `+-.eE0-9` at the cursor. */
  private readNumberAsString(): string {
    const b = this.buf
    let i = this.head
    while (i < b.length) {
      const c = b[i]!
      if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45) i++
      else break
    }
    const text = decoder.decode(b.subarray(this.head, i))
    this.head = i
    if (text === '') this.fail('readNumberAsString', 'invalid number')
    return text
  }

  /** An error json-iterator stores as it is, without position or context. */
  private failPlain(message: string): never {
    throw new JsonIterError(message)
  }

  /** Go's `strconv.ParseFloat(text, bits)` on what `readNumberAsString` collected. */
  private parseGoFloat(text: string, bits: 32 | 64): number {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      return this.failPlain(`strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`)
    }
    const n = Number(text)
    const max = bits === 64 ? Number.MAX_VALUE : 3.4028234663852886e38
    if (!Number.isFinite(n) || Math.abs(n) > max) return this.failPlain(`strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`)
    return bits === 64 ? n : Math.fround(n)
  }

  private readFloatSlow(bits: 32 | 64): number {
    const text = this.readNumberAsString()
    const op = `readFloat${bits}SlowPath`
    if (text.startsWith('-')) return this.fail(op, '-- is not valid')
    const dot = text.indexOf('.')
    if (dot !== -1) {
      if (dot === text.length - 1) return this.fail(op, 'dot can not be last character')
      const d = text.charCodeAt(dot + 1)
      if (d < 0x30 || d > 0x39) return this.fail(op, 'missing digit after dot')
    }
    return this.parseGoFloat(text, bits)
  }

  /** json-iterator's `readPositiveFloat32`/`64`: a fast path for plain decimals, else the slow path. */
  private readPositiveFloat(bits: 32 | 64): number {
    const b = this.buf
    let i = this.head
    if (i === b.length) return this.readFloatSlow(bits)
    const kind = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c === 0x2e ? -3 : c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x09 || c === 0x0a ? -2 : -1)
    const first = kind(b[i++]!)
    if (first === -1) return this.readFloatSlow(bits)
    if (first === -2) return this.fail(`readFloat${bits}`, 'empty number')
    if (first === -3) return this.fail(`readFloat${bits}`, 'leading dot is invalid')
    if (first === 0) {
      if (i === b.length) return this.readFloatSlow(bits)
      const c = b[i]!
      if (c >= 0x30 && c <= 0x39) return this.fail(`readFloat${bits}`, 'leading zero is invalid')
    }
    let value = BigInt(first)
    const SAFE = bits === 64 ? 0xffffffffffffffffn / 10n - 1n : 0xffffffffn / 10n - 1n
    let sawDot = false
    for (; i < b.length; i++) {
      const k = kind(b[i]!)
      if (k === -1) return this.readFloatSlow(bits)
      if (k === -2) {
        this.head = i
        return bits === 64 ? Number(value) : Math.fround(Number(value))
      }
      if (k === -3) {
        sawDot = true
        break
      }
      if (value > SAFE) return this.readFloatSlow(bits)
      value = value * 10n + BigInt(k)
    }
    if (sawDot) {
      i++
      let places = 0
      if (i === b.length) return this.readFloatSlow(bits)
      for (; i < b.length; i++) {
        const k = kind(b[i]!)
        if (k === -2) {
          if (places > 0 && places < 7) {
            this.head = i
            const v = Number(value) / 10 ** places
            return bits === 64 ? v : Math.fround(v)
          }
          return this.readFloatSlow(bits)
        }
        if (k < 0) return this.readFloatSlow(bits)
        places++
        if (value > SAFE) return this.readFloatSlow(bits)
        value = value * 10n + BigInt(k)
        if (bits === 64 && value > 9007199254740991n) return this.readFloatSlow(bits)
      }
    }
    return this.readFloatSlow(bits)
  }

  /** json-iterator's `ReadFloat64` (or `ReadFloat32`). */
  private readNumberFloat(bits: 32 | 64): number {
    const c = this.nextToken()
    if (c === 0x2d) return -this.readPositiveFloat(bits)
    this.unread()
    return this.readPositiveFloat(bits)
  }

  /** pdata's `ReadFloat64`: a JSON number, or a string Go's `strconv.ParseFloat` accepts. */
  readFloat(): number {
    const kind = this.whatIsNext()
    if (kind === 'n') return this.readNumberFloat(64)
    // pdata names this operation ReadUint64.
    if (kind !== '"') return this.fail('ReadUint64', 'unsupported value type')
    const text = this.readString()
    const lower = text.toLowerCase()
    if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity
    if (/^[+-]?nan$/.test(lower)) return NaN
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      return this.fail('ReadUint64', `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`)
    }
    const n = Number(text)
    if (!Number.isFinite(n)) return this.fail('ReadUint64', `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`)
    return n
  }

  /**
   * json-iterator's `skipNumber` fallback after `trySkipNumber` gave up: `ReadFloat64`, and when
   * that fails, `ReadBigFloat` from where it stopped (only its error is kept).
   */
  private skipNumberSlow(): void {
    try {
      this.readNumberFloat(64)
      return
    } catch (err) {
      if (!(err instanceof JsonIterError)) throw err
    }
    // big.ParseFloat's own texts are not reproduced; what it refuses is refused.
    const text = this.readNumberAsString()
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) this.failPlain(`number has no digits`)
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
          if (this.trySkipNumber()) return
          this.unread()
          this.skipNumberSlow()
          return
        }
        if (c === 0x30) {
          this.unread()
          this.readNumberFloat(32)
          return
        }
        this.fail('Skip', `do not know how to skip: ${c}`)
    }
  }

  /**
   * json-iterator's `trySkipNumber` after the first character: digits with at most one `.`
   * (followed by a digit) up to a delimiter are skipped as they are (so `-01` passes); anything
   * else is left to the float reader.
   */
  private trySkipNumber(): boolean {
    const b = this.buf
    let dot = false
    for (let i = this.head; i < b.length; i++) {
      const c = b[i]!
      if (c >= 0x30 && c <= 0x39) continue
      if (c === 0x2e) {
        if (dot) this.fail('validateNumber', 'more than one dot found in number')
        if (i + 1 === b.length) return false
        const d = b[i + 1]!
        if (d < 0x30 || d > 0x39) this.fail('validateNumber', 'missing digit after dot')
        dot = true
        continue
      }
      if (c === 0x2c || c === 0x5d || c === 0x7d || isSpace(c)) {
        if (this.head === i) return false
        this.head = i
        return true
      }
      return false
    }
    return false
  }

  /** Nesting guard for the decoders' recursive values. */
  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('incrementDepth', 'exceeded max depth')
  }

  leave(): void {
    this.depth--
  }
}
