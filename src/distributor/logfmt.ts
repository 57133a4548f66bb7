/**
 * A minimal logfmt scanner in the manner of Loki's `logql/log/logfmt` decoder, enough to find the
 * value of a level key: keys run to `=` or whitespace, values are bare words or double-quoted
 * strings with escapes. Keys match the hints case-insensitively; an earlier hint beats a later
 * one, the whole line is scanned unless the first hint is found.
 */

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string
  } catch {
    return raw.slice(1, -1)
  }
}

/** `lowered`: the level field names, lower-cased, in priority order. */
export function logfmtValue(line: string, lowered: readonly string[]): string | undefined {
  let best = lowered.length
  let result: string | undefined
  const n = line.length
  let i = 0
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++
    if (i >= n) break
    const keyStart = i
    while (i < n) {
      const c = line.charCodeAt(i)
      if (c === 61 || isSpace(c) || c === 34) break
      i++
    }
    const key = line.slice(keyStart, i)
    let value = ''
    if (i < n && line.charCodeAt(i) === 61) {
      i++
      if (i < n && line.charCodeAt(i) === 34) {
        const start = i
        i++
        while (i < n && line.charCodeAt(i) !== 34) i += line.charCodeAt(i) === 92 ? 2 : 1
        i = Math.min(i + 1, n)
        value = unquote(line.slice(start, i))
      } else {
        const start = i
        while (i < n && !isSpace(line.charCodeAt(i))) i++
        value = line.slice(start, i)
      }
    } else if (i < n && line.charCodeAt(i) === 34) {
      // A stray quote: skip the quoted run as Loki's decoder does for garbage.
      i++
      while (i < n && line.charCodeAt(i) !== 34) i++
      i++
      continue
    }
    if (key === '') continue
    let k: string | undefined
    for (let x = 0; x < best; x++) {
      const hint = lowered[x]!
      if (hint.length !== key.length) continue
      k ??= key.toLowerCase()
      if (hint === k) {
        result = value
        best = x
        if (x === 0) return result
        break
      }
    }
  }
  return result
}
