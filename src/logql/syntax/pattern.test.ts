import { describe, expect, it } from 'vitest'
import { lineFilterPatternError, parsePattern, patternError } from './pattern'
import { tokenize } from './lexer'
import recorded from '../../../test/fixtures/pattern-parser/loki-3.7.6.json'

const EMPTY = 'parse error at line 1, col 1: syntax error: unexpected $end, expecting IDENTIFIER or LITERAL'

describe('pattern.New (| pattern)', () => {
  it.each([
    ['<a>', null],
    ['<_a> <A> <a_1>', null],
    ['<a> <_> <b>', null],
    ['é <a> ü', null],
    ['<<a>>', null],
    ['', EMPTY],
    [' ', 'at least one capture is required'],
    ['<_> <_>', 'at least one capture is required'],
    ['<1a> <a-b> <é> <>', 'at least one capture is required'],
    ['<a><b>', "found consecutive capture '<a><b>': invalid expression"],
    ['<a> x <b><c>', "found consecutive capture '<b><c>': invalid expression"],
    ['x<_><b>', "found consecutive capture '<_><b>': invalid expression"],
    ['<_><_>', 'at least one capture is required'],
    ['<a> <b> <a>', 'duplicate capture name (a): invalid expression'],
    ['<a><b> <a>', "found consecutive capture '<a><b>': invalid expression"],
  ])('%j', (p, err) => {
    expect(patternError(p)).toBe(err)
  })
})

describe('pattern.ParseLineFilter (|> and !>)', () => {
  it.each([
    ['', null],
    ['no capture', null],
    ['<_> a <_>', null],
    ['<_><_>', "found consecutive capture '<_><_>': invalid expression"],
    ['<a><b>', "found consecutive capture '<a><b>': invalid expression"],
    ['<_> <b> <b>', "named captures are not allowed: found '<b>'"],
    ['x <_a>', "named captures are not allowed: found '<_a>'"],
  ])('%j', (p, err) => {
    expect(lineFilterPatternError(p)).toBe(err)
  })
})

describe('agrees with the answers recorded from Loki 3.7.6', () => {
  // Patterns written as plain "..." literals without escapes; their text is the JSON string.
  const PARSER = /^\{app="x"\} \| pattern ("[^"\\]*")$/
  const FILTER = /^\{app="x"\} \|> ("[^"\\]*")$/
  const cases = recorded.cases as Array<{ path: string; query: string; status: number; body: unknown }>
  it('for | pattern through format_query', () => {
    let n = 0
    for (const c of cases) {
      const m = PARSER.exec(c.query)
      if (!m || !c.path.endsWith('format_query')) continue
      const err = patternError(JSON.parse(m[1] as string) as string)
      const want = c.status === 200 ? null : (c.body as { error: string }).error.replace('parse error : invalid pattern parser: ', '')
      expect(err, c.query).toBe(want)
      n++
    }
    expect(n).toBeGreaterThan(30)
  })
  it('for |> through query_range', () => {
    let n = 0
    for (const c of cases) {
      const m = FILTER.exec(c.query)
      if (!m || !c.path.endsWith('query_range')) continue
      const err = lineFilterPatternError(JSON.parse(m[1] as string) as string)
      const want = c.status === 200 ? null : (c.body as string).trimEnd().replace(/^parse error : stage '.*' : /s, '')
      expect(err, c.query).toBe(want)
      n++
    }
    expect(n).toBeGreaterThan(30)
  })
})

describe('nodes', () => {
  it('splits literals and captures', () => {
    expect(parsePattern('a <b>c<_>')).toEqual([
      { kind: 'literal', text: 'a ' },
      { kind: 'capture', name: 'b' },
      { kind: 'literal', text: 'c' },
      { kind: 'capture', name: '_' },
    ])
  })
})

describe('escape digits end at the first other rune, as text/scanner reads them', () => {
  it.each([
    ['"\\x"', 'invalid char escape'],
    ['"\\x4"', 'invalid char escape'],
    ['"\\u12"', 'invalid char escape'],
    ['"\\12"', 'invalid char escape'],
    ['"\\x4', 'literal not terminated'],
  ])('%s', (src, message) => {
    const last = tokenize(src).at(-1)
    expect(last?.type).toBe('ERROR')
    expect(last?.message).toBe(message)
  })
  it('accepts complete escapes', () => {
    expect(tokenize('"\\x41\\101\\u00e9"')[0]).toMatchObject({ type: 'STRING', value: 'AAé' })
  })
})
