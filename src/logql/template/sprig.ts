/**
 * The sprig functions Loki imports into its templates, with sprig's semantics: numbers converted
 * through spf13/cast (bad input becomes 0, "20.2" → 20 for `int`), float arithmetic through exact
 * decimals, byte-based `trunc`/`substr` that fail like Go slicing, `b64dec` returning its error
 * text, `default`'s emptiness rule and `fromJson` into Go's interface{} shapes.
 */
import { boolFn2, CallError, num, str, strFn1, strFn2, timeArg, timeValue, type FuncDef } from './func-types'
import { parseFloat64, parseInt64 } from '../../go/strconv'
import * as S from './strings'
import { formatTime, timeFromNanos, withLocation, ZERO_TIME, type GoTime } from './time'
import { parseTime } from './time-parse'
import { decimalFold, type DecOp } from './units'
import { byteSlice, decodeLossy, isAscii, utf8Bytes } from './utf8'
import { utf8Length } from '../../go/utf8'
import { goBool, goFloat, goInt, goMapOf, goSlice, isTrue, NIL, type GoValue } from './value'
import { LOCAL } from './zones'

/** cast.ToInt64 (v1.10) as sprig uses it: failures give 0. */
export function toInt64(v: GoValue | undefined): bigint {
  if (v === undefined) return 0n
  if (typeof v === 'string') {
    if (v === '') return 0n
    let s = v
    if (s.includes('.')) {
      const m = /^([-+]?\d*)(\.\d*)?$/.exec(s)
      if (m) s = m[1] === '' ? '0' : m[1] === '-' || m[1] === '+' ? m[1] + '0' : (m[1] as string)
    }
    try { return parseInt64(s, 0); } catch { return 0n; }
  }
  switch (v.k) {
    case 'int': case 'uint': return BigInt.asIntN(64, v.v)
    case 'float':
      if (!Number.isFinite(v.v) || Math.abs(v.v) >= 2 ** 63) return -(1n << 63n)
      return BigInt(Math.trunc(v.v))
    case 'bool': return v.v ? 1n : 0n
    default: return 0n
  }
}

/** cast.ToFloat64 as sprig uses it: failures give 0. */
export function toFloat64(v: GoValue | undefined): number {
  if (v === undefined) return 0
  if (typeof v === 'string') {
    if (v === '') return 0
    try { return parseFloat64(v); } catch { return 0; }
  }
  switch (v.k) {
    case 'int': case 'uint': return Number(v.v)
    case 'float': return v.v
    case 'bool': return v.v ? 1 : 0
    default: return 0
  }
}

function isEmpty(v: GoValue | undefined): boolean {
  if (v === undefined) return true
  if (typeof v !== 'string' && v.k === 'time') return false
  return !isTrue(v)
}

function fromJson(s: string): GoValue {
  let parsed: unknown
  try { parsed = JSON.parse(s); } catch { return NIL; }
  const conv = (x: unknown): GoValue => {
    if (x === null) return NIL
    if (typeof x === 'string') return x
    if (typeof x === 'number') return goFloat(x)
    if (typeof x === 'boolean') return goBool(x)
    if (Array.isArray(x)) return goSlice(x.map(conv))
    const m = new Map<string, GoValue>()
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) m.set(k, conv(val))
    return goMapOf(m)
  }
  return conv(parsed)
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function b64enc(s: string): string {
  const b = utf8Bytes(s)
  let out = ''
  for (let i = 0; i < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0)
    out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63)
    out += (i + 1 < b.length ? B64.charAt((n >> 6) & 63) : '=') + (i + 2 < b.length ? B64.charAt(n & 63) : '=')
  }
  return out
}

/** base64.StdEncoding.DecodeString; sprig returns the error text instead of failing. */
function b64dec(s: string): string {
  const src = utf8Bytes(s)
  const out: number[] = []
  const fail = (off: number): string => `illegal base64 data at input byte ${off}`
  const skipNewlines = (i: number): number => {
    while (i < src.length && (src[i] === 10 || src[i] === 13)) i++
    return i
  }
  let si = 0
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let j = 0
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return decodeLossy(Uint8Array.from(out))
        return fail(si - j)
      }
      const c = src[si++] as number
      const v = c < 128 ? B64.indexOf(String.fromCharCode(c)) : -1
      if (v >= 0) { dbuf[j] = v; continue; }
      if (c === 10 || c === 13) { j--; continue; }
      if (c !== 61) return fail(si - 1)
      if (j === 0 || j === 1) return fail(si - 1)
      if (j === 2) {
        si = skipNewlines(si)
        if (si === src.length) return fail(src.length)
        if (src[si] !== 61) return fail(si - 1)
        si++
      }
      si = skipNewlines(si)
      if (si < src.length) return fail(si)
      dlen = j
      break
    }
    const n = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!
    const bytes = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
    out.push(...bytes.slice(0, dlen - 1))
    si = skipNewlines(si)
  }
  return decodeLossy(Uint8Array.from(out))
}

function sliceBoundsError(lo: string, hi: string, len?: number): CallError {
  const suffix = len === undefined ? '' : ` with length ${len}`
  return new CallError(`runtime error: slice bounds out of range [${lo}:${hi}]${suffix}`)
}

function substr(start: number, end: number, s: string): string {
  const len = isAscii(s) ? s.length : utf8Length(s)
  if (start < 0) {
    if (end < 0 || end > len) throw sliceBoundsError('', String(end), end < 0 ? undefined : len)
    return byteSlice(s, 0, end)
  }
  if (end < 0 || end > len) {
    if (start > len) throw sliceBoundsError(String(start), String(len))
    return byteSlice(s, start)
  }
  if (start > end) throw sliceBoundsError(String(start), String(end))
  return byteSlice(s, start, end)
}

function trunc(c: number, s: string): string {
  const len = isAscii(s) ? s.length : utf8Length(s)
  if (c < 0 && len + c > 0) return byteSlice(s, len + c)
  if (c >= 0 && len > c) return byteSlice(s, 0, c)
  return s
}

function dateArg(v: GoValue | undefined, now: GoTime): GoTime {
  if (v !== undefined && typeof v !== 'string') {
    if (v.k === 'time') return v.v
    if (v.k === 'int' && (v.t === 'int' || v.t === 'int64')) return timeFromNanos(v.v * 1_000_000_000n)
  }
  return now
}

const dec = (op: DecOp) => (a: GoValue[]): GoValue =>
  goFloat(decimalFold(op, toFloat64(a[0]), a.slice(1).map(toFloat64)))
const i64 = (v: bigint): GoValue => goInt(v, 'int64')

export const SPRIG_FUNCS: Record<string, FuncDef> = {
  b64enc: strFn1(b64enc),
  b64dec: strFn1(b64dec),
  lower: strFn1(S.toLower),
  upper: strFn1(S.toUpper),
  title: strFn1(S.title),
  trunc: { params: ['int', 'string'], call: (a) => trunc(num(a[0]), str(a[1])) },
  substr: { params: ['int', 'int', 'string'], call: (a) => substr(num(a[0]), num(a[1]), str(a[2])) },
  contains: boolFn2((sub, s) => s.includes(sub)),
  hasPrefix: boolFn2((p, s) => s.startsWith(p)),
  hasSuffix: boolFn2((p, s) => s.endsWith(p)),
  indent: { params: ['int', 'string'], call: (a) => indent(num(a[0]), str(a[1])) },
  nindent: { params: ['int', 'string'], call: (a) => '\n' + indent(num(a[0]), str(a[1])) },
  replace: { params: ['string', 'string', 'string'], call: (a) => S.replace(str(a[2]), str(a[0]), str(a[1]), -1) },
  repeat: { params: ['int', 'string'], call: (a) => S.repeat(str(a[1]), num(a[0])) },
  trim: strFn1(S.trimSpace),
  trimAll: strFn2((cut, s) => S.trim(s, cut)),
  trimSuffix: strFn2((suf, s) => S.trimSuffix(s, suf)),
  trimPrefix: strFn2((pre, s) => S.trimPrefix(s, pre)),
  int: { params: ['any'], call: (a) => goInt(toInt64(a[0])) },
  float64: { params: ['any'], call: (a) => goFloat(toFloat64(a[0])) },
  add: { params: [], variadic: 'any', call: (a) => i64(a.reduce((acc, v) => acc + toInt64(v), 0n)) },
  sub: { params: ['any', 'any'], call: (a) => i64(toInt64(a[0]) - toInt64(a[1])) },
  mul: {
    params: ['any'], variadic: 'any',
    call: (a) => i64(a.slice(1).reduce((acc, v) => BigInt.asIntN(64, acc * toInt64(v)), toInt64(a[0]))),
  },
  div: { params: ['any', 'any'], call: (a) => i64(intDiv(toInt64(a[0]), toInt64(a[1]), false)) },
  mod: { params: ['any', 'any'], call: (a) => i64(intDiv(toInt64(a[0]), toInt64(a[1]), true)) },
  addf: { params: [], variadic: 'any', call: (a) => dec('add')([goFloat(0), ...a]) },
  subf: { params: ['any'], variadic: 'any', call: dec('sub') },
  mulf: { params: ['any'], variadic: 'any', call: dec('mul') },
  divf: { params: ['any'], variadic: 'any', call: dec('div') },
  max: { params: ['any'], variadic: 'any', call: (a) => i64(a.map(toInt64).reduce((x, y) => (y > x ? y : x))) },
  min: { params: ['any'], variadic: 'any', call: (a) => i64(a.map(toInt64).reduce((x, y) => (y < x ? y : x))) },
  maxf: { params: ['any'], variadic: 'any', call: (a) => goFloat(a.map(toFloat64).reduce((x, y) => goMax(x, y))) },
  minf: { params: ['any'], variadic: 'any', call: (a) => goFloat(a.map(toFloat64).reduce((x, y) => goMin(x, y))) },
  ceil: { params: ['any'], call: (a) => goFloat(Math.ceil(toFloat64(a[0]))) },
  floor: { params: ['any'], call: (a) => goFloat(Math.floor(toFloat64(a[0]))) },
  round: {
    params: ['any', 'int'], variadic: 'float64',
    call: (a) => goFloat(round(toFloat64(a[0]), num(a[1]), a[2] === undefined ? 0.5 : num(a[2]))),
  },
  fromJson: { params: ['string'], call: (a) => fromJson(str(a[0])) },
  date: { params: ['string', 'any'], call: (a, ctx) => formatTime(withLocation(dateArg(a[1], ctx.now), LOCAL), str(a[0])) },
  toDate: { params: ['string', 'string'], call: (a) => timeValue(parseTime(str(a[0]), str(a[1]), LOCAL) ?? ZERO_TIME) },
  now: { params: [], call: (_a, ctx) => timeValue(ctx.now) },
  unixEpoch: { params: ['time'], call: (a) => String(timeArg(a[0]).sec) },
  default: {
    params: ['any'], variadic: 'any',
    call: (a) => (a.length < 2 || isEmpty(a[1]) ? (a[0] as GoValue) : (a[1] as GoValue)),
  },
}

function indent(n: number, s: string): string {
  if (n < 0) throw new CallError('strings: negative Repeat count')
  const pad = ' '.repeat(n)
  return pad + s.split('\n').join('\n' + pad)
}

function intDiv(a: bigint, b: bigint, mod: boolean): bigint {
  if (b === 0n) throw new CallError('runtime error: integer divide by zero')
  return BigInt.asIntN(64, mod ? a % b : a / b)
}

function goMax(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN
  return Math.max(x, y)
}

function goMin(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN
  return Math.min(x, y)
}

function round(val: number, p: number, roundOn: number): number {
  const pow = Number.isInteger(p) && Math.abs(p) <= 308 ? Number(`1e${p}`) : Math.pow(10, p)
  const digit = pow * val
  const frac = digit - Math.trunc(digit)
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow
}

