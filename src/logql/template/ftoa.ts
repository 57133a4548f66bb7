/**
 * Go's float formatting (`strconv.FormatFloat`): shortest round-trip digits and fixed precision in
 * the `e`, `f`, `g` and `x` styles. Fixed precision rounds the exact binary value half to even as
 * Go does (JS's toFixed rounds exact ties up, so ties are settled on the exact expansion).
 */

/** Digits of a float: value = 0.d1d2d3... × 10^dp. `d` holds no leading zeros; empty for zero. */
interface Decimal { d: string; dp: number }

function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const s = Math.abs(x).toExponential()
  const e = s.indexOf('e')
  const mant = s.slice(0, e).replace('.', '')
  const exp = Number(s.slice(e + 1))
  return { d: mant.replace(/0+$/, ''), dp: exp + 1 }
}

/** The exact decimal expansion of a finite double. */
function exactDecimal(x: number): Decimal {
  x = Math.abs(x)
  if (x === 0) return { d: '', dp: 0 }
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const hi = buf.getUint32(0)
  const lo = buf.getUint32(4)
  const bexp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e2: number
  if (bexp === 0) e2 = -1074
  else { mant |= 1n << 52n; e2 = bexp - 1075; }
  let digits: string
  let dp: number
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString()
    dp = digits.length + e2
  }
  const stripped = digits.replace(/0+$/, '')
  const lead = stripped.length - stripped.replace(/^0+/, '').length
  return { d: stripped.slice(lead), dp: dp - lead }
}

/** Rounds to `nd` significant digits, half to even (the tie is exact since digits are exact). */
function roundDigits(dec: Decimal, nd: number): Decimal {
  if (nd < 0) return { d: '', dp: dec.dp }
  if (dec.d.length <= nd) return dec
  const next = dec.d.charCodeAt(nd) - 48
  let up: boolean
  if (next > 5) up = true
  else if (next < 5) up = false
  else if (dec.d.length > nd + 1) up = true
  else up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1
  let d = dec.d.slice(0, nd)
  let dp = dec.dp
  if (up) {
    const arr = d.split('')
    let i = arr.length - 1
    while (i >= 0 && arr[i] === '9') { arr[i] = '0'; i--; }
    if (i < 0) { d = '1'; dp++; }
    else {
      arr[i] = String.fromCharCode((arr[i] as string).charCodeAt(0) + 1)
      d = arr.join('')
    }
  }
  return { d: d.replace(/0+$/, ''), dp }
}

function toDecimal(digits: string, dp: number): Decimal {
  const lead = digits.length - digits.replace(/^0+/, '').length
  const d = digits.slice(lead).replace(/0+$/, '')
  return d === '' ? { d: '', dp: 0 } : { d, dp: dp - lead }
}

/**
 * Rounds with JS's exact toFixed/toExponential (n significant digits, or n fraction digits).
 * JS rounds exact ties up where Go rounds them to even, so a possible tie returns undefined.
 */
function fastRound(x: number, sig: boolean, n: number): Decimal | undefined {
  const a = Math.abs(x)
  if (a === 0) return { d: '', dp: 0 }
  if (sig) {
    if (n < 1 || n > 75) return undefined
    const probe = a.toExponential(n + 24).replace('.', '')
    if (/^50*$/.test(probe.slice(n, probe.indexOf('e')))) return undefined
    const s = a.toExponential(n - 1)
    const e = s.indexOf('e')
    return toDecimal(s.slice(0, e).replace('.', ''), Number(s.slice(e + 1)) + 1)
  }
  if (n > 75 || a >= 1e21) return undefined
  const probe = a.toFixed(n + 25)
  const dot = probe.indexOf('.')
  if (/^50*$/.test(probe.slice(dot + 1 + n))) return undefined
  const s = a.toFixed(n)
  const i = s.indexOf('.')
  return toDecimal(s.replace('.', ''), i < 0 ? s.length : i)
}

function fmtE(neg: boolean, dec: Decimal, prec: number, upper: boolean): string {
  let s = neg ? '-' : ''
  s += dec.d.length > 0 ? dec.d[0] : '0'
  if (prec > 0) {
    s += '.'
    const rest = dec.d.slice(1, prec + 1)
    s += rest + '0'.repeat(prec - rest.length)
  }
  let exp = dec.d.length === 0 ? 0 : dec.dp - 1
  s += upper ? 'E' : 'e'
  s += exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  s += exp < 10 ? '0' + exp : String(exp)
  return s
}

function fmtF(neg: boolean, dec: Decimal, prec: number): string {
  let s = neg ? '-' : ''
  if (dec.dp > 0) {
    const intPart = dec.d.slice(0, dec.dp)
    s += intPart + '0'.repeat(dec.dp - intPart.length)
  } else s += '0'
  if (prec > 0) {
    s += '.'
    for (let i = 0; i < prec; i++) {
      const j = dec.dp + i
      s += j >= 0 && j < dec.d.length ? dec.d[j] : '0'
    }
  }
  return s
}

/** strconv.FormatFloat(x, 'x', prec, 64): hexadecimal mantissa and binary exponent. */
function formatHexFloat(x: number, prec: number, upper: boolean): string {
  const neg = x < 0 || Object.is(x, -0)
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, Math.abs(x))
  const hi = buf.getUint32(0)
  const bexp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4))
  let exp = 0
  if (mant === 0n && bexp === 0) exp = 0
  else if (bexp === 0) {
    exp = -1022
    while (mant < (1n << 52n)) { mant <<= 1n; exp--; }
  } else { mant |= 1n << 52n; exp = bexp - 1023; }
  // mant = 1.xxxx (52 fraction bits) × 2^exp; shift so the fraction fills 13 hex digits.
  let frac = mant & ((1n << 52n) - 1n)
  let lead = mant >> 52n
  if (prec >= 0 && prec < 13) {
    const shift = BigInt(4 * (13 - prec))
    const half = 1n << (shift - 1n)
    const rem = frac & ((1n << shift) - 1n)
    frac >>= shift
    if (rem > half || (rem === half && (frac & 1n) === 1n)) {
      frac += 1n
      if (frac >> BigInt(4 * prec) !== 0n) {
        frac = 0n
        lead += 1n
        if (lead > 1n) { lead = 1n; exp++ }
      }
    }
  }
  let digits = prec >= 0 && prec < 13 ? (prec === 0 ? '' : frac.toString(16).padStart(prec, '0'))
    : frac.toString(16).padStart(13, '0')
  if (prec < 0) digits = digits.replace(/0+$/, '')
  else if (prec > 13) digits += '0'.repeat(prec - 13)
  const expStr = (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0')
  let s = (neg ? '-' : '') + '0x' + lead.toString() + (digits !== '' ? '.' + digits : '') + 'p' + expStr
  if (upper) s = s.toUpperCase()
  return s
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f F g G x X; prec -1 means shortest. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  if (fmt === 'x' || fmt === 'X') return formatHexFloat(x, prec, fmt === 'X')
  const neg = x < 0 || Object.is(x, -0)
  const shortest = prec < 0
  let dec: Decimal
  if (shortest) {
    dec = shortestDecimal(x)
  } else {
    const fixed = fmt === 'f' || fmt === 'F'
    const n = fmt === 'e' || fmt === 'E' ? prec + 1 : fixed ? prec : prec === 0 ? 1 : prec
    const fast = fastRound(x, !fixed, n)
    if (fast) dec = fast
    else {
      const exact = exactDecimal(x)
      dec = roundDigits(exact, fixed ? exact.dp + prec : n)
    }
  }
  if (shortest) {
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(dec.d.length - 1, 0); break
      case 'f': case 'F': prec = Math.max(dec.d.length - dec.dp, 0); break
      default: prec = dec.d.length; break
    }
  }
  switch (fmt) {
    case 'e': case 'E': return fmtE(neg, dec, prec, fmt === 'E')
    case 'f': case 'F': return fmtF(neg, dec, prec)
    default: {
      let eprec = prec
      if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length
      if (shortest) eprec = 6
      if (prec === 0 && !shortest) prec = 1
      const exp = dec.dp - 1
      if (exp < -4 || exp >= eprec) {
        const p = Math.min(prec, dec.d.length)
        return fmtE(neg, dec, p - 1, fmt === 'G')
      }
      const p = prec > dec.dp ? dec.d.length : prec
      return fmtF(neg, dec, Math.max(p - dec.dp, 0))
    }
  }
}

/** Go's default float printing (`%v`, `fmt.Sprint`). */
export function formatFloatV(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return Object.is(x, -0) ? '-0' : String(x)
  return formatFloat(x, 'g', -1)
}
