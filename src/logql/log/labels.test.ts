import { describe, expect, it } from 'vitest'
import { BaseLabels, LabelsBuilder, PARSED, STREAM, STRUCTURED_METADATA, processedFromRecord } from './labels'

function builder(stream: Record<string, string> = { app: 'api', env: 'prod' }): LabelsBuilder {
  const b = new LabelsBuilder(new BaseLabels(stream))
  b.reset()
  return b
}

describe('LabelsBuilder', () => {
  it('an untouched line returns the stream result', () => {
    const b = builder()
    expect(b.result()).toBe(b.base.result)
    expect(b.result().key).toBe('{app="api", env="prod"}')
  })

  it('parsed beats structured metadata beats stream', () => {
    const b = builder()
    b.set(STRUCTURED_METADATA, 'env', 'meta')
    expect(b.get('env')).toBe('meta')
    b.set(PARSED, 'env', 'parsed')
    expect(b.get('env')).toBe('parsed')
    b.set(STRUCTURED_METADATA, 'env', 'ignored')
    b.set(STREAM, 'env', 'ignored too')
    expect(b.get('env')).toBe('parsed')
    expect(b.result().parsed).toEqual({ env: 'parsed' })
    expect(b.result().stream).toEqual({ app: 'api' })
  })

  it('add suffixes names taken by stream labels and routes error names', () => {
    const b = builder()
    b.add(STRUCTURED_METADATA, 'app', 'x')
    b.add(PARSED, '__error__', 'E')
    b.add(PARSED, '__error_details__', 'D')
    expect(b.result().labels).toEqual({ app: 'api', env: 'prod', app_extracted: 'x', __error__: 'E', __error_details__: 'D' })
  })

  it('delete hides a stream label; a later set brings the name back as parsed', () => {
    const b = builder()
    b.delete('env')
    expect(b.get('env')).toBeUndefined()
    expect(b.result().key).toBe('{app="api"}')
    b.set(PARSED, 'env', 'again')
    expect(b.result().labels).toEqual({ app: 'api', env: 'again' })
  })

  it('extract keeps the first value, set the last', () => {
    const b = builder()
    b.extract('a', '1')
    b.extract('a', '2')
    expect(b.get('a')).toBe('1')
    b.set(PARSED, 'a', '3')
    expect(b.get('a')).toBe('3')
  })

  it('reset forgets everything of the previous line', () => {
    const b = builder()
    b.set(PARSED, 'a', '1')
    b.setError('E', 'D')
    b.delete('app')
    b.reset()
    expect(b.result()).toBe(b.base.result)
    expect(b.isExtracted('a')).toBe(false)
  })

  it('grouped by keeps the groups in name order, without drops them', () => {
    const b = builder()
    b.set(PARSED, 'level', 'info')
    expect(b.grouped(['level', 'app'], false, false).key).toBe('{app="api", level="info"}')
    expect(b.grouped(['app'], true, false).key).toBe('{env="prod", level="info"}')
    expect(b.grouped([], false, true).key).toBe('{}')
    expect(b.grouped([], false, false).key).toBe('{app="api", env="prod", level="info"}')
  })

  it('grouped keeps everything when there is an error', () => {
    const b = builder()
    b.setError('JSONParserErr')
    expect(b.grouped(['app'], false, false).key).toBe('{__error__="JSONParserErr", app="api", env="prod"}')
  })

  it('toRecord includes the error labels', () => {
    const b = builder()
    b.setError('E', 'D')
    expect(b.toRecord()).toEqual({ app: 'api', env: 'prod', __error__: 'E', __error_details__: 'D' })
  })
})

describe('ProcessedLabels', () => {
  it('processedFromRecord sorts and keys', () => {
    const p = processedFromRecord({ z: '1', a: 'x"y' })
    expect(p.key).toBe('{a="x\\"y", z="1"}')
    expect(p.pairs).toEqual([
      ['a', 'x"y'],
      ['z', '1'],
    ])
    expect(p.get('z')).toBe('1')
    expect(p.get('nope')).toBeUndefined()
    expect(processedFromRecord({}).key).toBe('{}')
  })
})
