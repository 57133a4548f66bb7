/**
 * Behaviour of the engine's API beyond single renderings: error classes, reuse of a compiled
 * template across lines (including after a failed line), per-line `__line__`/`__timestamp__`,
 * and which names count as template functions.
 */
import { describe, expect, it } from 'vitest'
import { compileTemplate, isTemplateFunction, TemplateExecError, TemplateParseError } from './compile'

const data = (labels: Record<string, string>, line = '', timestampNs = 0n) => ({ labels, line, timestampNs })

describe('compileTemplate', () => {
  it.each([
    ['{{ .foo', 'line', 'template: line:1: unclosed action'],
    ['{{ nope }}', 'label', 'template: label:1: function "nope" not defined'],
    ['{{ toJson . }}', 'line', 'template: line:1: function "toJson" not defined'],
  ])('%s (%s) is a TemplateParseError', (text, name, message) => {
    expect(() => compileTemplate(text, name)).toThrow(TemplateParseError)
    expect(() => compileTemplate(text, name)).toThrow(message)
  })

  it('keeps working for later lines after a line fails', () => {
    const t = compileTemplate('{{ if ge .status 400 }}error{{ else }}ok{{ end }}')
    expect(() => t.execute(data({ status: '500' }))).toThrow(TemplateExecError)
    expect(() => t.execute(data({ status: '500' }))).toThrow(
      'template: line:1:6: executing "line" at <ge .status 400>: error calling ge: incompatible types for comparison: string and int',
    )
    const numeric = compileTemplate('{{ if ge (int .status) 400 }}error{{ else }}ok{{ end }}')
    expect(numeric.execute(data({ status: '500' }))).toBe('error')
    expect(numeric.execute(data({ status: '200' }))).toBe('ok')
  })

  it('does not leak variables or output from a failed line into the next one', () => {
    const t = compileTemplate('{{ $x := .a }}{{ $x }}-{{ index .b 5 }}')
    expect(() => t.execute(data({ a: '1', b: 'xy' }))).toThrow(TemplateExecError)
    expect(t.execute(data({ a: '2', b: 'abcdefg' }))).toBe('2-102')
  })

  it('sees each line and timestamp it is given', () => {
    const t = compileTemplate('{{ __line__ }}@{{ __timestamp__ | unixEpochMillis }}')
    expect(t.execute(data({}, 'first', 1_000_000_000n))).toBe('first@1000')
    expect(t.execute(data({}, 'second', 2_500_000_000n))).toBe('second@2500')
  })

  it('renders a lone field straight from the labels, missing as empty', () => {
    const t = compileTemplate('{{.message}}')
    expect(t.execute(data({ message: 'hello' }))).toBe('hello')
    expect(t.execute(data({}))).toBe('')
    expect(compileTemplate('{{.toString}}').execute(data({ toString: 'x' }))).toBe('x')
  })

  it('does not treat Object.prototype names as labels', () => {
    const t = compileTemplate('[{{ .constructor }}][{{ .hasOwnProperty }}]')
    expect(t.execute(data({}))).toBe('[][]')
  })

  it('gives `now` the current time', () => {
    const t = compileTemplate('{{ now | unixEpoch }}')
    const got = Number(t.execute(data({})))
    expect(Math.abs(got - Date.now() / 1000)).toBeLessThan(5)
  })

  it('reads `now` and `date` of a non-time from the clock the data fixes', () => {
    const t = compileTemplate('{{ now | unixEpoch }} {{ date "2006-01-02 15:04" .x }}')
    expect(t.execute({ ...data({ x: 'not a time' }), nowNs: 1_700_000_000_500_000_000n })).toBe('1700000000 2023-11-14 22:13')
  })
})

describe('isTemplateFunction', () => {
  it.each([
    ['ToUpper', true], ['regexReplaceAll', true], ['b64dec', true], ['printf', true], ['__line__', true],
    ['toJson', false], ['env', false], ['constructor', false], ['', false],
  ])('%s → %s', (name, want) => {
    expect(isTemplateFunction(name)).toBe(want)
  })
})
