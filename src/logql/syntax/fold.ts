/**
 * Constant folding of binary operations between two literals, as Loki's parser does
 * (`reduceBinOp` / `MergeBinOp` without filtering): comparisons yield 0 or 1, division and modulo
 * by zero yield NaN, `^` follows Go's math.Pow special cases.
 */

import type { BinOp } from './ast'

function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1
  return Math.pow(x, y)
}

export function foldLiterals(op: BinOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b
    case '-': return a - b
    case '*': return a * b
    case '/': return b === 0 ? NaN : a / b
    case '%': return b === 0 ? NaN : a % b
    case '^': return goPow(a, b)
    case '==': return a === b ? 1 : 0
    case '!=': return a !== b ? 1 : 0
    case '>': return a > b ? 1 : 0
    case '>=': return a >= b ? 1 : 0
    case '<': return a < b ? 1 : 0
    case '<=': return a <= b ? 1 : 0
    default: return NaN
  }
}
