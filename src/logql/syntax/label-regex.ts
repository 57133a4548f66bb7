/**
 * Loki prints a regex label filter (`| msg=~"..."`) in one of two ways: when its regex reduces to
 * literals, `.*`-wrapped literals or alternations of those, the filter is optimised away from the
 * regex engine and printed as a matcher (`msg=~"foo.*"`); otherwise the original regex is printed
 * raw in backticks (`msg=~\`\w.*\``). This mirrors Go's regexp parsing closely enough for the usual
 * shapes: single-character alternatives that Go turns into a character class, and alternatives
 * with a common first character that Go factors out, are not simplified.
 */

const META = /[\\.+*?()|[\]{}^$]/

function unescape(s: string): string | null {
  const plain = s.replace(/\\[!-/:-@[-`{-~]/g, 'x')
  return META.test(plain) ? null : s.replace(/\\(.)/g, '$1')
}

/** `lit`, `lit.*`, `.*lit`, `.*lit.*` (or `.*`, or empty): the literal, else null. */
function legLiteral(leg: string): string | null {
  if (leg === '' || leg === '.*') return ''
  let core = leg
  if (core.startsWith('.*')) core = core.slice(2)
  if (core.endsWith('.*') && !core.endsWith('\\.*')) core = core.slice(0, -2)
  if (core === '') return null
  return unescape(core)
}

/** Whether Loki turns this label-filter regex into a non-regex filter. */
export function labelRegexSimplifies(pattern: string): boolean {
  let re = pattern.startsWith('(?i)') ? pattern.slice(4) : pattern
  if (/^\((?:\?:)?[^()]*\)$/.test(re)) re = re.replace(/^\((?:\?:)?/, '').slice(0, -1)
  if (re.includes('(') || re.includes(')')) return false
  const legs = re.split('|')
  if (legs.length === 1) return legLiteral(re) !== null
  const lits = legs.map(legLiteral)
  if (lits.some((l) => l === null || l === '')) return false
  const singleChar = legs.map((l) => [...(unescape(l) ?? 'xx')].length === 1)
  if (singleChar.some((s, i) => s && singleChar[i + 1])) return false
  const firsts = new Set(legs.map((l) => l[0]))
  return firsts.size === legs.length
}
