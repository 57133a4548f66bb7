/**
 * Every query of the public conformance cases recorded from Loki 3.7.6: queries Loki answered
 * must parse (and print back to an equivalent query), queries Loki rejected with a parse error
 * must fail with exactly Loki's text, and format_query must produce Loki's exact formatting.
 */

import { describe, expect, it } from 'vitest'
import { formatQuery, parseExpr, parseMatchers } from './parse'
import { printExpr } from './print'
import { GOLDEN } from '../../../test/support/query-fixtures'

describe('Loki 3.7.6 conformance queries', () => {
  for (const [kind, id, query, expected] of GOLDEN) {
    it(`${id}: ${query}`, () => {
      switch (kind) {
        case 'ok': {
          const e = parseExpr(query)
          expect(parseExpr(printExpr(e))).toEqual(e)
          break
        }
        case 'error':
          expect(() => parseExpr(query)).toThrow(expected ?? '')
          try {
            parseExpr(query)
          } catch (err) {
            expect((err as Error).message).toBe(expected)
          }
          break
        case 'format':
          expect(formatQuery(query)).toBe(expected)
          break
        case 'matchers':
          expect(parseMatchers(query).length).toBeGreaterThan(0)
          break
      }
    })
  }
})
