/**
 * Literals of the template language: Go's `strconv.Unquote` for "...", `...` and '...', character
 * constants, and number literals (decimal, hex, octal, binary, floats, underscores), recording for
 * each number which Go types it can be (int, uint, float), as Go's parse.NumberNode does.
 */
import type { NumberNode } from './nodes'
import { parseFloat64, parseInt64, parseUint64, quote } from './strconv'

/** A malformed literal; the message is Go's. */
export class LiteralError extends Error {}

/** strconv.Unquote for the three Go quote styles. */
export function unquote(s: string): string {
  const q = s[0]
  if (s.length < 2 || s[s.length - 1] !== q) throw new LiteralError('invalid syntax')
  const body = s.slice(1, -1)
  if (q === '`') {
    if (body.includes('`')) throw new LiteralError('invalid syntax')
    return body.replace(/\r/g, '')
  }
  if (q !== '"' && q !== "'") throw new LiteralError('invalid syntax')
  let out = ''
  for (let i = 0; i < body.length;) {
    const c = body[i] as string
    if (c === q || c === '\n') throw new LiteralError('invalid syntax')
    if (c !== '\\') { out += c; i++; continue; }
    const e = body[i + 1]
    i += 2
    switch (e) {
      case 'a': out += '\x07'; break
      case 'b': out += '\b'; break
      case 'f': out += '\f'; break
      case 'n': out += '\n'; break
      case 'r': out += '\r'; break
      case 't': out += '\t'; break
      case 'v': out += '\v'; break
      case '\\': out += '\\'; break
      case '"': case "'":
        if (e !== q) throw new LiteralError('invalid syntax')
        out += e; break
      case 'x': case 'u': case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
        const h = body.slice(i, i + n)
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new LiteralError('invalid syntax')
        const v = parseInt(h, 16)
        i += n
        if (e === 'x') out += String.fromCharCode(v)
        else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new LiteralError('invalid syntax')
          out += String.fromCodePoint(v)
        }
        break
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const o = body.slice(i - 1, i + 2)
          if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new LiteralError('invalid syntax')
          out += String.fromCharCode(parseInt(o, 8))
          i += 2
          break
        }
        throw new LiteralError('invalid syntax')
      }
    }
  }
  if (q === "'" && Array.from(out).length !== 1) throw new LiteralError('invalid syntax')
  return out
}

/** strconv.UnquoteChar on a character constant, with Go's two error forms. */
function charConstant(text: string): string {
  const body = text.slice(1, -1)
  let first: string
  if (body[0] === '\\') {
    const len = { x: 4, u: 6, U: 10 }[body[1] as 'x' | 'u' | 'U'] ?? (/[0-7]/.test(body[1] ?? '') ? 4 : 2)
    first = body.slice(0, len)
  } else first = Array.from(body)[0] ?? ''
  let r = ''
  try { r = unquote("'" + first + "'"); } catch { throw new LiteralError('invalid syntax'); }
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
      if (!/[.eEpP]/.test(text)) throw new LiteralError(`integer overflow: ${quote(text)}`)
      n.isFloat = true; n.float64 = f
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) { n.isInt = true; n.int64 = BigInt(f); }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) { n.isUint = true; n.uint64 = BigInt(f); }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new LiteralError(`illegal number syntax: ${quote(text)}`)
  return n
}
