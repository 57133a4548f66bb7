/**
 * Go's `regexp.Expand` template language, used by label_replace and regexReplaceAll: `$1`,
 * `${1}`, `$name`, `${name}` and `$$`. A reference takes the longest run of letters, digits and
 * `_` (so `$1x` names the group "1x"); unknown groups expand to nothing; a malformed `$` is kept.
 */

export type GroupLookup = (ref: number | string) => string

export function expandTemplate(template: string, lookup: GroupLookup): string {
  let out = ''
  let rest = template
  for (;;) {
    const i = rest.indexOf('$')
    if (i < 0) break
    out += rest.slice(0, i)
    rest = rest.slice(i + 1)
    if (rest.startsWith('$')) {
      out += '$'
      rest = rest.slice(1)
      continue
    }
    const ref = extract(rest)
    if (!ref) {
      out += '$'
      continue
    }
    rest = rest.slice(ref.length)
    out += /^\d+$/.test(ref.name) ? lookup(Number(ref.name)) : lookup(ref.name)
  }
  return out + rest
}

function extract(s: string): { name: string; length: number } | null {
  const brace = s.startsWith('{')
  const from = brace ? 1 : 0
  let i = from
  while (i < s.length && /^[\p{L}\p{N}_]$/u.test(s[i] ?? '')) i++
  if (i === from) return null
  const name = s.slice(from, i)
  if (brace) {
    if (s[i] !== '}') return null
    return { name, length: i + 1 }
  }
  return { name, length: i }
}
