/**
 * Line filters: `|= "s"`, `!= "s"`, `|~ "re"`, `!~ "re"`, `|> "pattern"`, `!> "pattern"` and
 * `|= ip("cidr")`, each possibly with `or` alternatives (pkg/logql/log/filter.go). A positive
 * filter passes a line when any alternative matches, a negated one when none does. As in Loki an
 * empty string matches every line (so `!= ""` drops everything) and an always-true alternative in
 * an `or` chain is ignored. `buildLineFilter` is what the storage layer runs before data leaves it:
 * it builds from structured-cloned AST nodes and returns one predicate.
 */

import type { LineFilterExpr, LineFilterOp, LineFilterTerm } from '../syntax/ast'
import { ipMatcher } from './ip'
import type { LabelsBuilder } from './labels'
import { PatternMatcher } from './pattern'
import { compileRegex } from '../regex/regex'
import { literalAlternatives } from '../regex/literal'
import { StageBuildError, type Stage } from './stage'

export type LineTest = (line: string) => boolean

const ALWAYS: LineTest = () => true

function anyOf(tests: LineTest[]): LineTest {
  if (tests.length === 1) return tests[0] as LineTest
  if (tests.length === 2) {
    const [a, b] = tests as [LineTest, LineTest]
    return (l) => a(l) || b(l)
  }
  return (l) => {
    for (const t of tests) if (t(l)) return true
    return false
  }
}

function containsTest(lit: string): LineTest {
  return lit === '' ? ALWAYS : (l) => l.includes(lit)
}

function regexTest(pattern: string): LineTest {
  const simple = literalAlternatives(pattern)
  if (simple && simple.alternatives.includes('')) return ALWAYS
  const re = compileRegex(pattern, { anchored: false })
  return (l) => re.test(l)
}

function termTest(op: LineFilterOp, term: LineFilterTerm): LineTest {
  if (term.ip) {
    if (op !== '|=' && op !== '!=') throw new StageBuildError('ip: invalid operation')
    return ipMatcher(term.match)
  }
  switch (op) {
    case '|=':
    case '!=':
      return containsTest(term.match)
    case '|~':
    case '!~':
      return regexTest(term.match)
    case '|>':
    case '!>': {
      const m = PatternMatcher.forLineFilter(term.match)
      return (l) => m.test(l)
    }
  }
}

/** The predicate of one line filter stage (true = keep the line). */
export function lineFilterTest(f: LineFilterExpr): LineTest {
  const terms: LineFilterTerm[] = [{ match: f.match, ip: f.ip }, ...f.or]
  let tests = terms.map((t) => termTest(f.op, t))
  if (tests.length > 1) {
    const narrowing = tests.filter((t) => t !== ALWAYS)
    tests = narrowing.length > 0 ? narrowing : [ALWAYS]
  }
  const positive = anyOf(tests)
  const negated = f.op === '!=' || f.op === '!~' || f.op === '!>'
  if (!negated) return positive
  if (positive === ALWAYS) return () => false
  return (l) => !positive(l)
}

/** All line filters ANDed, for use before the pipeline (e.g. inside storage). */
export function buildLineFilter(filters: readonly LineFilterExpr[]): LineTest {
  const tests = filters.map(lineFilterTest).filter((t) => t !== ALWAYS)
  if (tests.length === 0) return ALWAYS
  if (tests.length === 1) return tests[0] as LineTest
  return (l) => {
    for (const t of tests) if (!t(l)) return false
    return true
  }
}

/**
 * Literal text the filters require, for searching stored bytes before lines are decoded: for
 * each group, a line passing the filters contains at least one of its strings (exact bytes).
 * Only positive filters whose every alternative is a literal (`|=`, or a `|~` regex that matches
 * a few literal strings, not case-insensitive) give a group; alternatives that match every line
 * are ignored as `lineFilterTest` ignores them.
 */
export function requiredLiterals(filters: readonly LineFilterExpr[]): string[][] {
  const groups: string[][] = []
  for (const f of filters) {
    if (f.op !== '|=' && f.op !== '|~') continue
    const group: string[] = []
    let literal = true
    for (const t of [{ match: f.match, ip: f.ip }, ...f.or]) {
      if (t.ip) literal = false
      else if (f.op === '|=') {
        if (t.match !== '') group.push(t.match)
      } else {
        const lits = literalAlternatives(t.match)
        if (!lits || lits.caseInsensitive) literal = false
        else if (!lits.alternatives.includes('')) group.push(...lits.alternatives)
      }
    }
    // Lines are decoded with U+FFFD for invalid bytes, which their stored bytes do not hold.
    if (literal && group.length > 0 && !group.some((g) => g.includes('\uFFFD'))) groups.push(group)
  }
  return groups
}

export class LineFilterStage implements Stage {
  private readonly test: LineTest
  constructor(f: LineFilterExpr) {
    this.test = lineFilterTest(f)
  }
  process(_ts: bigint, line: string, _lbs: LabelsBuilder): string | null {
    return this.test(line) ? line : null
  }
}
