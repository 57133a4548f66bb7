/**
 * `time.Duration.Seconds` for Loki's `duration`/`duration_seconds`, and the exact decimal
 * arithmetic sprig's `addf`/`subf`/`mulf`/`divf` perform through shopspring/decimal.
 */
import { CallError } from './func-types'

/** Duration.Seconds(). */
export function durationSeconds(ns: bigint): number {
  const sec = ns / 1_000_000_000n
  const nsec = ns % 1_000_000_000n
  return Number(sec) + Number(nsec) / 1e9
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
