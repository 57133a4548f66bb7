/**
 * Go float formatting used when printing queries: `fmt.Sprint(f)` (shortest `%g`, exponent form
 * from 1e6 up or below 1e-4, e.g. `1e+06`, `1.5e-07`) and `strconv.FormatFloat(f, 'f', -1, 64)`
 * (plain decimal, shortest digits). Both print `NaN`, `+Inf`, `-Inf`.
 */

function special(v: number): string | null {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return null
}

/** Shortest digits and decimal exponent: v = 0.d1d2... × 10^(exp+1), i.e. d1.d2... × 10^exp. */
function digitsOf(v: number): { neg: boolean; digits: string; exp: number } {
  const s = Math.abs(v).toExponential()
  const [mant = '0', e = '0'] = s.split('e')
  return { neg: v < 0 || Object.is(v, -0), digits: mant.replace('.', ''), exp: Number(e) }
}

/** Go `fmt.Sprint(float64)`, i.e. `%v` = `%g` with the shortest representation. */
export function formatGoFloatV(v: number): string {
  const sp = special(v)
  if (sp !== null) return sp
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  const { neg, digits, exp } = digitsOf(v)
  let out: string
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const e = Math.abs(exp).toString().padStart(2, '0')
    out = `${mant}e${exp < 0 ? '-' : '+'}${e}`
  } else {
    out = plain(digits, exp)
  }
  return neg ? `-${out}` : out
}

function plain(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length)
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
}

/** Go `strconv.FormatFloat(v, 'f', -1, 64)`. */
export function formatGoFloatF(v: number): string {
  const sp = special(v)
  if (sp !== null) return sp
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  const { neg, digits, exp } = digitsOf(v)
  const out = plain(digits, exp)
  return neg ? `-${out}` : out
}
