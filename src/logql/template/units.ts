/**
 * Parsers behind Loki's `duration`/`duration_seconds` (Go's `time.ParseDuration`) and `bytes`
 * (go-humanize's `ParseBytes`), with the same accepted syntax and error texts, plus the exact
 * decimal arithmetic sprig's `addf`/`subf`/`mulf`/`divf` perform through shopspring/decimal.
 */
import { CallError } from './func-types'
import { parseFloat64 } from './strconv'
import { utf8Bytes } from './utf8'

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
}
const MAX_INT64 = (1n << 63n) - 1n

/** The `time` package's own quoting: non-ASCII and control bytes become `\xNN`. */
function quote(s: string): string {
  let out = '"'
  for (const b of utf8Bytes(s)) {
    if (b >= 0x80 || b < 0x20) out += '\\x' + b.toString(16).padStart(2, '0')
    else {
      const c = String.fromCharCode(b)
      out += c === '"' || c === '\\' ? '\\' + c : c
    }
  }
  return out + '"'
}

/** time.ParseDuration; returns nanoseconds. */
export function parseDuration(s: string): bigint {
  const orig = s
  const invalid = (): CallError => new CallError('time: invalid duration ' + quote(orig))
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n
  if (s === '') throw invalid()
  let d = 0n
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) throw invalid()
    const im = /^[0-9]*/.exec(s)![0]
    s = s.slice(im.length)
    let frac = ''
    const pre = im !== ''
    if (s[0] === '.') {
      s = s.slice(1)
      frac = /^[0-9]*/.exec(s)![0]
      s = s.slice(frac.length)
    }
    if (!pre && frac === '') throw invalid()
    const um = /^[^0-9.]*/.exec(s)![0]
    s = s.slice(um.length)
    if (um === '') throw new CallError('time: missing unit in duration ' + quote(orig))
    const unit = UNITS[um]
    if (unit === undefined) throw new CallError('time: unknown unit ' + quote(um) + ' in duration ' + quote(orig))
    const v = BigInt(im === '' ? '0' : im)
    if (v > MAX_INT64 / unit) throw invalid()
    let part = v * unit
    if (frac !== '') {
      let scale = 1n
      let f = 0n
      for (const c of frac) {
        if (f > MAX_INT64 / 10n) break
        f = f * 10n + BigInt(c)
        scale *= 10n
      }
      part += (f * unit) / scale
    }
    d += part
    if (d > MAX_INT64 + (neg ? 1n : 0n)) throw invalid()
  }
  return neg ? -d : d
}

/** Duration.Seconds(). */
export function durationSeconds(ns: bigint): number {
  const sec = ns / 1_000_000_000n
  const nsec = ns % 1_000_000_000n
  return Number(sec) + Number(nsec) / 1e9
}

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  kib: 1024, ki: 1024, kb: 1e3, k: 1e3,
  mib: 1024 ** 2, mi: 1024 ** 2, mb: 1e6, m: 1e6,
  gib: 1024 ** 3, gi: 1024 ** 3, gb: 1e9, g: 1e9,
  tib: 1024 ** 4, ti: 1024 ** 4, tb: 1e12, t: 1e12,
  pib: 1024 ** 5, pi: 1024 ** 5, pb: 1e15, p: 1e15,
  eib: 1024 ** 6, ei: 1024 ** 6, eb: 1e18, e: 1e18,
}

/** humanize.ParseBytes, returned as float64 like Loki's convertBytes. */
export function parseBytes(s: string): number {
  const chars = Array.from(s)
  let last = 0
  let hasComma = false
  for (const r of chars) {
    if (!(/\p{Nd}/u.test(r) || r === '.' || r === ',')) break
    if (r === ',') hasComma = true
    last++
  }
  let numPart = chars.slice(0, last).join('')
  if (hasComma) numPart = numPart.replace(/,/g, '')
  let f: number
  try {
    f = parseFloat64(numPart)
  } catch (e) {
    throw new CallError(e instanceof Error ? e.message : String(e))
  }
  const extra = chars.slice(last).join('').replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/g, '').toLowerCase()
  const m = BYTE_UNITS[extra]
  if (m === undefined) throw new CallError('unhandled size name: ' + extra)
  f *= m
  if (f >= 18446744073709551615) throw new CallError('too large: ' + s)
  return Math.trunc(f)
}

// ---- shopspring/decimal subset ----

interface Dec { c: bigint; e: number }

function fromFloat(f: number): Dec {
  if (!Number.isFinite(f)) {
    throw new CallError(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`)
  }
  if (f === 0) return { c: 0n, e: 0 }
  const [mant, exp] = Math.abs(f).toExponential().split('e') as [string, string]
  const digits = mant.replace('.', '')
  const c = BigInt(digits) * (f < 0 ? -1n : 1n)
  return { c, e: Number(exp) - (digits.length - 1) }
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e)
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e]
}

function toFloat(d: Dec): number {
  return Number(`${d.c}e${d.e}`)
}

export type DecOp = 'add' | 'sub' | 'mul' | 'div'

function apply(op: DecOp, a: Dec, b: Dec): Dec {
  switch (op) {
    case 'add': { const [x, y, e] = align(a, b); return { c: x + y, e }; }
    case 'sub': { const [x, y, e] = align(a, b); return { c: x - y, e }; }
    case 'mul': return { c: a.c * b.c, e: a.e + b.e }
    case 'div': {
      if (b.c === 0n) throw new CallError('decimal division by 0')
      const shift = a.e - b.e + 16
      let num = a.c
      let den = b.c
      if (shift >= 0) num *= 10n ** BigInt(shift); else den *= 10n ** BigInt(-shift)
      let q = num / den
      const r = num % den
      const r2 = (r < 0n ? -r : r) * 2n
      if (r2 >= (den < 0n ? -den : den)) q += (num < 0n) !== (den < 0n) ? -1n : 1n
      return { c: q, e: -16 }
    }
  }
}

/** sprig's execDecimalOp: folds the operands through decimal arithmetic, then back to float64. */
export function decimalFold(op: DecOp, first: number, rest: number[]): number {
  let acc = fromFloat(first)
  for (const x of rest) acc = apply(op, acc, fromFloat(x))
  return toFloat(acc)
}
