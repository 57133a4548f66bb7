import { describe, expect, it } from 'vitest'
import { canonicalLabels, fingerprint, LabelParseError, parseLabels } from './labels'

describe('parseLabels', () => {
  const good: Array<[string, Array<[string, string]>]> = [
    ['{app="api", env="prod"}', [['app', 'api'], ['env', 'prod']]],
    ['{env="prod",app="api",}', [['app', 'api'], ['env', 'prod']]],
    ['  { b = "2" , a = "1" }  ', [['a', '1'], ['b', '2']]],
    ['{a="", b="x"}', [['b', 'x']]],
    ['{a="1", a="2"}', [['a', '1'], ['a', '2']]],
    ["{a='single', b=`raw\\n`}", [['a', 'single'], ['b', 'raw\\n']]],
    ['{a="tab\\there", b="q\\"uote", c="\\u00e9\\x41\\101"}', [['a', 'tab\there'], ['b', 'q"uote'], ['c', 'éAA']]],
    ['{"dotted.name"="v"}', [['dotted.name', 'v']]],
    ['{}', []],
    ['up{job="x"}', [['__name__', 'up'], ['job', 'x']]],
  ]
  for (const [input, want] of good) {
    it(input, () => expect(parseLabels(input)).toEqual(want))
  }

  const bad: Array<[string, string]> = [
    ['{foo.bar="x"}', '1:5: parse error: unexpected character inside braces: \'.\''],
    ['{foo-bar="x"}', '1:5: parse error: unexpected character inside braces: \'-\''],
    ['{a="b"', '1:7: parse error: unexpected end of input inside braces'],
    ['{a="b}', '1:4: parse error: unterminated quoted string'],
    ['{a=b}', '1:4: parse error: unexpected identifier "b" in label set, expected string'],
    ['{a}', '1:3: parse error: unexpected "}" in label set, expected "="'],
    ['', '1:1: parse error: unexpected end of input'],
    ['{a="\\q"}', "1:5: parse error: unknown escape sequence U+0071 'q'"],
  ]
  for (const [input, msg] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseLabels(input)).toThrow(LabelParseError)
      expect(() => parseLabels(input)).toThrow(msg)
    })
  }
})

describe('canonicalLabels', () => {
  const cases: Array<[Array<[string, string]>, string]> = [
    [[['a', 'b'], ['c', 'd']], '{a="b", c="d"}'],
    [[['a', 'q"\\'], ['b', 'line\nbreak\t']], '{a="q\\"\\\\", b="line\\nbreak\\t"}'],
    [[['a', 'ünï ✓']], '{a="ünï ✓"}'],
    [[['a', '\u0007\u007f\u200b']], '{a="\\a\\x7f\\u200b"}'],
    [[['dotted.name', 'v']], '{"dotted.name"="v"}'],
    [[], '{}'],
  ]
  for (const [labels, want] of cases) {
    it(want, () => expect(canonicalLabels(labels)).toBe(want))
  }
})

describe('fingerprint (FNV-1a 64)', () => {
  const cases: Array<[string, string]> = [
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ]
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(fingerprint(input)).toBe(want))
  }
  it('differs for different label sets and is stable', () => {
    expect(fingerprint('{a="b"}')).toBe(fingerprint('{a="b"}'))
    expect(fingerprint('{a="b"}')).not.toBe(fingerprint('{a="c"}'))
    expect(fingerprint('{a="é"}')).toMatch(/^[0-9a-f]{16}$/)
  })
})
