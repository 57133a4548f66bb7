/**
 * Recognises regexes that are only a literal or an alternation of literals (`timeout`,
 * `(?i)error`, `(timeout|deadlock|refused)`), so that matching can use indexOf or a Set instead of
 * the regex engine. Anything with a metacharacter, class or escape other than escaped punctuation
 * is left to the engine. Case-insensitive literals must be ASCII; they are matched with Unicode
 * simple case folding (JS `iu`), which also folds `k` with the Kelvin sign and `s` with long s as
 * RE2 does.
 */

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$'])

export interface LiteralAlternatives {
  readonly alternatives: readonly string[]
  readonly caseInsensitive: boolean
}

function splitLiterals(body: string): string[] | null {
  const alts: string[] = []
  let cur = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? ''
    if (c === '|') {
      alts.push(cur)
      cur = ''
    } else if (c === '\\') {
      const n = body[i + 1] ?? ''
      if (!/^[!-/:-@[-`{-~]$/.test(n)) return null
      cur += n
      i++
    } else if (META.has(c)) {
      return null
    } else {
      cur += c
    }
  }
  alts.push(cur)
  return alts
}

export function literalAlternatives(pattern: string): LiteralAlternatives | null {
  let body = pattern
  let caseInsensitive = false
  if (body.startsWith('(?i)')) {
    caseInsensitive = true
    body = body.slice(4)
  }
  for (const open of ['(?:', '(']) {
    if (body.startsWith(open) && body.endsWith(')') && !body.endsWith('\\)')) {
      const inner = body.slice(open.length, -1)
      if (!inner.includes('(') && !inner.includes(')')) {
        body = inner
        break
      }
    }
  }
  const alts = splitLiterals(body)
  if (!alts) return null
  if (caseInsensitive) {
    // eslint-disable-next-line no-control-regex
    if (!alts.every((a) => /^[\x00-\x7f]*$/.test(a))) return null
    return { alternatives: alts.map((a) => a.toLowerCase()), caseInsensitive }
  }
  return { alternatives: alts, caseInsensitive }
}
