/**
 * Go `strconv` behaviour needed by templates: `Quote` (and Go's notion of a printable rune), and
 * the strict integer and float parsers (`ParseInt` with base prefixes and underscores,
 * `ParseFloat` with Go's syntax) with Go's error texts.
 */

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u

export function isPrintRune(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false
  if (cp < 0x7f) return true
  return PRINTABLE.test(String.fromCodePoint(cp))
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

/** strconv.Quote (ASCII-only when `ascii` is set, as for `%+q`). */
export function quote(s: string, ascii = false, q = '"'): string {
  let out = q
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (ch === q || ch === '\\') { out += '\\' + ch; continue; }
    if (ascii ? cp >= 0x20 && cp < 0x7f : isPrintRune(cp)) { out += ch; continue; }
    switch (cp) {
      case 7: out += '\\a'; break
      case 8: out += '\\b'; break
      case 12: out += '\\f'; break
      case 10: out += '\\n'; break
      case 13: out += '\\r'; break
      case 9: out += '\\t'; break
      case 11: out += '\\v'; break
      default:
        if (cp === 0xfffd && ch !== '\ufffd') out += '\\ufffd'
        else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2)
        else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
        else if (cp < 0x10000) out += '\\u' + hex(cp, 4)
        else out += '\\U' + hex(cp, 8)
    }
  }
  return out + q
}

export class NumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${quote(input)}: ${reason}`)
  }
}

function underscoreOK(s: string): boolean {
  // Underscores must sit between digits, or between a base prefix and a digit.
  let saw = '^'
  let i = 0
  if (s[0] === '+' || s[0] === '-') s = s.slice(1)
  let hexPrefix = false
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1] as string)) {
    i = 2; saw = '0'; hexPrefix = /[xX]/.test(s[1] as string)
  }
  for (; i < s.length; i++) {
    const c = s[i] as string
    if (/[0-9]/.test(c) || (hexPrefix && /[a-fA-F]/.test(c))) { saw = '0'; continue; }
    if (c === '_') { if (saw !== '0') return false; saw = '_'; continue; }
    if (saw === '_') return false
    saw = '!'
  }
  return saw !== '_'
}

/** strconv.ParseInt(s, base, 64) for base 0 or 10. */
export function parseInt64(s: string, base: 0 | 10 = 10): bigint {
  const v = parseIntAny(s, base, 'ParseInt')
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) throw new NumError('ParseInt', s, 'value out of range')
  return v
}

/** strconv.ParseUint(s, 0, 64). */
export function parseUint64(s: string): bigint {
  if (s[0] === '+' || s[0] === '-') throw new NumError('ParseUint', s, 'invalid syntax')
  const v = parseIntAny(s, 0, 'ParseUint')
  if (v > 0xffffffffffffffffn) throw new NumError('ParseUint', s, 'value out of range')
  return v
}

function parseIntAny(s: string, base: 0 | 10, fn: string): bigint {
  if (s.length > 0 && s.length < 16 && /^-?[1-9][0-9]*$|^0$/.test(s)) return BigInt(s)
  if (s.length === 0) throw new NumError(fn, s, 'invalid syntax')
  let body = s
  let neg = false
  if (body[0] === '+' || body[0] === '-') { neg = body[0] === '-'; body = body.slice(1); }
  let radix = 10
  let allowUnderscore = false
  if (base === 0) {
    allowUnderscore = true
    if (/^0[xX]/.test(body)) { radix = 16; body = body.slice(2); }
    else if (/^0[bB]/.test(body)) { radix = 2; body = body.slice(2); }
    else if (/^0[oO]/.test(body)) { radix = 8; body = body.slice(2); }
    else if (body.length > 1 && body[0] === '0') { radix = 8; body = body.slice(1); }
  }
  if (body.length === 0) throw new NumError(fn, s, 'invalid syntax')
  const digitRe = radix === 16 ? /^[0-9a-fA-F_]+$/ : radix === 10 ? /^[0-9_]+$/ : radix === 8 ? /^[0-7_]+$/ : /^[01_]+$/
  if (!digitRe.test(body)) throw new NumError(fn, s, 'invalid syntax')
  if (body.includes('_')) {
    if (!allowUnderscore || !underscoreOK(s)) throw new NumError(fn, s, 'invalid syntax')
    body = body.replace(/_/g, '')
  }
  let v = 0n
  const r = BigInt(radix)
  for (const c of body) v = v * r + BigInt(parseInt(c, radix))
  return neg ? -v : v
}

const DEC_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/

/** strconv.ParseFloat(s, 64). */
export function parseFloat64(s: string): number {
  const fn = 'ParseFloat'
  let t = s
  if (t.includes('_')) {
    if (!underscoreOK(t)) throw new NumError(fn, s, 'invalid syntax')
    t = t.replace(/_/g, '')
  }
  const lower = t.toLowerCase()
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/.test(lower)) return NaN
  let v: number
  if (DEC_FLOAT.test(t)) {
    v = Number(t)
  } else {
    const m = HEX_FLOAT.exec(t)
    if (!m || (m[2] === '' && m[3] === '')) throw new NumError(fn, s, 'invalid syntax')
    const mant = BigInt('0x' + ((m[2] as string) + (m[3] as string) || '0'))
    const exp = Number(m[4]) - 4 * (m[3] as string).length
    v = Number(mant) * 2 ** exp
    if (m[1] === '-') v = -v
  }
  if (!Number.isFinite(v)) throw new NumError(fn, s, 'value out of range')
  return v
}
