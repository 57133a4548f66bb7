import { describe, expect, it } from 'vitest'
import { simplifiedLabelRegex } from './label-regex'

describe('Loki label-filter regex simplification', () => {
  it.each([
    // [pattern, value, matches]
    ['a.*|b.*', 'frank', true], // contains "a": Loki 3.7 answers so (conformance lbl-not-regex-precedence)
    ['a.*|b.*', 'erin', false],
    ['a.*|b.*', 'bob', true],
    ['error', 'error', true], // a bare literal is an equality test
    ['error', 'errors', false],
    ['error|warn', 'warn', true],
    ['error|warn', 'warning', false],
    ['error|errors', 'my errors', true], // factored prefix: error(?:|s) → contains
    ['.*timeout.*', 'a timeout b', true],
    ['.*', '', true],
    ['.+', '', false],
    ['.+', 'x', true],
    ['', '', true],
    ['foo\\.bar', 'foo.bar', true],
    ['foo\\.bar', 'fooxbar', false],
  ])('%s on %s → %s', (pattern, value, want) => {
    const t = simplifiedLabelRegex(pattern)
    expect(t).not.toBeNull()
    expect(t!(value)).toBe(want)
  })

  it.each([
    'a|b', // single runes collapse into a class: Loki keeps the anchored regex
    'ba(r|z)',
    '[a-z]+',
    'foo.+bar',
    '^foo$',
    '(?i)foo',
    'a+',
    'bar|baz',
    '\\d+',
  ])('%s falls back to the anchored regex', (pattern) => {
    expect(simplifiedLabelRegex(pattern)).toBeNull()
  })
})
