/**
 * `| drop a, b="v", c=~"re"` and `| keep a, b="v"` (pkg/logql/log/drop_labels.go,
 * keep_labels.go). A bare name drops (or keeps) the label whatever its value; a matcher only when
 * the value matches. `__error__` and `__error_details__` can be dropped (which clears the error) but
 * `keep` never removes them. Matchers have Prometheus semantics (anchored, `.` matches `\n`).
 */

import type { LabelMatcher, NamedLabel } from '../syntax/ast'
import { compileRegex } from '../regex/regex'
import { ERROR_DETAILS_LABEL, ERROR_LABEL, type LabelsBuilder } from './labels'
import type { Stage } from './stage'

type ValueTest = (v: string) => boolean

/** A Prometheus label matcher on a value. */
export function promMatcher(m: LabelMatcher): ValueTest {
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

interface Compiled {
  readonly name: string
  readonly test: ValueTest | null
}

function compile(labels: readonly NamedLabel[]): Compiled[] {
  return labels.map((l) => ({ name: l.matcher?.name ?? l.name, test: l.matcher ? promMatcher(l.matcher) : null }))
}

export class DropStage implements Stage {
  private readonly labels: Compiled[]
  constructor(labels: readonly NamedLabel[]) {
    this.labels = compile(labels)
  }
  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    for (const { name, test } of this.labels) {
      if (test) {
        const v = name === ERROR_LABEL ? lbs.getErr() : name === ERROR_DETAILS_LABEL ? lbs.getErrDetails() : (lbs.get(name) ?? '')
        if (!test(v)) continue
      } else if (name !== ERROR_LABEL && name !== ERROR_DETAILS_LABEL && lbs.get(name) === undefined) {
        continue
      }
      if (name === ERROR_LABEL) lbs.setErr('')
      else if (name === ERROR_DETAILS_LABEL) lbs.setErrDetails('')
      else lbs.delete(name)
    }
    return line
  }
}

export class KeepStage implements Stage {
  private readonly labels: Compiled[]
  private readonly names: string[] = []
  private readonly values: string[] = []
  constructor(labels: readonly NamedLabel[]) {
    this.labels = compile(labels)
  }
  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (this.labels.length === 0) return line
    const names = this.names
    const values = this.values
    names.length = 0
    values.length = 0
    lbs.forEach((n, v) => {
      names.push(n)
      values.push(v)
    })
    for (let i = 0; i < names.length; i++) {
      const n = names[i] as string
      if (n === ERROR_LABEL || n === ERROR_DETAILS_LABEL) continue
      let keep = false
      for (const k of this.labels) {
        if (k.name === n && (k.test === null || k.test(values[i] as string))) {
          keep = true
          break
        }
      }
      if (!keep) lbs.delete(n)
    }
    return line
  }
}
