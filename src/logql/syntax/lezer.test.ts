/**
 * Every query this parser accepts should also be accepted by Grafana's query editor grammar
 * (@grafana/lezer-logql), so that what works here is not flagged in Grafana. Known disagreements
 * are listed with the reason; the test fails if one disappears or a new one appears.
 */

import { parser } from '@grafana/lezer-logql'
import { describe, expect, it } from 'vitest'
import { GOLDEN, LOKI_ROUNDTRIP, PRINTED } from '../../../test/support/query-fixtures'
import { parseExpr } from './parse'
import { printExpr } from './print'

function lezerAccepts(q: string): boolean {
  let ok = true
  parser.parse(q).iterate({
    enter: (n) => {
      if (n.type.isError) ok = false
    },
  })
  return ok
}

// Queries Loki (and this parser) accept but lezer-logql 0.4.2 flags, and why.
const LEZER_REJECTS: readonly (readonly [RegExp, string])[] = [
  [/héllo/, "Loki's scanner takes any Unicode letter in an identifier; lezer only ASCII"],
  [/\/\/ a Go comment/, "Loki's scanner (a copy of Go's text/scanner) skips // and /* */ comments"],
  [/size > 10M$/, 'go-humanize accepts a unit without the B suffix; lezer requires B'],
  [/x="1" y="2"|blip", blop/, 'Loki joins label filters written side by side with and; lezer needs and or ,'],
  [/^(Count_Over_Time|SUM\(RATE)/, "Loki's lexer matches keywords and function names case-insensitively"],
  [/\|[^|]*\| unwrap [^[]*\[\w+\] offset/, 'lezer lacks the pipeline + unwrap + range + offset form of a log range'],
]

function knownRejection(q: string): string | undefined {
  const hit = LEZER_REJECTS.find(([re]) => re.test(q))
  return hit?.[1]
}

const VALID = [
  ...PRINTED.map(([q]) => q),
  ...PRINTED.map(([, printed]) => printed),
  ...LOKI_ROUNDTRIP,
  ...GOLDEN.filter(([kind]) => kind === 'ok').map(([, , q]) => q),
]

describe('@grafana/lezer-logql accepts what we accept', () => {
  for (const q of [...new Set(VALID)]) {
    it(q, () => {
      let printed: string
      try {
        printed = printExpr(parseExpr(q))
      } catch {
        return // printed forms that are not valid input themselves (NaN)
      }
      expect(printed.length).toBeGreaterThan(0)
      expect(lezerAccepts(q)).toBe(knownRejection(q) === undefined)
    })
  }
})
