import { describe, expect, it } from 'vitest'
import type { OtlpValue } from './model'
import { valueAsString } from './value'

const s = (value: string): OtlpValue => ({ kind: 'string', value })
const kv = (key: string, value: OtlpValue) => ({ key, value })

// Expected texts are pdata's `Value.AsString` output (Go), partly as Loki 3.7.6 stored them in
// test/fixtures/otlp/recorded.json (bodies-*).
const cases: Array<[string, OtlpValue, string]> = [
  ['empty', { kind: 'empty' }, ''],
  ['string kept as is', s('a "b"\n'), 'a "b"\n'],
  ['bool', { kind: 'bool', value: false }, 'false'],
  ['int64 beyond doubles', { kind: 'int', value: -9007199254740993n }, '-9007199254740993'],
  ['double integral', { kind: 'double', value: 3 }, '3'],
  ['double large', { kind: 'double', value: 1e21 }, '1e+21'],
  ['double small', { kind: 'double', value: 1e-7 }, '1e-7'],
  ['double negative zero', { kind: 'double', value: -0 }, '-0'],
  ['double NaN', { kind: 'double', value: NaN }, 'NaN'],
  ['double infinity', { kind: 'double', value: -Infinity }, '-Infinity'],
  ['bytes as base64', { kind: 'bytes', value: new Uint8Array([104, 101, 108, 108, 111]) }, 'aGVsbG8='],
  ['array as JSON', { kind: 'array', value: [s('x'), { kind: 'int', value: -7n }, { kind: 'bytes', value: new Uint8Array([1, 2, 3]) }] }, '["x",-7,"AQID"]'],
  [
    'map sorted, no HTML escaping, nested',
    { kind: 'kvlist', value: [kv('msg', s('hi <b>&</b>')), kv('level', s('warn')), kv('n', { kind: 'int', value: 3n }), kv('a', { kind: 'array', value: [{ kind: 'double', value: 1.5 }, { kind: 'bool', value: true }, { kind: 'empty' }] })] },
    '{"a":[1.5,true,null],"level":"warn","msg":"hi <b>&</b>","n":3}',
  ],
  ['map: later duplicate wins', { kind: 'kvlist', value: [kv('k', s('1')), kv('k', s('2'))] }, '{"k":"2"}'],
  ['map: control characters escaped as Go does', { kind: 'kvlist', value: [kv('k', s('\u0001\b\f\t\u2028"\\'))] }, '{"k":"\\u0001\\b\\f\\t\\u2028\\"\\\\"}'],
  ['map holding NaN cannot be encoded', { kind: 'kvlist', value: [kv('k', { kind: 'double', value: NaN })] }, ''],
  ['empty map', { kind: 'kvlist', value: [] }, '{}'],
  ['empty array', { kind: 'array', value: [] }, '[]'],
]

describe('valueAsString', () => {
  it.each(cases)('%s', (_name, v, want) => {
    expect(valueAsString(v)).toBe(want)
  })
})
