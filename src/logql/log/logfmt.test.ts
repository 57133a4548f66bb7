import { describe, expect, it } from 'vitest'
import { buildPipeline } from './pipeline'
import { logfmt, logfmtExpr } from '../../../test/support/pipeline-ast'
import type { StageExpr } from '../syntax/ast'

function labels(stages: StageExpr[], line: string, stream: Record<string, string> = {}): Record<string, string> | undefined {
  const r = buildPipeline(stages).forStream(stream).process(0n, line)
  return r ? { ...r.labels.labels } : undefined
}

const S = { foo: 'bar' }

// [line, stream, want (default), want with --strict (undefined = same)]
const cases: Array<[string, Record<string, string>, Record<string, string>, Record<string, string> | undefined]> = [
  [
    'foobar====wqe=sdad1r',
    S,
    {},
    { __error__: 'LogfmtParserErr', __error_details__: "logfmt syntax error at pos 8 : unexpected '='" },
  ],
  ['buzz=foo bar=\ufffdf', {}, { bar: ' f', buzz: 'foo' }, undefined],
  ['buzz bar=foo', S, { bar: 'foo' }, undefined],
  ['foobar="foo bar"', S, { foobar: 'foo bar' }, undefined],
  ['foobar="foo\\nbar\\tbaz"', S, { foobar: 'foo\nbar\tbaz' }, undefined],
  ['foobar="foo\nbar\tbaz"', S, { foobar: 'foo\nbar\tbaz' }, undefined],
  ['foobar="foo ba\\\\r baz"', S, { foobar: 'foo ba\\r baz' }, undefined],
  ['foobar="foo bar" latency=10ms', S, { foobar: 'foo bar', latency: '10ms' }, undefined],
  ['foobar="foo bar" foobar=10ms', S, { foobar: '10ms' }, undefined],
  ['foo="foo bar" foobar=10ms', S, { foo_extracted: 'foo bar', foobar: '10ms' }, undefined],
  ['foo="foo bar" foo.bar=10ms test-dash=foo', S, { foo_extracted: 'foo bar', foo_bar: '10ms', test_dash: 'foo' }, undefined],
  ['', S, {}, undefined],
  [
    'foo="foo bar" =notkey bar=10ms',
    S,
    { foo_extracted: 'foo bar', bar: '10ms' },
    { foo_extracted: 'foo bar', __error__: 'LogfmtParserErr', __error_details__: "logfmt syntax error at pos 15 : unexpected '='" },
  ],
  [
    'foo="foo bar" b\ufffdr=10ms',
    S,
    { foo_extracted: 'foo bar' },
    { foo_extracted: 'foo bar', __error__: 'LogfmtParserErr', __error_details__: 'logfmt syntax error at pos 20 : invalid key' },
  ],
  [
    'foo="foo bar" bu"zz=10ms',
    S,
    { foo_extracted: 'foo bar' },
    { foo_extracted: 'foo bar', __error__: 'LogfmtParserErr', __error_details__: `logfmt syntax error at pos 17 : unexpected '"'` },
  ],
  [
    'bar=bu=zz foo="foo bar"',
    S,
    { foo_extracted: 'foo bar' },
    { __error__: 'LogfmtParserErr', __error_details__: "logfmt syntax error at pos 7 : unexpected '='" },
  ],
  [
    'a=1 msg="unterminated',
    {},
    { a: '1' },
    { a: '1', __error__: 'LogfmtParserErr', __error_details__: 'logfmt syntax error at pos 22 : unterminated quoted value' },
  ],
  [
    'a="bad \\q escape" b=2',
    {},
    { b: '2' },
    { __error__: 'LogfmtParserErr', __error_details__: 'logfmt syntax error at pos 18 : invalid quoted value' },
  ],
  ['1st=x ünï=y', {}, { _1st: 'x', _n_: 'y' }, undefined],
  ['level=info msg="caf\\u00e9"', {}, { level: 'info', msg: 'café' }, undefined],
]

describe('| logfmt', () => {
  it.each(cases)('%j with stream %j', (line, stream, want) => {
    expect(labels([logfmt()], line, stream)).toEqual({ ...stream, ...want })
  })
  it.each(cases)('--strict %j with stream %j', (line, stream, want, strict) => {
    expect(labels([logfmt(true)], line, stream)).toEqual({ ...stream, ...(strict ?? want) })
  })

  it.each([
    ['foo bar=buzz', false, { bar: 'buzz' }],
    ['foo bar=buzz', true, { foo_extracted: '', bar: 'buzz' }],
    ['foo=b\ufffdr bar=buzz', false, { bar: 'buzz', foo_extracted: 'b r' }],
    ['a= b=""', true, { a: '', b: '' }],
    ['a= b=""', false, {}],
  ])('--keep-empty=%s on %j', (line, keepEmpty, want) => {
    expect(labels([logfmt(false, keepEmpty as boolean)], line as string, S)).toEqual({ ...S, ...(want as Record<string, string>) })
  })
})

describe('| logfmt with parameters', () => {
  it.each([
    ['user=bob client_ip=1.2.3.4 reason=x', [['user', 'user'], ['ip', 'client_ip']], {}, { user: 'bob', ip: '1.2.3.4' }],
    ['other=1', [['user', 'user'], ['ip', 'client_ip']], {}, { user: '', ip: '' }],
    ['app=x', [['app', 'app']], { app: 'y' }, { app: 'y', app_extracted: 'x' }],
    ['app=\ufffdx', [['app', 'app']], {}, { app: '' }],
  ] as Array<[string, Array<[string, string]>, Record<string, string>, Record<string, string>]>)(
    '%j with %j',
    (line, exprs, stream, want) => {
      expect(labels([logfmtExpr(false, ...exprs)], line, stream)).toEqual(want)
    },
  )

  it('--strict reports the first malformed pair', () => {
    expect(labels([logfmtExpr(true, ['b', 'b'])], 'a==1 b=2')).toEqual({
      b: '',
      __error__: 'LogfmtParserErr',
      __error_details__: "logfmt syntax error at pos 3 : unexpected '='",
    })
  })
})
