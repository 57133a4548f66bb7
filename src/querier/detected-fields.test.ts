import { describe, expect, it } from 'vitest'
import { detectFields, detectFieldValues, type FieldStream } from './detected-fields'
import { determineType } from './field-types'
import { jsonLabelPaths } from './json-paths'
import { detectLabels, isUuid } from './detected-labels'

function entry(line: string, sm: Record<string, string> = {}, parsed: Record<string, string> = {}) {
  return { ts: 1n, line, structuredMetadata: sm, parsed }
}

describe('determineType', () => {
  it.each([
    ['42', 'int'],
    ['-7', 'int'],
    ['9223372036854775808', 'float'],
    ['1.5', 'float'],
    ['1e3', 'float'],
    ['true', 'boolean'],
    ['F', 'boolean'],
    ['15ms', 'duration'],
    ['1h2m', 'duration'],
    ['12KB', 'bytes'],
    ['3 MiB', 'bytes'],
    ['hello', 'string'],
    ['', 'string'],
  ])('%j → %s', (v, t) => {
    expect(determineType(v)).toBe(t)
  })
})

describe('jsonLabelPaths', () => {
  it.each([
    ['{"a":{"b-c":1}}', [], { a_b_c: ['a', 'b-c'] }],
    ['{"service":{"name":"x"}}', ['service_name'], { service_name_extracted: ['service', 'name'] }],
    ['{"1x":true,"arr":[1],"n":null}', [], { _1x: ['1x'] }],
    ['{"a":1,"a":2}', [], { a: ['a'] }],
    ['not json', [], {}],
  ])('%s', (line, stream, want) => {
    expect(Object.fromEntries(jsonLabelPaths(line, (n) => (stream as string[]).includes(n)))).toEqual(want)
  })
})

describe('detectFields', () => {
  const streams: FieldStream[] = [
    {
      stream: { app: 'x' },
      entries: [
        entry('{"status":"200","lat":1.5,"app":"y"}', { trace_id: 't1' }),
        entry('{"status":"ok","lat":2}', { trace_id: 't2' }),
        entry('level=info queue=a'),
      ],
    },
  ]

  it('types come from the last entry with the field; metadata has no parsers; parsers merge', () => {
    const fields = Object.fromEntries(detectFields(streams, 100).map((f) => [f.label, f]))
    expect(fields.status).toEqual({ label: 'status', type: 'string', cardinality: 2, parsers: ['json'], jsonPath: ['status'] })
    expect(fields.lat).toEqual({ label: 'lat', type: 'int', cardinality: 2, parsers: ['json'], jsonPath: ['lat'] })
    expect(fields.trace_id).toEqual({ label: 'trace_id', type: 'string', cardinality: 2, parsers: null })
    expect(fields.app_extracted?.jsonPath).toEqual(['app'])
    expect(fields.queue).toEqual({ label: 'queue', type: 'string', cardinality: 1, parsers: ['logfmt'] })
  })

  it('labels the query already parsed count as fields, errors do not', () => {
    const fields = detectFields([{ stream: { app: 'x' }, entries: [entry('plain', {}, { k: 'v', __error__: 'JSONParserErr' })] }], 100)
    expect(fields.map((f) => f.label)).toEqual(['k'])
  })

  it('limit caps the number of fields', () => {
    expect(detectFields(streams, 2)).toHaveLength(2)
  })

  it('values of one field', () => {
    expect(detectFieldValues(streams, 'status', 10).sort()).toEqual(['200', 'ok'])
    expect(detectFieldValues(streams, 'status', 1)).toHaveLength(1)
    expect(detectFieldValues(streams, 'nope', 10)).toEqual([])
  })
})

describe('detectLabels', () => {
  const stream = (labels: Record<string, string>) => ({ fingerprint: '', labels, canonical: '', firstSeenMs: 0, lastSeenMs: 0 })

  it('drops labels whose values are all numbers or UUIDs unless static', () => {
    const got = detectLabels([
      stream({ app: 'a', id: '550e8400-e29b-41d4-a716-446655440000', n: '1', pod: '3' }),
      stream({ app: 'b', id: '1.5', n: '2', pod: '4' }),
    ])
    expect(got).toEqual([
      { label: 'app', cardinality: 2 },
      { label: 'pod', cardinality: 2 },
    ])
  })

  it.each([
    ['550e8400-e29b-41d4-a716-446655440000', true],
    ['{550e8400-e29b-41d4-a716-446655440000}', true],
    ['urn:uuid:550e8400-e29b-41d4-a716-446655440000', true],
    ['550e8400e29b41d4a716446655440000', true],
    ['550e8400-e29b-41d4-a716-44665544000g', false],
    ['api', false],
  ])('isUuid(%s) = %s', (v, want) => {
    expect(isUuid(v)).toBe(want)
  })
})
