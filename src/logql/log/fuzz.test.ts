import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { buildPipeline } from './pipeline'
import { decolorize, json, lf, logfmt, pattern, unpack } from '../../../test/support/pipeline-ast'

const parsers = [json(), logfmt(), logfmt(true, true), unpack(), pattern('<a> <_> "<b>"'), decolorize(), lf('|=', 'ip:10.0.0.0/8')]

describe('arbitrary input', () => {
  it('no stage throws, and a line is returned for every input', () => {
    const streams = parsers.map((s) => buildPipeline([s]).forStream({ app: 'x' }))
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.json(), fc.string({ unit: fc.constantFrom('{', '}', '"', '\\', ':', ',', '[', ']', '=', ' ', 'a', '1') })), (line) => {
        for (const sp of streams.slice(0, 6)) {
          const out = sp.process(0n, line)
          expect(out).not.toBeNull()
          expect(typeof out?.labels.key).toBe('string')
        }
        streams[6]?.process(0n, line)
      }),
      { numRuns: 400 },
    )
  })

  it('| json agrees with JSON.parse on flat objects of strings and numbers', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/)
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean())
    const sp = buildPipeline([json()]).forStream({})
    fc.assert(
      fc.property(fc.dictionary(key, value), (obj) => {
        const line = JSON.stringify(obj)
        const want: Record<string, string> = {}
        for (const [k, v] of Object.entries(obj)) want[k] = typeof v === 'string' ? v.replaceAll('\ufffd', ' ') : String(v)
        expect({ ...sp.process(0n, line)?.labels.labels }).toEqual(want)
      }),
      { numRuns: 300 },
    )
  })

  it('| logfmt reads back what a logfmt encoder wrote', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/)
    const value = fc.string({ minLength: 1 }).filter((s) => !s.includes('\ufffd'))
    const sp = buildPipeline([logfmt()]).forStream({})
    fc.assert(
      fc.property(fc.dictionary(key, value), (obj) => {
        const line = Object.entries(obj)
          .map(([k, v]) => `${k}=${/[\s="\\]/.test(v) || v === '' ? JSON.stringify(v) : v}`)
          .join(' ')
        expect({ ...sp.process(0n, line)?.labels.labels }).toEqual(obj)
      }),
      { numRuns: 300 },
    )
  })
})
