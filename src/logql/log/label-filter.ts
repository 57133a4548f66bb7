/**
 * Label filters (pkg/logql/log/label_filter.go): string matchers (the only ones that see
 * `__error__`; a missing label compares as ''), numeric, duration, bytes and `ip()` comparisons,
 * combined with `and`/`or`. A comparison on a missing label drops the line; a value that does not
 * convert keeps the line and sets `__error__=LabelFilterErr` with Go's message, unless an earlier
 * stage already set an error. String regexes follow Loki's simplifications (label-regex.ts).
 */

import type { LabelFilter, LabelFilterOp, LabelMatcher } from '../syntax/ast'
import { parseBytesConv } from '../../go/bytes'
import { parseGoDurationConv } from '../../go/duration'
import { conv, parseGoFloat } from '../../go/strconv'
import { ipMatcher } from './ip'
import { ERR_LABEL_FILTER, ERROR_LABEL, type LabelsBuilder } from './labels'
import { labelRegexTest } from './label-regex'
import type { Stage } from './stage'

export type LabelPredicate = (lbs: LabelsBuilder) => boolean

/** A string predicate with Loki's label-filter semantics (see label-regex.ts for regexes). */
export function stringMatcher(type: LabelMatcher['type'], value: string): (v: string) => boolean {
  let pos: (v: string) => boolean
  if (type === '=' || type === '!=') {
    pos = (v) => v === value
  } else {
    pos = labelRegexTest(value)
  }
  if (type === '=' || type === '=~') return pos
  return (v) => !pos(v)
}

function compare(op: LabelFilterOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b
    case '!=':
      return a !== b
    case '>':
      return a > b
    case '>=':
      return a >= b
    case '<':
      return a < b
    case '<=':
      return a <= b
  }
}

function converting(name: string, op: LabelFilterOp, ref: number, convert: (s: string) => number): LabelPredicate {
  return (lbs) => {
    const v = lbs.get(name)
    if (v === undefined) return false
    const n = convert(v)
    if (conv.error !== '') {
      if (!lbs.hasErr()) lbs.setError(ERR_LABEL_FILTER, conv.error)
      return true
    }
    return compare(op, n, ref)
  }
}

/** Builds the predicate of a label filter tree. */
export function labelPredicate(f: LabelFilter): LabelPredicate {
  switch (f.kind) {
    case 'StringLabelFilter': {
      const { name, type, value } = f.matcher
      const m = stringMatcher(type, value)
      if (name === ERROR_LABEL) return (lbs) => m(lbs.getErr())
      return (lbs) => m(lbs.get(name) ?? '')
    }
    case 'NumericLabelFilter':
      return converting(f.name, f.op, f.value, parseGoFloat)
    case 'DurationLabelFilter':
      return converting(f.name, f.op, f.valueNs, parseGoDurationConv)
    case 'BytesLabelFilter':
      return converting(f.name, f.op, f.value, parseBytesConv)
    case 'IpLabelFilter': {
      const m = ipMatcher(f.pattern)
      const name = f.name
      const eq = f.op === '='
      return (lbs) => {
        if (lbs.hasErr()) return true
        const v = lbs.get(name)
        if (v === undefined) return false
        return m(v) === eq
      }
    }
    case 'BinaryLabelFilter': {
      const l = labelPredicate(f.left)
      const r = labelPredicate(f.right)
      if (f.op === 'and') {
        return (lbs) => {
          const lok = l(lbs)
          const rok = r(lbs)
          return lok && rok
        }
      }
      return (lbs) => l(lbs) || r(lbs)
    }
  }
}

export class LabelFilterStage implements Stage {
  private readonly pred: LabelPredicate
  constructor(f: LabelFilter) {
    this.pred = labelPredicate(f)
  }
  process(_ts: bigint, line: string, lbs: LabelsBuilder): string | null {
    return this.pred(lbs) ? line : null
  }
}
