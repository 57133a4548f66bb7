/**
 * Which regex label filters Loki prints as plain matchers and which in raw backticks.
 */

import { describe, expect, it } from 'vitest'
import { labelRegexSimplifies } from './label-regex'
import { parseExpr } from './parse'
import { printExpr } from './print'

const CASES: readonly (readonly [string, boolean])[] = [
  ['err.*', true],
  ['/api/.*', true],
  ['.*foo.*', true],
  ['.*', true],
  ['', true],
  ['(?i)error', true],
  ['GET|POST', true],
  ['error|warn|info', true],
  ['(foo|bar)', true],
  ['foo|bar.*', true],
  ['a|bc', true],
  ['a\\.b', true],
  ['5..', false],
  ['a|b', false],
  ['.*foo|.*bar', false],
  ['abc|abd', false],
  ['.+', false],
  ['\\d+', false],
  ['\\w.*', false],
  ['(a)(b)', false],
  ['[0-9]+', false],
]

describe('regex label filter simplification', () => {
  for (const [re, simple] of CASES) {
    it(re, () => {
      expect(labelRegexSimplifies(re)).toBe(simple)
      const printed = printExpr(parseExpr(`{a="b"} | x=~${JSON.stringify(re)}`))
      expect(printed).toBe(simple ? `{a="b"} | x=~${JSON.stringify(re)}` : `{a="b"} | x=~\`${re}\``)
    })
  }
})
