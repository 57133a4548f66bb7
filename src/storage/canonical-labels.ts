/**
 * Reading the canonical label string the index stores (`{a="b", c="d"}`, Go-quoted values).
 */

const UNESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }

export function parseCanonicalLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  let i = 1
  const n = text.length - 1
  while (i < n) {
    const eqAt = text.indexOf('=', i)
    if (eqAt < 0) break
    const name = text.slice(i, eqAt).trim()
    let j = eqAt + 2
    let value = ''
    while (j < n && text[j] !== '"') {
      const ch = text[j]!
      if (ch === '\\' && j + 1 < n) {
        const next = text[j + 1]!
        value += UNESCAPES[next] ?? next
        j += 2
      } else {
        value += ch
        j++
      }
    }
    out[name] = value
    i = j + 1
    while (i < n && (text[i] === ',' || text[i] === ' ')) i++
  }
  return out
}
