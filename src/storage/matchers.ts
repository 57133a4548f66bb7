/**
 * Label matchers evaluated against a stream's labels with Loki's semantics: a missing label has
 * the value "", and regular expressions are fully anchored RE2 in which `.` also matches a
 * newline (Loki wraps selector regexes in `(?s:…)`).
 */
import type { LabelMatcher } from '../logql/syntax/ast'
import { compileRegex } from '../logql/regex'

export type LabelTest = (value: string) => boolean

export function matcherTest(m: LabelMatcher): LabelTest {
  switch (m.type) {
    case '=':
      return (v) => v === m.value
    case '!=':
      return (v) => v !== m.value
    case '=~': {
      const re = compileRegex(m.value, { anchored: true, dotAll: true })
      return (v) => re.test(v)
    }
    case '!~': {
      const re = compileRegex(m.value, { anchored: true, dotAll: true })
      return (v) => !re.test(v)
    }
  }
}

/** True when the matcher accepts the empty string, i.e. it also accepts streams lacking the label. */
export function matchesEmpty(m: LabelMatcher): boolean {
  return matcherTest(m)('')
}

export function compileMatchers(matchers: readonly LabelMatcher[]): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = matchers.map((m) => ({ name: m.name, test: matcherTest(m) }))
  return (labels) => tests.every((t) => t.test(labels[t.name] ?? ''))
}
