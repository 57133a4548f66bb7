/**
 * Go `fmt` for template values: `%v` printing, `Sprint`/`Sprintln`, and `Sprintf` with the verbs,
 * flags, width and precision people use in line_format (`%s %d %v %q %f %.2f %x %5s %-5s %t %%`...),
 * including Go's in-band error forms such as `%!d(string=abc)` and `%!s(MISSING)`.
 */
import { formatFloat, formatFloatV } from './ftoa'
import { goQuote } from '../../go/strconv'
import { LONG_DAYS, LONG_MONTHS, timeString } from './time'
import { typeName, type GoValue } from './value'
import { utf8Bytes } from './utf8'

/** `%v` of a value inside fmt (an untyped nil prints as `<nil>`). */
export function formatV(v: GoValue): string {
  if (typeof v === 'string') return v
  switch (v.k) {
    case 'int':
      if (v.t === 'time.Month') return LONG_MONTHS[Number(v.v) - 1] ?? `%!Month(${v.v})`
      if (v.t === 'time.Weekday') return LONG_DAYS[Number(v.v)] ?? `%!Weekday(${v.v})`
      return v.v.toString()
    case 'uint': return v.v.toString()
    case 'float': return formatFloatV(v.v)
    case 'bool': return v.v ? 'true' : 'false'
    case 'time': return timeString(v.v)
    case 'map': return 'map[' + v.keys().map((k) => k + ':' + formatV(v.get(k) ?? v.zero)).join(' ') + ']'
    case 'slice': return '[' + v.v.map(formatV).join(' ') + ']'
    case 'nil': return '<nil>'
  }
}

/** Verbs for which Go's fmt uses a value's String method. */
const STRINGER_VERBS = ['v', 's', 'q', 'x', 'X']

const isStringArg = (v: GoValue): boolean => typeof v === 'string'

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = ''
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as GoValue
    if (i > 0 && !isStringArg(a) && !isStringArg(args[i - 1] as GoValue)) out += ' '
    out += formatV(a)
  }
  return out
}

export function sprintln(args: readonly GoValue[]): string {
  return args.map(formatV).join(' ') + '\n'
}

interface Flags {
  plus: boolean; minus: boolean; sharp: boolean; space: boolean; zero: boolean
  wid: number; widPresent: boolean; prec: number; precPresent: boolean
}

function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0) n++
    else if (!(s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++
  }
  return n
}

function pad(s: string, f: Flags, zeroOK = true): string {
  if (!f.widPresent) return s
  const n = f.wid - runeCount(s)
  if (n <= 0) return s
  if (f.minus) return s + ' '.repeat(n)
  return (f.zero && zeroOK ? '0' : ' ').repeat(n) + s
}

function badVerb(verb: string, v: GoValue | undefined, f?: Flags): string {
  if (v === undefined || (typeof v !== 'string' && v.k === 'nil')) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeName(v)}=${f ? fmtArg(v, 'v', f) : formatV(v)})`
}

function fmtInteger(v: bigint, signed: boolean, base: number, verb: string, f: Flags, upper: boolean): string {
  const neg = signed && v < 0n
  let digits = (neg ? -v : v).toString(base)
  if (upper) digits = digits.toUpperCase()
  if (f.precPresent) {
    if (f.prec === 0 && v === 0n) return pad('', { ...f, zero: false })
    digits = digits.padStart(f.prec, '0')
  } else if (f.zero && !f.minus && f.widPresent) {
    let w = f.wid
    if (neg || f.plus || f.space) w--
    if (f.sharp && (base === 16 || base === 2)) w -= 2
    else if (f.sharp && base === 8 && !digits.startsWith('0')) w--
    if (verb === 'O') w -= 2
    digits = digits.padStart(w, '0')
  }
  if (f.sharp) {
    if (base === 8 && !digits.startsWith('0')) digits = '0' + digits
    else if (base === 16) digits = (upper ? '0X' : '0x') + digits
    else if (base === 2) digits = '0b' + digits
  }
  if (verb === 'O') digits = '0o' + digits
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : ''
  return pad(sign + digits, { ...f, zero: false })
}

function fmtFloat(x: number, verb: string, prec: number, f: Flags): string {
  if (f.precPresent) prec = f.prec
  let num = formatFloat(x, verb, prec)
  if (verb === 'F') num = formatFloat(x, 'f', prec)
  if (num[0] !== '-' && num[0] !== '+') num = '+' + num
  if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1)
  if (num.slice(1) === 'Inf' || num.slice(1) === 'NaN') {
    if (num.slice(1) === 'NaN' && !f.space && !f.plus) num = num.slice(1)
    return pad(num, { ...f, zero: false })
  }
  if (f.sharp) num = sharpFloat(num, verb, prec)
  if (f.plus || num[0] !== '+') {
    if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
      return (num[0] as string) + '0'.repeat(f.wid - num.length) + num.slice(1)
    }
    return pad(num, f)
  }
  return pad(num.slice(1), f)
}

/** The `#` flag on floats: keep a decimal point and trailing zeros, as Go's fmt does. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x' || verb === 'X') digits = prec === -1 ? 6 : prec
  let tail = ''
  let hasPoint = false
  let sawNonzero = false
  for (let i = 1; i < num.length; i++) {
    const c = num[i] as string
    if (c === '.') { hasPoint = true; continue; }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = num.slice(i)
      num = num.slice(0, i)
      break
    }
    if (c !== '0') sawNonzero = true
    if (sawNonzero) digits--
  }
  if (!hasPoint) {
    if (num.length === 2 && num[1] === '0') digits--
    num += '.'
  }
  if (digits > 0) num += '0'.repeat(digits)
  return num + tail
}

function hexString(s: string, f: Flags, upper: boolean): string {
  const bytes = utf8Bytes(s)
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    if (f.space && i > 0) out += ' '
    if (f.sharp && (f.space || i === 0)) out += upper ? '0X' : '0x'
    const h = (bytes[i] as number).toString(16).padStart(2, '0')
    out += upper ? h.toUpperCase() : h
  }
  return out
}

function fmtString(s: string, verb: string, f: Flags): string | undefined {
  switch (verb) {
    case 'v': case 's': {
      if (f.precPresent) s = Array.from(s).slice(0, f.prec).join('')
      return pad(s, f)
    }
    case 'q': {
      if (f.precPresent) s = Array.from(s).slice(0, f.prec).join('')
      if (f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) return pad('`' + s + '`', f)
      return pad(goQuote(s, f.plus), f)
    }
    case 'x': case 'X': {
      if (f.precPresent) s = new TextDecoder().decode(utf8Bytes(s).subarray(0, f.prec))
      return pad(hexString(s, f, verb === 'X'), f)
    }
  }
  return undefined
}

function fmtIntValue(v: bigint, signed: boolean, verb: string, f: Flags): string | undefined {
  switch (verb) {
    case 'v': case 'd': return fmtInteger(v, signed, 10, verb, f, false)
    case 'b': return fmtInteger(v, signed, 2, verb, f, false)
    case 'o': case 'O': return fmtInteger(v, signed, 8, verb, f, false)
    case 'x': return fmtInteger(v, signed, 16, verb, f, false)
    case 'X': return fmtInteger(v, signed, 16, verb, f, true)
    case 'c': return pad(validRune(v), f)
    case 'q': return pad(goQuote(validRune(v), f.plus, "'"), f)
    case 'U': {
      const cp = v < 0n ? v + (1n << 64n) : v
      let s = 'U+' + cp.toString(16).toUpperCase().padStart(f.precPresent ? f.prec : 4, '0')
      if (f.sharp && cp <= 0x10ffffn) s += " '" + validRune(v) + "'"
      return pad(s, { ...f, zero: false })
    }
  }
  return undefined
}

function validRune(v: bigint): string {
  if (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) return '\ufffd'
  return String.fromCodePoint(Number(v))
}

/** One argument under one verb; undefined means a bad verb for the type. */
function fmtArg(v: GoValue, verb: string, f: Flags): string {
  if (verb === 'T') return pad(typeName(v) === '<nil>' ? '<nil>' : typeName(v), f)
  if (typeof v === 'string') return fmtString(v, verb, f) ?? badVerb(verb, v, f)
  let r: string | undefined
  switch (v.k) {
    case 'nil':
      return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v, f)
    case 'bool':
      r = verb === 't' || verb === 'v' ? pad(v.v ? 'true' : 'false', f) : undefined
      break
    case 'int':
      if ((v.t === 'time.Month' || v.t === 'time.Weekday') && STRINGER_VERBS.includes(verb)) {
        r = fmtString(formatV(v), verb, f)
      } else r = fmtIntValue(v.v, true, verb, f)
      break
    case 'uint':
      r = fmtIntValue(v.v, false, verb, f)
      break
    case 'float':
      switch (verb) {
        case 'v': r = fmtFloat(v.v, 'g', -1, f); break
        case 'g': case 'G': case 'x': case 'X': r = fmtFloat(v.v, verb, -1, f); break
        case 'e': case 'E': case 'f': case 'F': r = fmtFloat(v.v, verb, 6, f); break
      }
      break
    case 'time':
      if (STRINGER_VERBS.includes(verb)) r = fmtString(timeString(v.v), verb, f)
      break
    case 'map':
      return pad('map[' + v.keys().map((k) => fmtArg(k, verb, noPad(f)) + ':' +
        fmtElem(v.get(k) ?? v.zero, verb, noPad(f))).join(' ') + ']', f)
    case 'slice':
      return '[' + v.v.map((e) => fmtElem(e, verb, f)).join(' ') + ']'
  }
  return r ?? badVerb(verb, v, f)
}

/** Elements of containers are interfaces: a nil one prints `<nil>` whatever the verb. */
function fmtElem(v: GoValue, verb: string, f: Flags): string {
  return typeof v !== 'string' && v.k === 'nil' ? pad('<nil>', f) : fmtArg(v, verb, f)
}

function noPad(f: Flags): Flags {
  return { ...f, widPresent: false, wid: 0 }
}

function intArg(v: GoValue | undefined): number | undefined {
  if (v === undefined || typeof v === 'string') return undefined
  if (v.k !== 'int' && v.k !== 'uint') return undefined
  if (v.v > 1000000n || v.v < -1000000n) return undefined
  return Number(v.v)
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = ''
  let argNum = 0
  let reordered = false
  let i = 0
  const end = format.length
  const parseIndex = (): boolean | undefined => {
    // Parses "[n]" at i; returns true when present and valid, false when absent, undefined when bad.
    if (format[i] !== '[') return false
    reordered = true
    const close = format.indexOf(']', i)
    if (close < 0) { i = end; return undefined; }
    const inner = format.slice(i + 1, close)
    i = close + 1
    if (!/^\d+$/.test(inner)) return undefined
    const n = Number(inner)
    if (n < 1 || n > args.length) return undefined
    argNum = n - 1
    return true
  }
  while (i < end) {
    const pct = format.indexOf('%', i)
    if (pct < 0) { out += format.slice(i); break; }
    out += format.slice(i, pct)
    i = pct + 1
    const f: Flags = {
      plus: false, minus: false, sharp: false, space: false, zero: false, wid: 0, widPresent: false, prec: 0, precPresent: false,
    }
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#': f.sharp = true; break
        case '0': f.zero = true; break
        case '+': f.plus = true; break
        case '-': f.minus = true; break
        case ' ': f.space = true; break
        default: break flags
      }
    }
    let badIndex = parseIndex() === undefined
    if (format[i] === '*') {
      i++
      const w = intArg(args[argNum])
      if (w === undefined) out += '%!(BADWIDTH)'
      else { f.wid = Math.abs(w); f.widPresent = true; if (w < 0) f.minus = true; }
      argNum++
      if (parseIndex() === undefined) badIndex = true
    } else {
      const m = /^\d+/.exec(format.slice(i))
      if (m) { f.wid = Number(m[0]); f.widPresent = true; i += m[0].length; }
    }
    if (format[i] === '.') {
      i++
      if (parseIndex() === undefined) badIndex = true
      if (format[i] === '*') {
        i++
        const p = intArg(args[argNum])
        if (p === undefined || p < 0) { out += '%!(BADPREC)'; f.precPresent = false; }
        else { f.prec = p; f.precPresent = true; }
        argNum++
        if (parseIndex() === undefined) badIndex = true
      } else {
        const m = /^\d+/.exec(format.slice(i))
        f.prec = m ? Number(m[0]) : 0
        f.precPresent = true
        if (m) i += m[0].length
      }
    }
    if (parseIndex() === undefined) badIndex = true
    if (f.minus) f.zero = false
    if (i >= end) { out += '%!(NOVERB)'; break; }
    const cp = format.codePointAt(i) as number
    const verb = String.fromCodePoint(cp)
    i += verb.length
    if (verb === '%') { out += '%'; continue; }
    if (badIndex) { out += `%!${verb}(BADINDEX)`; continue; }
    if (argNum >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    const arg = args[argNum++] as GoValue
    if (verb === 'w') { out += badVerb(verb, arg); continue; }
    out += fmtArg(arg, verb, f)
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (typeof a !== 'string' && a.k === 'nil' ? '<nil>' : typeName(a) + '=' + formatV(a)))
    out += '%!(EXTRA ' + extra.join(', ') + ')'
  }
  return out
}
