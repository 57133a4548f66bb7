/**
 * Recognises regexes that match only a few literal strings (`timeout`, `(?i)error`,
 * `(timeout|deadlock|refused)`, `level=(warn|error)`), so that matching can use indexOf or a Set
 * instead of the regex engine. Anything with a metacharacter, class or escape other than escaped
 * punctuation, a quantifier or a nested group is left to the engine. Case-insensitive literals must be ASCII; they are matched with Unicode
 * simple case folding (JS `iu`), which also folds `k` with the Kelvin sign and `s` with long s as
 * RE2 does.
 */

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$'])

export interface LiteralAlternatives {
  readonly alternatives: readonly string[]
  readonly caseInsensitive: boolean
}

/** Most strings a pattern may expand to before it is left to the engine. */
const MAX_ALTERNATIVES = 64

/** One literal character at `i` (itself or an escaped punctuation mark): [char, next index], or null. */
function literalAt(body: string, i: number): [string, number] | null {
  const c = body[i] ?? ''
  if (c === '\\') {
    const n = body[i + 1] ?? ''
    if (!/^[!-/:-@[-`{-~]$/.test(n)) return null
    return [n, i + 2]
  }
  if (META.has(c)) return null
  return [c, i + 1]
}

/** Every concatenation of one string of `a` followed by one of `b`; null past the bound. */
function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_ALTERNATIVES) return null
  const out: string[] = []
  for (const x of a) for (const y of b) out.push(x + y)
  return out
}

/**
 * The strings matched by an alternation of branches, each a concatenation of literal characters
 * and groups (`(...)`, `(?:...)`) that hold an alternation of literals: `level=(warn|error)`
 * matches exactly `level=warn` and `level=error`.
 */
function splitLiterals(body: string): string[] | null {
  const alts: string[] = []
  let branch: string[] = ['']
  let i = 0
  while (i < body.length) {
    const c = body[i]
    if (c === '|') {
      alts.push(...branch)
      branch = ['']
      i++
    } else if (c === '(') {
      i += body.startsWith('(?:', i) ? 3 : 1
      const group: string[] = []
      let cur = ''
      for (;;) {
        if (i >= body.length) return null
        if (body[i] === ')') break
        if (body[i] === '|') {
          group.push(cur)
          cur = ''
          i++
          continue
        }
        const lit = literalAt(body, i)
        if (!lit) return null
        cur += lit[0]
        i = lit[1]
      }
      group.push(cur)
      i++
      const next = product(branch, group)
      if (!next) return null
      branch = next
    } else {
      const lit = literalAt(body, i)
      if (!lit) return null
      branch = branch.map((b) => b + lit[0])
      i = lit[1]
    }
    if (alts.length + branch.length > MAX_ALTERNATIVES) return null
  }
  alts.push(...branch)
  return alts
}

export function literalAlternatives(pattern: string): LiteralAlternatives | null {
  let body = pattern
  let caseInsensitive = false
  if (body.startsWith('(?i)')) {
    caseInsensitive = true
    body = body.slice(4)
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
