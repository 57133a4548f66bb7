/**
 * RE2 semantics as LogQL uses them: anchored label matchers where `.` matches newlines, unanchored
 * line filters where it does not, Go error texts, named groups, Go template expansion, and the
 * literal fast path agreeing with the engine.
 */

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRegex, regexError } from './regex'
import { expandTemplate } from './expand'
import { literalAlternatives } from './literal'

const ANCHORED: readonly (readonly [string, string, boolean])[] = [
  ['ap', 'api', false],
  ['api', 'api', true],
  ['a.*', 'api', true],
  ['.*', '', true],
  ['.+', '', false],
  ['api|web', 'web', true],
  ['api|web', 'webserver', false],
  ['(?i)API', 'api', true],
  ['a.b', 'a\nb', true],
  ['\\d+', '123', true],
  ['\\d+', '12a', false],
  ['\\pL+', 'héllo', true],
  ['[[:alpha:]]+', 'abc', true],
  ['', '', true],
  ['', 'x', false],
]

describe('anchored matching (label matchers)', () => {
  for (const [re, s, want] of ANCHORED) {
    it(`${re} ~ ${JSON.stringify(s)}`, () => {
      expect(compileRegex(re, { anchored: true, dotAll: true }).test(s)).toBe(want)
    })
  }
})

const UNANCHORED: readonly (readonly [string, string, boolean])[] = [
  ['ap', 'xapi', true],
  ['exist.+at db', 'does not exist\n  at db', false],
  ['(?s)exist.+at db', 'does not exist\n  at db', true],
  ['^a', 'ba', false],
  ['a$', 'ba', true],
  ['(timeout|deadlock|refused)', 'connection refused', true],
  ['(timeout|deadlock|refused)', 'all good', false],
  ['(?i)error', 'ERROR: x', true],
  ['(?i)error', 'err', false],
  ['(?i)success', 'SUCCESS', true],
  ['(?i)k', '\u212a', true],
  ['(?i)kelvin', '\u212aELVIN', true],
  ['(?i)s', '\u017f', true],
  ['(?i)sigma', 'SIGMA', true],
  ['" 5[0-9]{2} ', 'GET / HTTP/1.1" 503 12', true],
  ['a\\.b', 'axb', false],
  ['a\\.b', 'a.b', true],
  ['x|', 'anything', true],
]

describe('unanchored matching (line filters)', () => {
  for (const [re, s, want] of UNANCHORED) {
    it(`${re} ~ ${JSON.stringify(s)}`, () => {
      expect(compileRegex(re, { anchored: false }).test(s)).toBe(want)
    })
  }
})

const GO_ERRORS: readonly (readonly [string, string])[] = [
  ['(', 'error parsing regexp: missing closing ): `(`'],
  ['a)', 'error parsing regexp: unexpected ): `a)`'],
  ['[a', 'error parsing regexp: missing closing ]: `[a`'],
  ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
  ['x{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
  ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
  ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
]

describe('Go error messages', () => {
  for (const [re, msg] of GO_ERRORS) {
    it(re, () => {
      expect(regexError(re)).toBe(msg)
      expect(() => compileRegex(re, { anchored: true })).toThrow(msg)
    })
  }
  it('reports no error for a valid pattern', () => {
    expect(regexError('(?P<a>x)+')).toBeNull()
  })
})

describe('groups', () => {
  it('extracts named groups of the first match', () => {
    const re = compileRegex('\\[conn-(?P<conn>\\d+)\\] (?P<message>.*)', { anchored: false })
    expect(re.groupNames).toEqual(['', 'conn', 'message'])
    expect(re.namedGroups('12:00 [conn-42] reset by peer')).toEqual({ conn: '42', message: 'reset by peer' })
    expect(re.namedGroups('nothing')).toBeNull()
  })
  it('leaves unmatched optional groups out', () => {
    const re = compileRegex('(?P<a>x)?(?P<b>y)', { anchored: false })
    expect(re.namedGroups('y')).toEqual({ b: 'y' })
    expect(re.exec('y')?.groups).toEqual(['y', undefined, 'y'])
  })
  it('accepts (?<name>) as Go 1.22 does', () => {
    expect(compileRegex('(?<n>\\d)', { anchored: false }).namedGroups('a1')).toEqual({ n: '1' })
  })
  it('slices groups correctly after non-ASCII text', () => {
    const m = compileRegex('(?P<a>é+)(x)?(?P<b>😀.)', { anchored: false }).exec('zzééé😀q tail')
    expect(m?.groups).toEqual(['ééé😀q', 'ééé', undefined, '😀q'])
    expect([m?.index, m?.end]).toEqual([2, 8])
  })
  it('reports match offsets', () => {
    const m = compileRegex('b+', { anchored: false }).exec('abbbc')
    expect([m?.index, m?.end]).toEqual([1, 4])
  })
})

describe('Go template expansion and replaceAll', () => {
  const cases: readonly (readonly [string, string, string, string])[] = [
    ['(.*)', 'app', '$1-svc', 'app-svc'],
    ['(?P<x>a)(b)', 'ab', '${x}:$2', 'a:b'],
    ['(a)', 'a', '$1x', ''],
    ['(a)', 'a', '${1}x', 'ax'],
    ['(a)', 'a', '$$1', '$1'],
    ['(a)', 'a', '$', '$'],
    ['(a)', 'a', '$9', ''],
    ['(?P<n>a)', 'a', '$n$n', 'aa'],
  ]
  for (const [re, input, tmpl, want] of cases) {
    it(`${re} ${input} ${tmpl}`, () => {
      const r = compileRegex(re, { anchored: true })
      const m = r.exec(input)
      expect(m).not.toBeNull()
      if (m) expect(r.expand(tmpl, m)).toBe(want)
    })
  }
  it('replaces every match like Go ReplaceAllString', () => {
    expect(compileRegex('([0-9]+)', { anchored: false }).replaceAll('10.0.0.12', 'N')).toBe('N.N.N.N')
    expect(compileRegex('a(b*)', { anchored: false }).replaceAll('abbcab', '<$1>')).toBe('<bb>c<b>')
    expect(compileRegex('x*', { anchored: false }).replaceAll('abc', '-')).toBe('-a-b-c-')
    expect(compileRegex('b*', { anchored: false }).replaceAll('abbc', '-')).toBe('-a-c-')
  })
  it('expands with an arbitrary lookup', () => {
    expect(expandTemplate('$a/${b}/$1', (r) => `[${String(r)}]`)).toBe('[a]/[b]/[1]')
  })
})

describe('literal fast path', () => {
  it('recognises literals and alternations of literals', () => {
    expect(literalAlternatives('timeout')).toEqual({ alternatives: ['timeout'], caseInsensitive: false })
    expect(literalAlternatives('(timeout|deadlock)')).toEqual({ alternatives: ['timeout', 'deadlock'], caseInsensitive: false })
    expect(literalAlternatives('(?i)Error')).toEqual({ alternatives: ['error'], caseInsensitive: true })
    expect(literalAlternatives('a\\.b')).toEqual({ alternatives: ['a.b'], caseInsensitive: false })
    expect(literalAlternatives('a.b')).toBeNull()
    expect(literalAlternatives('(?i)kelvin')).toEqual({ alternatives: ['kelvin'], caseInsensitive: true })
    expect(literalAlternatives('(?i)été')).toBeNull()
    expect(literalAlternatives('\\d')).toBeNull()
  })
  it('expands concatenations of literals and groups of literal alternatives', () => {
    expect(literalAlternatives('level=(warn|error)')).toEqual({ alternatives: ['level=warn', 'level=error'], caseInsensitive: false })
    expect(literalAlternatives('(?:a|b)-(c|d)|e')).toEqual({ alternatives: ['a-c', 'a-d', 'b-c', 'b-d', 'e'], caseInsensitive: false })
    expect(literalAlternatives('x()y')).toEqual({ alternatives: ['xy'], caseInsensitive: false })
    expect(literalAlternatives('(a|b)+')).toBeNull()
    expect(literalAlternatives('((a|b))')).toBeNull()
    expect(literalAlternatives('(?P<n>a|b)')).toBeNull()
    expect(literalAlternatives('(a|b')).toBeNull()
    expect(literalAlternatives('(a|b|c|d)(a|b|c|d)(a|b|c|d)(a|b|c|d)')).toBeNull()
  })
  it('agrees with the regex engine', () => {
    const alphabet = fc.constantFrom('a', 'b', 'E', 'r', 'o', 'k', 'S', '.', ' ', '\n', 'é', '\u212a', '\u017f', '😀')
    const word = fc.string({ unit: alphabet, maxLength: 4 })
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), fc.string({ unit: alphabet, maxLength: 12 }), word, (alts, ci, group, line, prefix) => {
        const body = alts.map((a) => a.replaceAll('.', '\\.')).join('|')
        const pattern = `${ci ? '(?i)' : ''}${group ? `${prefix.replaceAll('.', '\\.')}(${body})` : body}`
        // x{0} matches the empty string and keeps the pattern off the literal path.
        const fast = compileRegex(pattern, { anchored: false })
        const slow = compileRegex(`(?:${pattern})x{0}`, { anchored: false })
        expect(fast.test(line)).toBe(slow.test(line))
        const fastA = compileRegex(pattern, { anchored: true })
        const slowA = compileRegex(`(?:${pattern})x{0}`, { anchored: true })
        expect(fastA.test(line)).toBe(slowA.test(line))
      }),
      { numRuns: 500 },
    )
  })
})

describe('cache', () => {
  it('returns the same compiled object for the same pattern and options', () => {
    expect(compileRegex('abc+', { anchored: true })).toBe(compileRegex('abc+', { anchored: true }))
    expect(compileRegex('abc+', { anchored: true })).not.toBe(compileRegex('abc+', { anchored: false }))
  })
})
