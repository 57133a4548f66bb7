/**
 * Loki's label matcher semantics over a label set: regexes are RE2, fully anchored, and a
 * missing label reads as "".
 */
import { RE2JS } from 're2js'
import type { LabelMatcher } from '../syntax/ast'
import type { Labels } from './source'

const regexCache = new Map<string, RE2JS>()

function anchored(re: string): RE2JS {
  let c = regexCache.get(re)
  if (!c) {
    c = RE2JS.compile(`^(?:${re})$`)
    regexCache.set(re, c)
  }
  return c
}

export function matchesLabels(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  for (const m of matchers) {
    const v = labels[m.name] ?? ''
    switch (m.type) {
      case '=':
        if (v !== m.value) return false
        break
      case '!=':
        if (v === m.value) return false
        break
      case '=~':
        if (!anchored(m.value).matches(v)) return false
        break
      case '!~':
        if (anchored(m.value).matches(v)) return false
        break
    }
  }
  return true
}
