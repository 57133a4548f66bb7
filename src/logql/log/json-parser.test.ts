import { describe, expect, it } from 'vitest'
import { buildPipeline } from './pipeline'
import { json, jsonExpr, unpack } from '../../../test/support/pipeline-ast'
import type { StageExpr } from '../syntax/ast'

function labels(stages: StageExpr[], line: string, stream: Record<string, string> = {}): Record<string, string> | null {
  const r = buildPipeline(stages).forStream(stream).process(0n, line)
  return r ? { ...r.labels.labels } : null
}

describe('| json', () => {
  const cases: Array<[string, Record<string, string>, Record<string, string>]> = [
    [
      '{"app":"foo","namespace":"prod","pod":{"uuid":"foo","deployment":{"ref":"foobar"}}}',
      {},
      { app: 'foo', namespace: 'prod', pod_uuid: 'foo', pod_deployment_ref: 'foobar' },
    ],
    ['{"counter":1, "price": {"_net_":5.56909}}', {}, { counter: '1', price__net_: '5.56909' }],
    ['{" ": {"foo":"bar"}}', {}, { foo: 'bar' }],
    ['{"counter":1,"foo":"foo\\\\\\"bar", "price": {"_net_":5.56909}}', {}, { counter: '1', price__net_: '5.56909', foo: 'foo\\"bar' }],
    ['{"counter":1,"foo":"\ufffd", "price": {"_net_":5.56909}}', {}, { counter: '1', price__net_: '5.56909', foo: ' ' }],
    ['{"counter":1, "price": {"net_":["10","20"]}}', {}, { counter: '1' }],
    ['{"cou-nter":1}', {}, { cou_nter: '1' }],
    ['{"1st":"a","b":{"2nd":"c"}}', {}, { _1st: 'a', b_2nd: 'c' }],
    ['{"ok":true,"bad":false,"n":null,"neg":-1.5e3}', {}, { ok: 'true', bad: 'false', neg: '-1.5e3' }],
    ['{"a":1,}', {}, { a: '1' }],
    ['{"a":"first","a":"second"}', {}, { a: 'first' }],
    ['{"msg":"caf\\u00e9 \\ud83d\\ude00"}', {}, { msg: 'café 😀' }],
    ['{"msg":"bad \\x escape"}', {}, { msg: '' }],
    ['{"héllo wörld":"x"}', {}, { h_llo_w_rld: 'x' }],
    ['  {"a" : "b" }  ', {}, { a: 'b' }],
    ['{}', {}, {}],
    [
      '{"app":"foo","namespace":"prod","pod":{"uuid":"foo","deployment":{"ref":"foobar"}},"next":{"err":false}}',
      { app: 'bar' },
      {
        app: 'bar',
        app_extracted: 'foo',
        namespace: 'prod',
        pod_uuid: 'foo',
        next_err: 'false',
        pod_deployment_ref: 'foobar',
      },
    ],
  ]
  it.each(cases)('%s with stream %j', (line, stream, want) => {
    expect(labels([json()], line, stream)).toEqual({ ...stream, ...want })
  })

  const errors: Array<[string, Record<string, string>, string]> = [
    ['{n}', {}, "Value looks like object, but can't find closing '}' symbol"],
    ['panic: runtime error', {}, "Value looks like object, but can't find closing '}' symbol"],
    ['[1,2,3]', {}, "Value looks like object, but can't find closing '}' symbol"],
    ['', {}, "Value looks like object, but can't find closing '}' symbol"],
    [
      '{"ts":"2026-11-01T01:23:11.571Z","level":"error","msg":"upstream timeout',
      { ts: '2026-11-01T01:23:11.571Z', level: 'error' },
      `Value is string, but can't find closing '"' symbol`,
    ],
    ['{"a":1', { a: '1' }, "Value is array, but can't find closing ']' symbol"],
    ['{"a":tru}', {}, 'Unknown value type'],
    ['{"a":1 "b":2}', { a: '1' }, "Value looks like object, but can't find closing '}' symbol"],
    ['{"a":{"b":1}', { a_b: '1' }, "Value is array, but can't find closing ']' symbol"],
    ['{"a" 1}', {}, 'Malformed JSON error'],
  ]
  it.each(errors)('invalid %j keeps %j and reports %s', (line, kept, details) => {
    expect(labels([json()], line)).toEqual({ ...kept, __error__: 'JSONParserErr', __error_details__: details })
  })

  it('deeply nested objects do not overflow the stack', () => {
    const depth = 5000
    const line = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    const out = labels([json()], line)
    expect(out).not.toBeNull()
    expect(out?.__error__).toBeUndefined()
  })

  it('a 5 MB line is parsed', () => {
    const big = 'x'.repeat(5_000_000)
    expect(labels([json()], `{"big":"${big}","n":2}`)).toEqual({ big, n: '2' })
  })

  it('does not change the line', () => {
    const line = '{"a":"b"}'
    expect(buildPipeline([json()]).forStream({}).process(1n, line)?.line).toBe(line)
  })
})

describe('| json with parameters', () => {
  const line =
    '{"app":"foo","field with space":"value","field with ÜFT8👌":"value","null_field":null,"bool_field":false,"namespace":"prod","pod":{"uuid":"foo","deployment":{"ref":"foobar", "params": [1,2,3,"string_value"]}}}'
  const cases: Array<[string, string, Record<string, string>, Record<string, string>]> = [
    ['app', 'app', {}, { app: 'foo' }],
    ['test', '["field with space"]', {}, { test: 'value' }],
    ['utf8', '["field with ÜFT8👌"]', {}, { utf8: 'value' }],
    ['uuid', 'pod.uuid', {}, { uuid: 'foo' }],
    ['uuid', 'pod["uuid"]', {}, { uuid: 'foo' }],
    ['uuid', '["pod"]["uuid"]', {}, { uuid: 'foo' }],
    ['uuid', '["pod"].uuid', {}, { uuid: 'foo' }],
    ['param', 'pod.deployment.params[0]', {}, { param: '1' }],
    ['param', 'pod.deployment.params[3]', {}, { param: 'string_value' }],
    ['param', 'pod.deployment.params[9]', {}, { param: '' }],
    ['params', 'pod.deployment.params', {}, { params: '[1,2,3,"string_value"]' }],
    ['deployment', 'pod.deployment', {}, { deployment: '{"ref":"foobar", "params": [1,2,3,"string_value"]}' }],
    ['nope', 'pod.nope', {}, { nope: '' }],
    ['nf', 'null_field', {}, { nf: '' }],
    ['bool', 'bool_field', {}, { bool: 'false' }],
    ['uuid', 'pod.uuid', { uuid: 'bar' }, { uuid: 'bar', uuid_extracted: 'foo' }],
    ['request_size', 'request.size.invalid', { uuid: 'bar' }, { uuid: 'bar', request_size: '' }],
  ]
  it.each(cases)('%s=%s with stream %j', (id, expr, stream, want) => {
    expect(labels([jsonExpr([id, expr])], line, stream)).toEqual(want)
  })

  it.each([
    ['{"app":"{ \\"key\\": \\"value\\", \\"key2\\":\\"value2\\"}"}', '{ "key": "value", "key2":"value2"}'],
    ['{"app":{"name":"great \\"loki\\""}}', '{"name":"great \\"loki\\""}'],
  ])('object and escaped values: %s', (l, want) => {
    expect(labels([jsonExpr(['app', 'app'])], l, { foo: 'bar' })).toEqual({ foo: 'bar', app: want })
  })

  it('an empty line yields no label', () => {
    expect(labels([jsonExpr(['uuid', 'will.not.work'])], '', { foo: 'bar' })).toEqual({ foo: 'bar' })
  })

  it('a line that cannot be JSON is a JSONParserErr without details', () => {
    expect(labels([jsonExpr(['uuid', 'will.not.work'])], 'invalid json', { foo: 'bar' })).toEqual({
      foo: 'bar',
      __error__: 'JSONParserErr',
    })
  })

  it('several paths including an array element and a header with a dash', () => {
    const l = '{"user":{"id":"u-1","roles":["admin","viewer"]},"request":{"headers":{"User-Agent":"curl/8"}},"status":200,"tags":[]}'
    expect(
      labels([jsonExpr(['uid', 'user.id'], ['ua', 'request.headers["User-Agent"]'], ['role0', 'user.roles[0]'], ['status', 'status'], ['tags', 'tags'])], l),
    ).toEqual({ uid: 'u-1', ua: 'curl/8', role0: 'admin', status: '200', tags: '[]' })
  })

  it('first of duplicate keys wins', () => {
    expect(labels([jsonExpr(['a', 'a'])], '{"a":1,"a":2}')).toEqual({ a: '1' })
  })

  it('a malformed path is rejected when the pipeline is built', () => {
    expect(() => buildPipeline([jsonExpr(['a', 'a[b'])])).toThrow(/cannot parse expression/)
  })
})

describe('| unpack', () => {
  it.each([
    ['{"job":"123","pod":"someuid123","app":"foo","_entry":"10.1.0.88 - - GET /"}', { app: 'x' }, '10.1.0.88 - - GET /', { app: 'x', app_extracted: 'foo', job: '123', pod: 'someuid123' }],
    ['{"_entry":"multi\\nline","n":1}', {}, 'multi\nline', {}],
    ['{"job":"123"}', {}, '{"job":"123"}', {}],
  ])('%s', (line, stream, wantLine, want) => {
    const r = buildPipeline([unpack()]).forStream(stream).process(0n, line)
    expect(r?.line).toBe(wantLine)
    expect({ ...r?.labels.labels }).toEqual({ ...stream, ...want })
  })

  it.each([
    ['not json', 'expecting json object(6), but it is not'],
    ['{"_entry":"x"', "Value is array, but can't find closing ']' symbol"],
  ])('invalid %s', (line, details) => {
    const r = buildPipeline([unpack()]).forStream({}).process(0n, line)
    expect(r?.line).toBe(line)
    expect({ ...r?.labels.labels }).toEqual({ __error__: 'JSONParserErr', __error_details__: details })
  })
})
