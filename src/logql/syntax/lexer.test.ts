/**
 * Tokenisation as Loki's lexer does it: keywords only where Loki treats them as such, glued
 * durations and byte sizes, flags, ranges, comments, and positions.
 */

import { describe, expect, it } from 'vitest'
import { tokenize } from './lexer'

const types = (q: string): string[] => tokenize(q).map((t) => (t.type === 'IDENTIFIER' || t.type === 'STRING' || t.type === 'NUMBER' ? `${t.type}:${t.value}` : t.type))

describe('tokens', () => {
  const cases: readonly (readonly [string, string[]])[] = [
    ['{a="b"}', ['OPEN_BRACE', 'IDENTIFIER:a', 'EQ', 'STRING:b', 'CLOSE_BRACE', 'EOF']],
    ['rate(x', ['RATE', 'OPEN_PARENTHESIS', 'IDENTIFIER:x', 'EOF']],
    ['rate = 1', ['IDENTIFIER:rate', 'EQ', 'NUMBER:1', 'EOF']],
    ['sum by (a) (', ['SUM', 'BY', 'OPEN_PARENTHESIS', 'IDENTIFIER:a', 'CLOSE_PARENTHESIS', 'OPEN_PARENTHESIS', 'EOF']],
    ['sum without(a)', ['SUM', 'WITHOUT', 'OPEN_PARENTHESIS', 'IDENTIFIER:a', 'CLOSE_PARENTHESIS', 'EOF']],
    ['sum byfoo(', ['IDENTIFIER:sum', 'IDENTIFIER:byfoo', 'OPEN_PARENTHESIS', 'EOF']],
    ['ip("x") ip', ['IP', 'OPEN_PARENTHESIS', 'STRING:x', 'CLOSE_PARENTHESIS', 'IDENTIFIER:ip', 'EOF']],
    ['bytes(x) bytes', ['BYTES_CONV', 'OPEN_PARENTHESIS', 'IDENTIFIER:x', 'CLOSE_PARENTHESIS', 'IDENTIFIER:bytes', 'EOF']],
    ['JSON Or BY', ['JSON', 'OR', 'BY', 'EOF']],
    ['|= != |~ !~ |> !> | == >= <= > < =~ =', ['PIPE_EXACT', 'NEQ', 'PIPE_MATCH', 'NRE', 'PIPE_PATTERN', 'NPA', 'PIPE', 'CMP_EQ', 'GTE', 'LTE', 'GT', 'LT', 'RE', 'EQ', 'EOF']],
    ['5m 1h30m 1.5s -5m', ['DURATION', 'DURATION', 'DURATION', 'DURATION', 'EOF']],
    ['10MB 1KiB 10B 10M', ['BYTES', 'BYTES', 'BYTES', 'BYTES', 'EOF']],
    ['10 1.5 .5 1e3 -1', ['NUMBER:10', 'NUMBER:1.5', 'NUMBER:.5', 'NUMBER:1e3', 'SUB', 'NUMBER:1', 'EOF']],
    ['1-1', ['NUMBER:1', 'SUB', 'NUMBER:1', 'EOF']],
    ['--strict --keep-empty --other', ['PARSER_FLAG', 'PARSER_FLAG', 'SUB', 'SUB', 'IDENTIFIER:other', 'EOF']],
    ['[5m]', ['RANGE', 'EOF']],
    ['a # comment\nb', ['IDENTIFIER:a', 'IDENTIFIER:b', 'EOF']],
    ['a // comment\nb /* c */ c', ['IDENTIFIER:a', 'IDENTIFIER:b', 'IDENTIFIER:c', 'EOF']],
    ['`raw\\n` "esc\\n"', ['STRING:raw\\n', 'STRING:esc\n', 'EOF']],
    ['@ ! ~', ['IDENTIFIER:@', 'IDENTIFIER:!', 'IDENTIFIER:~', 'EOF']],
    ['héllo_1', ['IDENTIFIER:héllo_1', 'EOF']],
    ['5minutes', ['DURATION', 'IDENTIFIER:inutes', 'EOF']],
  ]
  for (const [q, want] of cases) it(q, () => expect(types(q)).toEqual(want))
})

describe('positions', () => {
  it('are 1-based line and column of the token start, in code points', () => {
    const toks = tokenize('{a="é"}\n  | json')
    expect(toks.map((t) => [t.type, t.line, t.col])).toEqual([
      ['OPEN_BRACE', 1, 1],
      ['IDENTIFIER', 1, 2],
      ['EQ', 1, 3],
      ['STRING', 1, 4],
      ['CLOSE_BRACE', 1, 7],
      ['PIPE', 2, 3],
      ['JSON', 2, 5],
      ['EOF', 2, 9],
    ])
  })
  it('are line 0 for tokens Loki completes with Next()', () => {
    const toks = tokenize('a |= 5m [1m] 1KB --strict >')
    expect(toks.map((t) => [t.type, t.line, t.col])).toEqual([
      ['IDENTIFIER', 1, 1],
      ['PIPE_EXACT', 0, 3],
      ['DURATION', 0, 6],
      ['RANGE', 0, 9],
      ['BYTES', 0, 14],
      ['PARSER_FLAG', 0, 18],
      ['GT', 1, 27],
      ['EOF', 1, 28],
    ])
  })
})

describe('lexical errors', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['"abc', 'literal not terminated'],
    ['"\\d"', 'invalid char escape'],
    ['[5x]', 'unknown unit "x" in duration "5x"'],
    ['[5', "missing closing ']' in duration"],
    ['/* x', 'comment not terminated'],
    ["'ab'", 'invalid char literal'],
  ]
  for (const [q, msg] of cases) {
    it(q, () => {
      const last = tokenize(q).at(-1)
      expect(last?.type).toBe('ERROR')
      expect(last?.message).toBe(msg)
    })
  }
})
