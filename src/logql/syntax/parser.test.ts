/**
 * Parsing and canonical printing of valid LogQL: each query must parse and print exactly as
 * Loki's `Expr.String()` does (expected forms taken from Loki's ast_test.go / parser_test.go and
 * Loki's printing rules), and printing must be a fixed point.
 */

import { describe, expect, it } from 'vitest'
import { parseExpr } from './parse'
import { printExpr } from './print'
import { LOKI_ROUNDTRIP, PRINTED } from '../../../test/support/query-fixtures'

const LOSSY = new Set(['{héllo="x", a="b"}', '{a="b"} | size >= 2.5KiB', '{a="b"} | size == 1024B', '10 / 0', '10 % 0'])

describe('canonical printing (Loki String())', () => {
  for (const [query, printed] of PRINTED) {
    it(query, () => {
      const e = parseExpr(query)
      expect(printExpr(e)).toBe(printed)
      // The printed form parses back to the same tree and prints identically, except where
      // Loki's printing itself loses information (rounded byte sizes, NaN).
      if (LOSSY.has(query)) return
      const again = parseExpr(printed)
      expect(again).toEqual(e)
      expect(printExpr(again)).toBe(printed)
    })
  }
})

describe('Loki round-trip queries', () => {
  for (const q of LOKI_ROUNDTRIP) {
    it(q.trim(), () => {
      const e = parseExpr(q)
      expect(parseExpr(printExpr(e))).toEqual(e)
    })
  }
  it('keeps a regex label filter that cannot be simplified in backticks, unescaped', () => {
    const q = LOKI_ROUNDTRIP[LOKI_ROUNDTRIP.length - 1] ?? ''
    expect(printExpr(parseExpr(q))).toBe(q)
  })
})
