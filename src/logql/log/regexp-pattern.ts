/**
 * `| regexp "(?P<name>re)"` and `| pattern "<ip> - <_> <status>"` (pkg/logql/log/parser.go).
 * Both extract named captures as labels (a name taken by a stream label gets `_extracted`); a line
 * that does not match keeps its labels and is not filtered. A regexp group that did not take part
 * in the match yields ''. A pattern that stops early yields only the captures it reached.
 */

import { compileRegex, type CompiledRegex } from '../regex/regex'
import { DUPLICATE_SUFFIX, PARSED, type LabelsBuilder } from './labels'
import { sanitizeKey } from './json-parser'
import { PatternMatcher } from './pattern'
import { StageBuildError, type Stage } from './stage'

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export class RegexpParser implements Stage {
  private readonly re: CompiledRegex
  private readonly groups: Array<{ index: number; name: string }> = []

  constructor(pattern: string) {
    this.re = compileRegex(pattern, { anchored: false })
    const seen = new Set<string>()
    this.re.groupNames.forEach((name, index) => {
      if (name === '') return
      if (!LABEL_NAME.test(name)) throw new StageBuildError(`invalid extracted label name '${name}'`)
      if (seen.has(name)) throw new StageBuildError(`duplicate extracted label name '${name}'`)
      seen.add(name)
      this.groups.push({ index, name: sanitizeKey(name, true) })
    })
    if (this.groups.length === 0) throw new StageBuildError('at least one named capture must be supplied')
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    const m = this.re.exec(line)
    if (!m) return line
    for (const { index, name } of this.groups) {
      const n = lbs.baseHas(name) ? name + DUPLICATE_SUFFIX : name
      if (lbs.shouldExtract(n)) lbs.set(PARSED, n, m.groups[index] ?? '')
    }
    return line
  }
}

export class PatternParser implements Stage {
  private readonly m: PatternMatcher

  constructor(pattern: string) {
    this.m = PatternMatcher.forParser(pattern)
    for (const n of this.m.names) {
      if (!LABEL_NAME.test(n)) throw new StageBuildError(`invalid capture label name '${n}'`)
    }
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (lbs.parseNothing()) return line
    const values = this.m.matches(line)
    const names = this.m.names
    for (let i = 0; i < values.length; i++) {
      const n = names[i] as string
      const name = lbs.baseHas(n) ? n + DUPLICATE_SUFFIX : n
      if (lbs.shouldExtract(name)) lbs.set(PARSED, name, values[i] as string)
    }
    return line
  }
}
