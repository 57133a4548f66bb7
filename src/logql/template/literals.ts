/**
 * Literals of the template language: Go's `strconv.Unquote` for "...", `...` and '...', character
 * constants, and number literals (decimal, hex, octal, binary, floats, underscores), recording for
 * each number which Go types it can be (int, uint, float), as Go's parse.NumberNode does.
 */
import type { NumberNode } from './nodes'
import { goQuote, goUnquote, parseFloat64, parseInt64, parseUint64 } from '../../go/strconv'

/** A malformed literal; the message is Go's. */
export class LiteralError extends Error {}

/** strconv.Unquote for the three Go quote styles. */
export function unquote(s: string): string {
  try {
    return goUnquote(s)
  } catch {
    throw new LiteralError('invalid syntax')
  }
}

/** strconv.UnquoteChar on a character constant, with Go's two error forms. */
function charConstant(text: string): string {
  const body = text.slice(1, -1)
  let first: string
  if (body[0] === '\\') {
    const len = { x: 4, u: 6, U: 10 }[body[1] as 'x' | 'u' | 'U'] ?? (/[0-7]/.test(body[1] ?? '') ? 4 : 2)
    first = body.slice(0, len)
  } else first = Array.from(body)[0] ?? ''
  // strconv.UnquoteChar needs one character, where Unquote accepts ''.
  if (first === '') throw new LiteralError('invalid syntax')
  const r = unquote("'" + first + "'")
  if (first.length !== body.length) throw new LiteralError(`malformed character constant: ${text}`)
  return r
}

export function parseNumber(text: string, pos: number, isChar: boolean, isComplex: boolean): NumberNode {
  const n: NumberNode = {
    type: 'number', pos, text, isInt: false, int64: 0n, isUint: false, uint64: 0n, isFloat: false, float64: 0,
  }
  if (isChar) {
    const r = charConstant(text)
    const cp = BigInt(r.codePointAt(0) as number)
    return { ...n, isInt: true, int64: cp, isUint: true, uint64: cp, isFloat: true, float64: Number(cp) }
  }
  if (isComplex || text.endsWith('i')) throw new LiteralError(`complex constants are not supported: ${text}`)
  try { n.uint64 = parseUint64(text); n.isUint = true; } catch { /* not a uint */ }
  try {
    const i = parseInt64(text, 0)
    n.isInt = true; n.int64 = i
    if (i === 0n) { n.isUint = true; n.uint64 = 0n; }
  } catch { /* not an int */ }
  if (n.isInt) { n.isFloat = true; n.float64 = Number(n.int64); }
  else if (n.isUint) { n.isFloat = true; n.float64 = Number(n.uint64); }
  else {
    let f: number | undefined
    try { f = parseFloat64(text); } catch { f = undefined; }
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new LiteralError(`integer overflow: ${goQuote(text)}`)
      n.isFloat = true; n.float64 = f
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) { n.isInt = true; n.int64 = BigInt(f); }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) { n.isUint = true; n.uint64 = BigInt(f); }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new LiteralError(`illegal number syntax: ${goQuote(text)}`)
  return n
}
