/**
 * Loki prints a regex label filter (`| msg=~"..."`) in one of two ways: when its regex reduces to
 * a literal, a `.*`-wrapped literal, an alternation of literals or a match-all, the filter is
 * optimised away from the regex engine and printed as a matcher (`msg=~"foo.*"`); otherwise the
 * original regex is printed raw in backticks (`msg=~\`\w.*\``). This approximates Go's regexp
 * simplification closely enough for the common shapes.
 */

const META = /[\\.+*?()|[\]{}^$]/

function isLiteral(s: string): boolean {
  return s !== '' && !META.test(s.replace(/\\[!-/:-@[-`{-~]/g, 'x'))
}

function isLiteralAlternation(s: string): boolean {
  const alts = s.split('|')
  if (alts.length < 2 || !alts.every(isLiteral)) return false
  // Go factors single characters into classes and common prefixes into concatenations.
  if (alts.some((a) => [...a.replace(/\\(.)/g, '$1')].length < 2)) return false
  const firsts = new Set(alts.map((a) => a[0]))
  return firsts.size === alts.length
}

/** Whether Loki turns this label-filter regex into a non-regex filter. */
export function labelRegexSimplifies(pattern: string): boolean {
  let re = pattern.startsWith('(?i)') ? pattern.slice(4) : pattern
  if (re === '' || re === '.*') return true
  if (/^\((?:\?:)?[^()]*\)$/.test(re)) re = re.replace(/^\((?:\?:)?/, '').slice(0, -1)
  if (isLiteral(re) || isLiteralAlternation(re)) return true
  let core = re
  if (core.startsWith('.*')) core = core.slice(2)
  if (core.endsWith('.*') && !core.endsWith('\\.*')) core = core.slice(0, -2)
  return core !== re && isLiteral(core)
}
