/**
 * Text forms of metric samples as Loki's JSON writes them: values like Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)` (no exponent; `NaN`, `+Inf`, `-Inf`), timestamps as
 * Prometheus `model.Time` seconds with millisecond precision (`1588889221.123`).
 */

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`. */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  if (Object.is(v, -0)) return '-0'
  const s = String(v)
  if (!/e/i.test(s)) return s
  // Expand the shortest round-trip digits without an exponent.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)
  if (!m) return s
  const sign = m[1] ?? ''
  const digits = (m[2] ?? '') + (m[3] ?? '')
  const exp = Number(m[4])
  if (exp >= 0) {
    const intLen = 1 + exp
    return sign + (digits.length <= intLen ? digits + '0'.repeat(intLen - digits.length) : digits.slice(0, intLen) + '.' + digits.slice(intLen))
  }
  return sign + '0.' + '0'.repeat(-exp - 1) + digits
}

/** `model.Time.String()`: seconds, with the millisecond fraction when there is one. */
export function formatSampleTime(ms: number): string {
  const sec = Math.trunc(ms / 1000)
  const frac = Math.abs(ms % 1000)
  if (frac === 0) return String(sec)
  const sign = ms < 0 && sec === 0 ? '-' : ''
  return `${sign}${sec}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`
}
