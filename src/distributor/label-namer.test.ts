import { describe, expect, it } from 'vitest'
import { buildLabelName, LabelNameError } from './label-namer'

// Loki 3.7.6's names for these attributes are in test/fixtures/otlp/recorded.json (names-*).
const cases: Array<[string, string]> = [
  ['service.name', 'service_name'],
  ['http.request.method', 'http_request_method'],
  ['a..b', 'a_b'],
  ['a__b', 'a_b'],
  ['_private', '_private'],
  ['__reserved__', '__reserved__'],
  ['__a.b__', '__a_b__'],
  ['123abc', 'key_123abc'],
  ['ünï', '_n_'],
  ['weird-key.with/chars', 'weird_key_with_chars'],
  ['emoji😀x', 'emoji_x'],
]

describe('buildLabelName', () => {
  it.each(cases)('%s', (name, want) => {
    expect(buildLabelName(name)).toBe(want)
  })

  it.each([
    ['', 'label name is empty'],
    ['..', 'normalization for label name ".." resulted in invalid name "_"'],
    ['___', 'normalization for label name "___" resulted in invalid name "_"'],
  ])('refuses %j', (name, message) => {
    expect(() => buildLabelName(name)).toThrow(new LabelNameError(message))
  })
})
