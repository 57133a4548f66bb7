/**
 * Number-only PromQL expressions (`1+1`, `2 * (3 - 1)`, `-1.5e3 / 2`): what Grafana's Prometheus
 * data source asks (`1+1`) to check a server, answered as Prometheus' scalar. Operators `+ - * /
 * % ^` with PromQL's precedence (`^` binds tightest, to the right), unary signs, parentheses.
 */
const NUMBER = /^(0[xX][0-9a-fA-F]+|(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[iI][nN][fF]|[nN][aA][nN])/

/** The value of `q` when it is a number-only expression; null when it is anything else. */
export function constantValue(q: string): number | null {
  let pos = 0
  const skip = (): void => {
    while (pos < q.length && /\s/.test(q[pos] as string)) pos++
  }
  const peek = (): string => {
    skip()
    return q[pos] ?? ''
  }
  const primary = (): number | null => {
    const c = peek()
    if (c === '(') {
      pos++
      const v = sum()
      if (v === null || peek() !== ')') return null
      pos++
      return v
    }
    if (c === '-' || c === '+') {
      pos++
      const v = power()
      return v === null ? null : c === '-' ? -v : v
    }
    const m = NUMBER.exec(q.slice(pos))
    if (!m) return null
    pos += m[0].length
    const t = m[0].toLowerCase()
    return t === 'inf' ? Infinity : t === 'nan' ? NaN : Number(m[0])
  }
  const power = (): number | null => {
    const base = primary()
    if (base === null) return null
    if (peek() !== '^') return base
    pos++
    const exp = power()
    return exp === null ? null : base ** exp
  }
  const product = (): number | null => {
    let v = power()
    while (v !== null && ['*', '/', '%'].includes(peek())) {
      const op = q[pos++]
      const r = power()
      if (r === null) return null
      v = op === '*' ? v * r : op === '/' ? v / r : v % r
    }
    return v
  }
  const sum = (): number | null => {
    let v = product()
    while (v !== null && ['+', '-'].includes(peek())) {
      const op = q[pos++]
      const r = product()
      if (r === null) return null
      v = op === '+' ? v + r : v - r
    }
    return v
  }
  const v = sum()
  skip()
  return v !== null && pos === q.length ? v : null
}
