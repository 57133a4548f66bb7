/**
 * Regex label filters (`| user =~ "a.*|b.*"`) as Loki really evaluates them. Loki first tries to
 * replace the regex with literal filters (pkg/logql/log/filter.go, RegexSimplifier): a plain
 * literal becomes an exact comparison, but `lit.*`, `.*lit` and `.*lit.*` become a substring test
 * (the label's anchoring is lost, so `user !~ "a.*"` also rejects "frank"), `.*` matches everything
 * and `.+` any non-empty value. Alternations are simplified leg by leg. Shapes that Go's parser
 * rewrites first (single characters merged into a class, legs with a common first character
 * factored) and anything else use the anchored RE2 regex.
 */

import { compileRegex } from '../regex/regex'

type Test = (v: string) => boolean

const META = /[\\.+*?()|[\]{}^$]/

function unescapeLiteral(s: string): string | null {
  const plain = s.replace(/\\[!-/:-@[-`{-~]/g, 'x')
  return META.test(plain) ? null : s.replace(/\\(.)/g, '$1')
}

function legTest(leg: string, ci: boolean): Test | null {
  if (leg === '' || leg === '.*') return () => true
  if (leg === '.+') return (v) => v.length > 0
  let core = leg
  let wrapped = false
  if (core.startsWith('.*')) {
    core = core.slice(2)
    wrapped = true
  }
  if (core.endsWith('.*') && !core.endsWith('\\.*')) {
    core = core.slice(0, -2)
    wrapped = true
  }
  if (core === '') return null
  const lit = unescapeLiteral(core)
  if (lit === null) return null
  if (ci) {
    const lower = lit.toLowerCase()
    return wrapped ? (v) => v.toLowerCase().includes(lower) : (v) => v.length === lit.length && v.toLowerCase() === lower
  }
  return wrapped ? (v) => v.includes(lit) : (v) => v === lit
}

function splitLegs(re: string): string[] {
  const legs: string[] = []
  let cur = ''
  for (let i = 0; i < re.length; i++) {
    const c = re[i] as string
    if (c === '\\') {
      cur += c + (re[i + 1] ?? '')
      i++
    } else if (c === '|') {
      legs.push(cur)
      cur = ''
    } else cur += c
  }
  legs.push(cur)
  return legs
}

function simplified(pattern: string): Test | null {
  let ci = false
  let re = pattern
  if (re.startsWith('(?i)')) {
    ci = true
    re = re.slice(4)
  }
  if (/^\((?:\?:)?[^()]*\)$/.test(re)) re = re.replace(/^\((?:\?:)?/, '').slice(0, -1)
  if (re.includes('(') || re.includes(')')) return null
  const legs = splitLegs(re)
  if (legs.length === 1) return legTest(re, ci)
  if (legs.some((l) => l === '')) return null
  const single = legs.map((l) => [...(unescapeLiteral(l) ?? 'xx')].length === 1)
  if (single.some((s, i) => s && single[i + 1])) return null
  if (new Set(legs.map((l) => l[0])).size !== legs.length) return null
  const tests: Test[] = []
  for (const l of legs) {
    const t = legTest(l, ci)
    if (t === null) return null
    tests.push(t)
  }
  return (v) => tests.some((t) => t(v))
}

/** The positive test of `label =~ pattern` in a label filter stage. */
export function labelRegexTest(pattern: string): Test {
  const s = simplified(pattern)
  if (s) return s
  const re = compileRegex(pattern, { anchored: true })
  return (v) => re.test(v)
}
