/**
 * text/template's predefined functions: comparisons with Go's strict kind rules (a string never
 * compares with a number: `incompatible types for comparison`), `not`, `len`, `index`, `slice`,
 * the `print` family, the `html`/`js`/`urlquery` escapers and `call`. `and` and `or` short-circuit
 * and are evaluated by the executor itself; they are listed here for arity and parse checks.
 */
import { CallError, type FuncDef } from './func-types'
import { formatV, sprint, sprintf, sprintln } from './fmt'
import { isPrintRune } from '../../go/strconv'
import { byteSlice, isAscii, utf8Bytes } from './utf8'
import { utf8Length } from '../../go/utf8'
import { goBool, goInt, goUint, isTrue, NIL, typeName, type GoValue } from './value'
import { queryEscape } from './url'

type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string'

/** Go's basicKind: everything that is not a bool, number or string is `invalid`. */
function basicKind(v: GoValue): Kind {
  if (typeof v === 'string') return 'string'
  switch (v.k) {
    case 'bool': return 'bool'
    case 'int': return 'int'
    case 'uint': return 'uint'
    case 'float': return 'float'
    default: return 'invalid'
  }
}

const isNilValue = (v: GoValue): boolean => typeof v !== 'string' && v.k === 'nil'

const numeric = (v: GoValue): bigint => (typeof v !== 'string' && (v.k === 'int' || v.k === 'uint') ? v.v : 0n)
const floatOf = (v: GoValue): number => (typeof v !== 'string' && v.k === 'float' ? v.v : 0)
const incompatible = (a: GoValue, b: GoValue): CallError =>
  new CallError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`)

function eq(args: GoValue[]): boolean {
  const a = args[0] as GoValue
  if (args.length < 2) throw new CallError('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of args.slice(1)) {
    const k2 = basicKind(b)
    let truth = false
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = numeric(a) === numeric(b)
      else if (k1 === 'uint' && k2 === 'int') truth = numeric(a) === numeric(b)
      else if (!isNilValue(a) && !isNilValue(b)) throw incompatible(a, b)
    } else {
      switch (k1) {
        case 'bool': case 'int': case 'uint':
          if (typeof a !== 'string' && typeof b !== 'string') {
            truth = a.k === 'bool' ? a.v === (b as typeof a).v : numeric(a) === numeric(b)
          }
          break
        case 'float': truth = floatOf(a) === floatOf(b); break
        case 'string': truth = a === b; break
        default: truth = sameValue(a, b)
      }
    }
    if (truth) return true
  }
  return false
}

function sameValue(a: GoValue, b: GoValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b
  if (a.k === 'nil' || b.k === 'nil') return a.k === b.k
  if (a.k === 'time' && b.k === 'time') return a.v.sec === b.v.sec && a.v.nsec === b.v.nsec && a.v.loc === b.v.loc
  if (a.k !== b.k) {
    throw new CallError(`non-comparable types ${formatV(a)}: ${typeName(a)}, ${typeName(b)}: ${formatV(b)}`)
  }
  throw new CallError(`non-comparable type ${formatV(b)}: ${typeName(b)}`)
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'invalid' || k2 === 'invalid') throw new CallError('invalid type for comparison')
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return numeric(a) < numeric(b)
    throw incompatible(a, b)
  }
  switch (k1) {
    case 'bool': throw new CallError('invalid type for comparison')
    case 'float': return floatOf(a) < floatOf(b)
    case 'string': return (a as string) < (b as string)
    default: return numeric(a) < numeric(b)
  }
}

function length(v: GoValue): GoValue {
  if (typeof v === 'string') return goInt(utf8Length(v))
  switch (v.k) {
    case 'map': return goInt(v.size)
    case 'slice': return goInt(v.v.length)
    case 'nil': throw new CallError('reflect: call of reflect.Value.Type on zero Value')
    default: throw new CallError(`len of type ${typeName(v)}`)
  }
}

function indexArg(i: GoValue, cap: number): number {
  if (typeof i !== 'string' && (i.k === 'int' || i.k === 'uint')) {
    if (i.v < 0n || i.v > BigInt(cap)) throw new CallError(`index out of range: ${i.v}`)
    return Number(i.v)
  }
  if (typeof i !== 'string' && i.k === 'nil') throw new CallError('cannot index slice/array with nil')
  throw new CallError(`cannot index slice/array with type ${typeName(i)}`)
}

function index(args: GoValue[]): GoValue {
  let item = args[0] as GoValue
  if (typeof item !== 'string' && item.k === 'nil') throw new CallError('index of untyped nil')
  for (const i of args.slice(1)) {
    if (typeof item === 'string') {
      const len = utf8Length(item)
      const x = indexArg(i, len)
      if (x >= len) throw new CallError('reflect: string index out of range')
      item = goUint(BigInt(isAscii(item) ? item.charCodeAt(x) : (utf8Bytes(item)[x] as number)), 'uint8')
    } else if (item.k === 'slice') {
      const x = indexArg(i, item.v.length)
      if (x >= item.v.length) throw new CallError('reflect: slice index out of range')
      item = item.v[x] as GoValue
    } else if (item.k === 'map') {
      if (typeof i !== 'string') {
        if (i.k === 'nil') throw new CallError('value is nil; should be of type string')
        throw new CallError(`value has type ${typeName(i)}; should be string`)
      }
      item = item.get(i) ?? item.zero
    } else {
      throw new CallError(`can't index item of type ${typeName(item)}`)
    }
    if (typeof item !== 'string' && item.k === 'nil') break
  }
  return item
}

function slice(args: GoValue[]): GoValue {
  const item = args[0] as GoValue
  const idx = args.slice(1)
  if (typeof item !== 'string' && item.k === 'nil') throw new CallError('slice of untyped nil')
  if (idx.length > 3) throw new CallError(`too many slice indexes: ${idx.length}`)
  let len: number
  if (typeof item === 'string') {
    if (idx.length === 3) throw new CallError('cannot 3-index slice a string')
    len = utf8Length(item)
  } else if (item.k === 'slice') len = item.v.length
  else throw new CallError(`can't slice item of type ${typeName(item)}`)
  const x = [0, len, len]
  idx.forEach((v, i) => { x[i] = indexArg(v, len); })
  if ((x[0] as number) > (x[1] as number)) throw new CallError(`invalid slice index: ${x[0]} > ${x[1]}`)
  if (idx.length === 3 && (x[1] as number) > (x[2] as number)) {
    throw new CallError(`invalid slice index: ${x[1]} > ${x[2]}`)
  }
  if (typeof item === 'string') return byteSlice(item, x[0] as number, x[1] as number)
  return { k: 'slice', t: item.t, v: item.v.slice(x[0], x[1]) }
}

/** Go's evalArgs: one string argument as is, otherwise Sprint with nil shown as `<no value>`. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0]
  return sprint(args.map((a) => (typeof a !== 'string' && a.k === 'nil' ? '<no value>' : a)))
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' }

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s
  return s.replace(/['"&<>\0]/g, (c) => HTML_ESCAPES[c] ?? '\ufffd')
}

export function jsEscape(s: string): string {
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    switch (ch) {
      case '\\': out += '\\\\'; continue
      case "'": out += "\\'"; continue
      case '"': out += '\\"'; continue
      case '<': out += '\\u003C'; continue
      case '>': out += '\\u003E'; continue
      case '&': out += '\\u0026'; continue
      case '=': out += '\\u003D'; continue
    }
    if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0')
    else if (cp < 0x80 || isPrintRune(cp)) out += ch
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0')
  }
  return out
}

export const BUILTINS: Record<string, FuncDef> = {
  and: { params: ['value'], variadic: 'value', call: (a) => a[a.length - 1] ?? NIL },
  or: { params: ['value'], variadic: 'value', call: (a) => a[a.length - 1] ?? NIL },
  not: { params: ['value'], call: (a) => goBool(!isTrue(a[0] as GoValue)) },
  eq: { params: ['value'], variadic: 'value', call: (a) => goBool(eq(a)) },
  ne: { params: ['value', 'value'], call: (a) => goBool(!eq(a)) },
  lt: { params: ['value', 'value'], call: (a) => goBool(lt(a[0] as GoValue, a[1] as GoValue)) },
  le: { params: ['value', 'value'], call: (a) => goBool(lt(a[0] as GoValue, a[1] as GoValue) || eq(a)) },
  gt: { params: ['value', 'value'], call: (a) => goBool(!(lt(a[0] as GoValue, a[1] as GoValue) || eq(a))) },
  ge: { params: ['value', 'value'], call: (a) => goBool(!lt(a[0] as GoValue, a[1] as GoValue)) },
  len: { params: ['value'], call: (a) => length(a[0] as GoValue) },
  index: { params: ['value'], variadic: 'value', call: index },
  slice: { params: ['value'], variadic: 'value', call: slice },
  print: { params: [], variadic: 'any', call: (a) => sprint(a) },
  printf: { params: ['string'], variadic: 'any', call: (a) => sprintf(a[0] as string, a.slice(1)) },
  println: { params: [], variadic: 'any', call: (a) => sprintln(a) },
  html: { params: [], variadic: 'any', call: (a) => htmlEscape(evalArgs(a)) },
  js: { params: [], variadic: 'any', call: (a) => jsEscape(evalArgs(a)) },
  urlquery: { params: [], variadic: 'any', call: (a) => queryEscape(evalArgs(a)) },
  call: {
    params: ['value'], variadic: 'value',
    call: (a) => {
      const fn = a[0] as GoValue
      if (typeof fn !== 'string' && fn.k === 'nil') throw new CallError('call of nil')
      throw new CallError(`non-function of type ${typeName(fn)}`)
    },
  },
}

