import { describe, expect, it } from 'vitest'
import { buildPipeline, type Metadata } from './pipeline'
import {
  decolorize,
  drop,
  filter,
  json,
  keep,
  labelFmt,
  lf,
  lineFmt,
  logfmt,
  matcher,
  num,
  str,
} from '../../../test/support/pipeline-ast'
import type { StageExpr } from '../syntax/ast'

function run(stages: StageExpr[], line: string, stream: Record<string, string> = {}, md?: Metadata, ts = 0n) {
  return buildPipeline(stages).forStream(stream).process(ts, line, md)
}

describe('labels and categories', () => {
  it('no stage returns the stream labels unchanged', () => {
    const r = run([], 'x', { b: '2', a: '1' })
    expect(r?.line).toBe('x')
    expect(r?.labels.key).toBe('{a="1", b="2"}')
    expect(r?.labels.pairs).toEqual([
      ['a', '1'],
      ['b', '2'],
    ])
  })

  it('structured metadata joins the labels in its own category', () => {
    const r = run([], 'x', { app: 'api' }, [['trace_id', 'abc'], ['detected_level', 'info']])
    expect(r?.labels.key).toBe('{app="api", detected_level="info", trace_id="abc"}')
    expect(r?.labels.stream).toEqual({ app: 'api' })
    expect(r?.labels.structuredMetadata).toEqual({ trace_id: 'abc', detected_level: 'info' })
    expect(r?.labels.parsed).toEqual({})
  })

  it('structured metadata named like a stream label gets _extracted', () => {
    const r = run([], 'x', { service_name: 'api' }, [['service_name', 'other']])
    expect(r?.labels.labels).toEqual({ service_name: 'api', service_name_extracted: 'other' })
  })

  it('a parsed label hides structured metadata of the same name, without suffix', () => {
    const r = run([json()], '{"level":"warn","detected_level":"x"}', { app: 'a' }, [['detected_level', 'info']])
    expect(r?.labels.parsed).toEqual({ level: 'warn', detected_level: 'x' })
    expect(r?.labels.structuredMetadata).toEqual({})
  })

  it('parsed labels, structured metadata and errors are categorized', () => {
    const r = run([json()], '{"status":500,', { app: 'api' }, [['detected_level', 'error']])
    expect(r?.labels.stream).toEqual({ app: 'api' })
    expect(r?.labels.structuredMetadata).toEqual({ detected_level: 'error' })
    expect(r?.labels.parsed).toEqual({
      status: '500',
      __error__: 'JSONParserErr',
      __error_details__: "Value is array, but can't find closing ']' symbol",
    })
  })

  it('equal label sets are the same interned object; a changed set is not', () => {
    const sp = buildPipeline([logfmt()]).forStream({ app: 'x' })
    const a = sp.process(0n, 'k=1')
    const b = sp.process(1n, 'k=1')
    const c = sp.process(2n, 'k=2')
    expect(a?.labels).toBe(b?.labels)
    expect(c?.labels.key).toBe('{app="x", k="2"}')
  })

  it('the same label set split differently between categories stays distinct', () => {
    const sp = buildPipeline([logfmt()]).forStream({ app: 'x' })
    const parsed = sp.process(0n, 'level=info')
    const meta = sp.process(1n, '', [['level', 'info']])
    expect(parsed?.labels.key).toBe(meta?.labels.key)
    expect(parsed?.labels.parsed).toEqual({ level: 'info' })
    expect(meta?.labels.structuredMetadata).toEqual({ level: 'info' })
  })

  it('keys quote values like Go', () => {
    const r = run([], 'x', { a: 'say "hi"\n\\', b: 'tab\there', c: 'é\u0001' })
    expect(r?.labels.key).toBe('{a="say \\"hi\\"\\n\\\\", b="tab\\there", c="é\\x01"}')
  })

  it('forStream caches per stream and does not mix streams', () => {
    const p = buildPipeline([logfmt()])
    const a = p.forStream({ app: 'a' })
    expect(p.forStream({ app: 'a' })).toBe(a)
    expect(p.forStream({ app: 'b' }).process(0n, 'x=1')?.labels.key).toBe('{app="b", x="1"}')
    expect(a.process(0n, 'x=1')?.labels.key).toBe('{app="a", x="1"}')
  })

})

describe('filters in a pipeline', () => {
  it('drops lines and returns null', () => {
    const stages = [lf('|=', 'error'), logfmt(), filter(num('status', '>=', 500))]
    expect(run(stages, 'level=info status=500')).toBeNull()
    expect(run(stages, 'level=error status=404')).toBeNull()
    expect(run(stages, 'level=error status=503')?.labels.labels).toEqual({ level: 'error', status: '503' })
  })
})

describe('| line_format', () => {
  it.each([
    ['{{.level}} {{.job_id}}', 'level=info job_id=j-1', 'info j-1'],
    ['{{.level | ToUpper}} {{__line__}}', 'level=info', 'INFO level=info'],
    ['{{.missing}}', 'a=1', ''],
    ['[{{.missing}}]', 'a=1', '[]'],
    ['{{ __timestamp__ | unixEpochMillis }}', 'a=1', '1793492999123'],
  ])('%s on %j', (tmpl, line, want) => {
    expect(run([logfmt(), lineFmt(tmpl)], line, {}, undefined, 1793492999123456789n)?.line).toBe(want)
  })

  it('a template error keeps the line and sets TemplateFormatErr', () => {
    const r = run([logfmt(), lineFmt('{{ if ge .status 400 }}bad{{ end }}')], 'status=500')
    expect(r?.line).toBe('status=500')
    expect(r?.labels.labels.__error__).toBe('TemplateFormatErr')
    expect(r?.labels.labels.__error_details__).toMatch(/incompatible types for comparison/)
  })

  it('templates see the error labels, except the bare {{.__error__}} copy (as in Loki)', () => {
    expect(run([json(), lineFmt('x{{.__error__}}')], 'nope')?.line).toBe('xJSONParserErr')
    expect(run([json(), lineFmt('{{.__error__}}')], 'nope')?.line).toBe('')
  })

  it('an invalid template is rejected when building', () => {
    expect(() => buildPipeline([lineFmt('{{.a')])).toThrow(/invalid line template/)
  })

  it('later stages see the new line', () => {
    expect(run([logfmt(), lineFmt('{{.msg}}'), lf('|=', 'boom')], 'msg=boom other=x')?.line).toBe('boom')
    expect(run([logfmt(), lineFmt('{{.msg}}'), lf('|=', 'other')], 'msg=boom other=x')).toBeNull()
  })
})

describe('| label_format', () => {
  it('rename moves the label, template keeps the source', () => {
    const r = run([logfmt(), labelFmt(['who', 'user', true], ['lvl', '{{.level}}-{{.app}}', false])], 'user=bob level=warn', { app: 'auth' })
    expect(r?.labels.labels).toEqual({ app: 'auth', who: 'bob', level: 'warn', lvl: 'warn-auth' })
    expect(r?.labels.parsed).toEqual({ who: 'bob', level: 'warn', lvl: 'warn-auth' })
  })

  it('renaming a stream label removes it from the stream labels', () => {
    const r = run([labelFmt(['svc', 'app', true])], 'x', { app: 'auth', env: 'prod' })
    expect(r?.labels.stream).toEqual({ env: 'prod' })
    expect(r?.labels.parsed).toEqual({ svc: 'auth' })
  })

  it('renaming a missing label does nothing', () => {
    expect(run([labelFmt(['a', 'nope', true])], 'x', { b: '1' })?.labels.labels).toEqual({ b: '1' })
  })

  it('templates of one stage see the labels as they were before the stage', () => {
    const r = run([logfmt(), labelFmt(['a', 'x{{.a}}', false], ['b', '{{.a}}', false])], 'a=1')
    expect(r?.labels.labels).toEqual({ a: 'x1', b: '1' })
  })

  it('a template error sets TemplateFormatErr and leaves the label', () => {
    const r = run([logfmt(), labelFmt(['n', '{{ ge .status 400 }}', false])], 'status=500')
    expect(r?.labels.labels.__error__).toBe('TemplateFormatErr')
    expect(r?.labels.labels.n).toBeUndefined()
  })

  it.each([
    [labelFmt(['__error__', 'x', true]), /__error__ cannot be formatted/],
    [labelFmt(['a', 'b', true], ['a', 'c', true]), /multiple label name 'a'/],
  ])('rejects %j', (stage, err) => {
    expect(() => buildPipeline([stage])).toThrow(err)
  })
})

describe('| drop and | keep', () => {
  const line = 'user=bob level=warn client_ip=1.2.3.4'
  const stream = { app: 'auth', env: 'prod' }
  it.each([
    [drop('user', 'env'), { app: 'auth', level: 'warn', client_ip: '1.2.3.4' }],
    [drop(matcher('level', '=', 'warn')), { app: 'auth', env: 'prod', user: 'bob', client_ip: '1.2.3.4' }],
    [drop(matcher('level', '=', 'info')), { app: 'auth', env: 'prod', user: 'bob', level: 'warn', client_ip: '1.2.3.4' }],
    [drop(matcher('user', '=~', 'b.*')), { app: 'auth', env: 'prod', level: 'warn', client_ip: '1.2.3.4' }],
    [drop('nope'), { app: 'auth', env: 'prod', user: 'bob', level: 'warn', client_ip: '1.2.3.4' }],
    [keep('user', 'app'), { app: 'auth', user: 'bob' }],
    [keep(matcher('level', '=', 'info'), 'user'), { user: 'bob' }],
    [keep(matcher('level', '!=', 'info')), { level: 'warn' }],
  ])('%j', (stage, want) => {
    expect({ ...run([logfmt(), stage], line, stream)?.labels.labels }).toEqual(want)
  })

  it('keep never removes the error labels; drop __error__ clears the error', () => {
    const kept = run([json(), keep('level')], '{"level":"error","msg":"trunc')
    expect(kept?.labels.labels).toEqual({
      level: 'error',
      __error__: 'JSONParserErr',
      __error_details__: `Value is string, but can't find closing '"' symbol`,
    })
    const dropped = run([json(), drop('__error__', '__error_details__')], 'nope', { app: 'x' })
    expect(dropped?.labels.labels).toEqual({ app: 'x' })
  })

  it('drop then filter on a dropped structured metadata label', () => {
    const stages = [filter(str('detected_level', '=', 'error')), drop('detected_level')]
    expect(run(stages, 'x', { app: 'db' }, [['detected_level', 'error']])?.labels.labels).toEqual({ app: 'db' })
    expect(run(stages, 'x', { app: 'db' }, [['detected_level', 'info']])).toBeNull()
  })
})

describe('| decolorize', () => {
  it.each([
    ['\u001b[31mERROR\u001b[0m disk full', 'ERROR disk full'],
    ['\u001b[1;32mok\u001b[m', 'ok'],
    ['plain line', 'plain line'],
    ['\u001b]0;title\u0007rest', 'rest'],
  ])('%j', (line, want) => {
    expect(run([decolorize()], line)?.line).toBe(want)
  })
})

describe('streams of one pipeline', () => {
  it('a key colliding with one stream label is suffixed only in that stream', () => {
    for (const stages of [[json()], [logfmt()]]) {
      const p = buildPipeline(stages)
      const line = stages[0]?.kind === 'LabelParserExpr' && stages[0].op === 'json' ? '{"level":"x"}' : 'level=x'
      expect(p.forStream({ level: 'stream' }).process(0n, line)?.labels.labels).toEqual({ level: 'stream', level_extracted: 'x' })
      expect(p.forStream({ app: 'a' }).process(0n, line)?.labels.labels).toEqual({ app: 'a', level: 'x' })
    }
  })
})
