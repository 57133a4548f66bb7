/**
 * json-iterator's number reading as pdata's OTLP/JSON decoder meets it: integers (`ReadUint64`,
 * `ReadInt64`, ... with their overflow checks and error positions, or decimal strings through
 * Go's `strconv`), doubles (the fast path for plain decimals, the slow path through
 * `strconv.ParseFloat`) and the number skipping of unknown fields (`trySkipNumber`).
 */

import { goQuote } from '../../go/strconv'
import { isSpace, JsonIterError, type JsonIter } from './json-iter'

const decoder = new TextDecoder()
const U64_MAX = (1n << 64n) - 1n
const U32_MAX = (1n << 32n) - 1n

/** json-iterator's `assertInteger`: a `.` right after the digits. */
function assertInteger(it: JsonIter): void {
  if (it.head < it.buf.length && it.buf[it.head] === 0x2e) it.fail('assertInteger', 'can not decode float as int')
}

/**
 * json-iterator's `readUint32`/`readUint64` after `c` was consumed: the digits, with its
 * overflow check and its (odd) error positions.
 */
function readUintDigits(it: JsonIter, c: number, bits: 32 | 64): bigint {
  const op = bits === 64 ? 'readUint64' : 'readUint32'
  if (c === 0x30) {
    assertInteger(it)
    return 0n
  }
  if (c < 0x31 || c > 0x39) return it.fail(op, 'unexpected character: \ufffd', false)
  const b = it.buf
  const p = it.head - 1
  const fast = b.length - it.head > 10
  const max = bits === 64 ? U64_MAX : U32_MAX
  let value = BigInt(c - 0x30)
  let j = it.head
  for (; j < b.length; j++) {
    const d = b[j]!
    if (d < 0x30 || d > 0x39) break
    value = value * 10n + BigInt(d - 0x30)
    if (value > max) {
      it.head = fast && j - p >= 8 ? p + 8 : p + 1
      return it.fail(op, 'overflow')
    }
  }
  it.head = j
  assertInteger(it)
  return value
}

/** json-iterator's `ReadUint32`/`ReadUint64`/`ReadInt32`/`ReadInt64` on a JSON number. */
function readNumberInteger(it: JsonIter, bits: 32 | 64, signed: boolean): bigint {
  const c = it.nextToken()
  if (!signed) return readUintDigits(it, c, bits)
  const op = bits === 64 ? 'ReadInt64' : 'ReadInt32'
  const limit = bits === 64 ? 1n << 63n : 1n << 31n
  if (c === 0x2d) {
    const v = readUintDigits(it, it.readByte(), bits)
    if (v > limit) it.fail(op, `overflow: ${v}`)
    return -v
  }
  const v = readUintDigits(it, c, bits)
  if (v > limit - 1n) it.fail(op, `overflow: ${v}`)
  return v
}

/**
 * pdata's integer reads: a JSON number through json-iterator, or a decimal string through
 * Go's `strconv.ParseUint`/`ParseInt`; the operation name is pdata's (`ReadUint64`, ...).
 */
export function readInteger(it: JsonIter, bits: 32 | 64, signed: boolean): bigint {
  const op = `Read${signed ? 'Int' : 'Uint'}${bits}`
  const kind = it.whatIsNext()
  if (kind === 'n') return readNumberInteger(it, bits, signed)
  if (kind !== '"') return it.fail(op, 'unsupported value type')
  const text = it.readString()
  const fn = signed ? 'ParseInt' : 'ParseUint'
  const syntax = signed ? /^[+-]?\d+$/ : /^\d+$/
  if (!syntax.test(text)) return it.fail(op, `strconv.${fn}: parsing ${goQuote(text)}: invalid syntax`)
  const v = BigInt(text)
  const [min, max] = signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n]
  if (v < min || v > max) return it.fail(op, `strconv.${fn}: parsing ${goQuote(text)}: value out of range`)
  return v
}

/** json-iterator's `readNumberAsString`: the run of `+-.eE0-9` at the cursor. */
function readNumberAsString(it: JsonIter): string {
  const b = it.buf
  let i = it.head
  while (i < b.length) {
    const c = b[i]!
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45) i++
    else break
  }
  const text = decoder.decode(b.subarray(it.head, i))
  it.head = i
  if (text === '') it.fail('readNumberAsString', 'invalid number')
  return text
}

/** An error json-iterator stores as it is, without position or context. */
function failPlain(it: JsonIter, message: string): never {
  throw new JsonIterError(message)
}

/** Go's `strconv.ParseFloat(text, bits)` on what `readNumberAsString` collected. */
function parseGoFloat(it: JsonIter, text: string, bits: 32 | 64): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return failPlain(it, `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`)
  }
  const n = Number(text)
  const max = bits === 64 ? Number.MAX_VALUE : 3.4028234663852886e38
  if (!Number.isFinite(n) || Math.abs(n) > max) return failPlain(it, `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`)
  return bits === 64 ? n : Math.fround(n)
}

function readFloatSlow(it: JsonIter, bits: 32 | 64): number {
  const text = readNumberAsString(it)
  const op = `readFloat${bits}SlowPath`
  if (text.startsWith('-')) return it.fail(op, '-- is not valid')
  const dot = text.indexOf('.')
  if (dot !== -1) {
    if (dot === text.length - 1) return it.fail(op, 'dot can not be last character')
    const d = text.charCodeAt(dot + 1)
    if (d < 0x30 || d > 0x39) return it.fail(op, 'missing digit after dot')
  }
  return parseGoFloat(it, text, bits)
}

/** json-iterator's `readPositiveFloat32`/`64`: a fast path for plain decimals, else the slow path. */
function readPositiveFloat(it: JsonIter, bits: 32 | 64): number {
  const b = it.buf
  let i = it.head
  if (i === b.length) return readFloatSlow(it, bits)
  const kind = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c === 0x2e ? -3 : c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x09 || c === 0x0a ? -2 : -1)
  const first = kind(b[i++]!)
  if (first === -1) return readFloatSlow(it, bits)
  if (first === -2) return it.fail(`readFloat${bits}`, 'empty number')
  if (first === -3) return it.fail(`readFloat${bits}`, 'leading dot is invalid')
  if (first === 0) {
    if (i === b.length) return readFloatSlow(it, bits)
    const c = b[i]!
    if (c >= 0x30 && c <= 0x39) return it.fail(`readFloat${bits}`, 'leading zero is invalid')
  }
  let value = BigInt(first)
  const SAFE = bits === 64 ? 0xffffffffffffffffn / 10n - 1n : 0xffffffffn / 10n - 1n
  let sawDot = false
  for (; i < b.length; i++) {
    const k = kind(b[i]!)
    if (k === -1) return readFloatSlow(it, bits)
    if (k === -2) {
      it.head = i
      return bits === 64 ? Number(value) : Math.fround(Number(value))
    }
    if (k === -3) {
      sawDot = true
      break
    }
    if (value > SAFE) return readFloatSlow(it, bits)
    value = value * 10n + BigInt(k)
  }
  if (sawDot) {
    i++
    let places = 0
    if (i === b.length) return readFloatSlow(it, bits)
    for (; i < b.length; i++) {
      const k = kind(b[i]!)
      if (k === -2) {
        if (places > 0 && places < 7) {
          it.head = i
          const v = Number(value) / 10 ** places
          return bits === 64 ? v : Math.fround(v)
        }
        return readFloatSlow(it, bits)
      }
      if (k < 0) return readFloatSlow(it, bits)
      places++
      if (value > SAFE) return readFloatSlow(it, bits)
      value = value * 10n + BigInt(k)
      if (bits === 64 && value > 9007199254740991n) return readFloatSlow(it, bits)
    }
  }
  return readFloatSlow(it, bits)
}

/** json-iterator's `ReadFloat64` (or `ReadFloat32`). */
export function readNumberFloat(it: JsonIter, bits: 32 | 64): number {
  const c = it.nextToken()
  if (c === 0x2d) return -readPositiveFloat(it, bits)
  it.unread()
  return readPositiveFloat(it, bits)
}

/** pdata's `ReadFloat64`: a JSON number, or a string Go's `strconv.ParseFloat` accepts. */
export function readFloat(it: JsonIter): number {
  const kind = it.whatIsNext()
  if (kind === 'n') return readNumberFloat(it, 64)
  // pdata names this operation ReadUint64.
  if (kind !== '"') return it.fail('ReadUint64', 'unsupported value type')
  const text = it.readString()
  const lower = text.toLowerCase()
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/.test(lower)) return NaN
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return it.fail('ReadUint64', `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`)
  }
  const n = Number(text)
  if (!Number.isFinite(n)) return it.fail('ReadUint64', `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`)
  return n
}

/**
 * json-iterator's `skipNumber` fallback after `trySkipNumber` gave up: `ReadFloat64`, and when
 * that fails, `ReadBigFloat` from where it stopped (only its error is kept).
 */
export function skipNumberSlow(it: JsonIter): void {
  try {
    readNumberFloat(it, 64)
    return
  } catch (err) {
    if (!(err instanceof JsonIterError)) throw err
  }
  // big.ParseFloat's own texts are not reproduced; what it refuses is refused.
  const text = readNumberAsString(it)
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) failPlain(it, `number has no digits`)
}

/**
 * json-iterator's `trySkipNumber` after the first character: digits with at most one `.`
 * (followed by a digit) up to a delimiter are skipped as they are (so `-01` passes); anything
 * else is left to the float reader.
 */
export function trySkipNumber(it: JsonIter): boolean {
  const b = it.buf
  let dot = false
  for (let i = it.head; i < b.length; i++) {
    const c = b[i]!
    if (c >= 0x30 && c <= 0x39) continue
    if (c === 0x2e) {
      if (dot) it.fail('validateNumber', 'more than one dot found in number')
      if (i + 1 === b.length) return false
      const d = b[i + 1]!
      if (d < 0x30 || d > 0x39) it.fail('validateNumber', 'missing digit after dot')
      dot = true
      continue
    }
    if (c === 0x2c || c === 0x5d || c === 0x7d || isSpace(c)) {
      if (it.head === i) return false
      it.head = i
      return true
    }
    return false
  }
  return false
}
