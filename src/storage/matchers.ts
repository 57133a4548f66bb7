/**
 * Label matchers evaluated against a stream's labels with Loki's semantics: a missing label has
 * the value "", and regular expressions are fully anchored RE2 in which `.` also matches a
 * newline (Loki wraps selector regexes in `(?s:…)`).
 */
import type { LabelMatcher } from '../logql/syntax/ast'
import { promMatcher } from '../logql/log/drop-keep'

export type LabelTest = (value: string) => boolean

export const matcherTest: (m: LabelMatcher) => LabelTest = promMatcher

export function compileMatchers(matchers: readonly LabelMatcher[]): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = matchers.map((m) => ({ name: m.name, test: matcherTest(m) }))
  return (labels) => tests.every((t) => t.test(labels[t.name] ?? ''))
}
