import { describe, expect, it } from 'vitest'
import { buildPipeline } from './pipeline'
import { and, bytes, dur, filter, ipf, json, logfmt, num, or, str } from '../../../test/support/pipeline-ast'
import type { LabelFilter, StageExpr } from '../syntax/ast'

function run(stages: StageExpr[], line: string, stream: Record<string, string> = {}): Record<string, string> | null {
  const r = buildPipeline(stages).forStream(stream).process(0n, line)
  return r ? { ...r.labels.labels } : null
}

const MS = 1e6
const S = 1e9

describe('label filters after logfmt', () => {
  // [filter, line, kept?]
  const cases: Array<[string, LabelFilter, string, boolean]> = [
    ['status >= 500', num('status', '>=', 500), 'status=502', true],
    ['status >= 500 miss', num('status', '>=', 500), 'status=200', false],
    ['status == 200', num('status', '==', 200), 'status=200.0', true],
    ['status != 200', num('status', '!=', 200), 'status=201', true],
    ['missing label drops', num('status', '>', 1), 'other=1', false],
    ['missing label drops !=', num('status', '!=', 1), 'other=1', false],
    ['float', num('latency', '<', 0.5), 'latency=0.25', true],
    ['scientific', num('n', '>', 999), 'n=1e3', true],
    ['hex float', num('n', '==', 1), 'n=0x1p0', true],
    ['+Inf', num('n', '>', 1e308), 'n=+Inf', true],
    ['duration >', dur('d', '>', 250 * MS), 'd=300ms', true],
    ['duration compound', dur('d', '>=', 90 * 60 * S), 'd=1h30m', true],
    ['duration <', dur('d', '<', 2 * 60 * S), 'd=2m58s', false],
    ['duration µs', dur('d', '==', 5000), 'd=5µs', true],
    ['duration fraction', dur('d', '==', 1500 * MS), 'd=1.5s', true],
    ['duration negative', dur('d', '<', 0), 'd=-5s', true],
    ['bytes >', bytes('b', '>', 10e6), 'b=10.7MB', true],
    ['bytes KiB', bytes('b', '==', 436 * 1024), 'b=436KiB', true],
    ['bytes <', bytes('b', '<', 10), 'b=9B', true],
    ['bytes no unit', bytes('b', '==', 42), 'b=42', true],
    ['bytes space and comma', bytes('b', '==', 1_500_000), 'b="1,500 kB"', true],
    ['string =', str('level', '=', 'warn'), 'level=warn', true],
    ['string != on missing', str('level', '!=', 'warn'), 'x=1', true],
    ['string = "" on missing', str('level', '=', ''), 'x=1', true],
    ['string =~ anchored', str('user', '=~', 'a.*'), 'user=bob', false],
    ['string =~ anchored hit', str('user', '=~', 'a.*|b.*'), 'user=bob', true],
    ['string !~ keeps a value without a or b', str('user', '!~', 'a.*|b.*'), 'user=erin', true],
    ['string !~ "a.*" is a substring test in Loki', str('user', '!~', 'a.*|b.*'), 'user=frank', false],
    ['string =~ ".*lit" is a substring test in Loki', str('path', '=~', '.*api'), 'path=/api/v1', true],
    ['string =~ literal is exact', str('user', '=~', 'bob'), 'user=bobby', false],
    ['string =~ alternation of literals', str('user', '=~', 'bob|carol'), 'user=carol', true],
    ['string =~ (?i) literal', str('level', '=~', '(?i)warn'), 'level=WARN', true],
    ['string =~ single characters use the regex', str('c', '=~', 'a|b'), 'c=xa', false],
    ['string =~ common first character uses the regex', str('c', '=~', 'ab.*|ac.*'), 'c=xab', false],
    ['string =~ dot stops at newline', str('m', '=~', 'a.b'), 'm="a\\nb"', false],
    ['string =~ ".+" is non-empty', str('m', '=~', '.+'), 'm=x', true],
    ['string !~ ".*" drops everything', str('m', '!~', '.*'), 'm=x', false],
    ['ip =', ipf('ip', '=', '10.0.0.0/8'), 'ip=10.1.2.3', true],
    ['ip = v6', ipf('ip', '=', '2001:db8::/32'), 'ip=2001:db8::7', true],
    ['ip !=', ipf('ip', '!=', '10.0.0.0/8'), 'ip=10.1.2.3', false],
    ['ip missing', ipf('ip', '=', '10.0.0.0/8'), 'x=1', false],
    ['and', and(num('a', '>', 1), num('b', '>', 1)), 'a=2 b=2', true],
    ['and miss', and(num('a', '>', 1), num('b', '>', 1)), 'a=2 b=0', false],
    ['or', or(num('a', '>', 1), num('b', '>', 1)), 'a=0 b=2', true],
    [
      '(status >= 500 or status == 429) and method != "GET"',
      and(or(num('status', '>=', 500), num('status', '==', 429)), str('method', '!=', 'GET')),
      'status=429 method=POST',
      true,
    ],
    [
      'user !~ "a.*|b.*" and level="warn" or reason="account locked"',
      or(and(str('user', '!~', 'a.*|b.*'), str('level', '=', 'warn')), str('reason', '=', 'account locked')),
      'user=alice level=info reason="account locked"',
      true,
    ],
  ]
  it.each(cases)('%s on %j', (_n, f, line, kept) => {
    const out = run([logfmt(), filter(f)], line)
    expect(out !== null).toBe(kept)
    if (out) expect(out.__error__).toBeUndefined()
  })

  const errors: Array<[LabelFilter, string, string]> = [
    [num('user_name', '>', 5), 'user_name=bob', 'strconv.ParseFloat: parsing "bob": invalid syntax'],
    [num('n', '>', 5), 'n=1__000', 'strconv.ParseFloat: parsing "1__000": invalid syntax'],
    [num('n', '>', 5), 'n=1e999', 'strconv.ParseFloat: parsing "1e999": value out of range'],
    [num('n', '>', 5), 'n=0x10', 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    [dur('d', '>', 1), 'd=5', 'time: missing unit in duration "5"'],
    [dur('d', '>', 1), 'd=1d', 'time: unknown unit "d" in duration "1d"'],
    [dur('d', '>', 1), 'd=fast', 'time: invalid duration "fast"'],
    [dur('d', '>', 1), 'd=5é', 'time: unknown unit "\\xc3\\xa9" in duration "5\\xc3\\xa9"'],
    [bytes('b', '>', 1), 'b=12XB', 'unhandled size name: xb'],
    [bytes('b', '>', 1), 'b=MB', 'strconv.ParseFloat: parsing "": invalid syntax'],
  ]
  it.each(errors)('%j on %j keeps the line with LabelFilterErr', (f, line, details) => {
    const out = run([logfmt(), filter(f)], line)
    expect(out).not.toBeNull()
    expect(out?.__error__).toBe('LabelFilterErr')
    expect(out?.__error_details__).toBe(details)
  })
})

describe('label filters and errors', () => {
  it('only string matchers filter on __error__', () => {
    const stages = [json(), filter(str('__error__', '=', 'JSONParserErr'))]
    expect(run(stages, 'not json')).not.toBeNull()
    expect(run(stages, '{"a":1}')).toBeNull()
  })

  it('__error__ != "" keeps only failed lines', () => {
    const stages = [json(), filter(num('user_name', '>', 5)), filter(str('__error__', '!=', ''))]
    expect(run(stages, '{"user_name":"bob"}')?.__error__).toBe('LabelFilterErr')
    expect(run(stages, '{"user_name":"7"}')).toBeNull()
  })

  it('a conversion error does not replace an earlier error', () => {
    const out = run([json(), filter(num('x', '>', 1))], '{"x":"abc",')
    expect(out?.__error__).toBe('JSONParserErr')
  })

  it('a numeric filter on a label missing after a parse error drops the line', () => {
    expect(run([json(), filter(num('status', '>=', 500))], 'panic: boom')).toBeNull()
  })

  it('ip filters let lines with an error through', () => {
    expect(run([json(), filter(ipf('ip', '=', '10.0.0.0/8'))], 'not json')?.__error__).toBe('JSONParserErr')
  })

  it('an invalid ip pattern is rejected when building', () => {
    expect(() => buildPipeline([filter(ipf('ip', '=', 'nope'))])).toThrow(/ip: invalid pattern/)
  })

  it('and evaluates both sides, or stops at the first match', () => {
    const andOut = run([logfmt(), filter(and(num('a', '>', 5), num('b', '>', 1)))], 'a=1 b=x')
    expect(andOut).toBeNull()
    const orOut = run([logfmt(), filter(or(num('a', '<', 5), num('b', '>', 1)))], 'a=1 b=x')
    expect(orOut?.__error__).toBeUndefined()
  })
})
