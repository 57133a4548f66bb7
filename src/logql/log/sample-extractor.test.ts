import { describe, expect, it } from 'vitest'
import { buildSampleExtractor } from './sample-extractor'
import { filter, json, lf, logfmt, num, str } from '../../../test/support/pipeline-ast'
import type { Grouping, LabelFilterExpr, RangeAggregationExpr, RangeOp, StageExpr, UnwrapOp } from '../syntax/ast'

function rangeAgg(
  op: RangeOp,
  stages: StageExpr[],
  opts: { unwrap?: [UnwrapOp, string, LabelFilterExpr[]?]; grouping?: Grouping } = {},
): RangeAggregationExpr {
  const selector = { kind: 'MatchersExpr' as const, matchers: [{ name: 'app', type: '=' as const, value: 'x' }] }
  return {
    kind: 'RangeAggregationExpr',
    op,
    param: null,
    grouping: opts.grouping ?? null,
    left: {
      kind: 'LogRangeExpr',
      left: stages.length ? { kind: 'PipelineExpr', left: selector, stages } : selector,
      rangeMs: 60000,
      offsetMs: 0,
      unwrap: opts.unwrap ? { op: opts.unwrap[0], label: opts.unwrap[1], postFilters: opts.unwrap[2] ?? [] } : null,
    },
  }
}

const stream = { app: 'x', env: 'prod' }
const errOnly = (): LabelFilterExpr => ({ kind: 'LabelFilterExpr', filter: str('__error__', '=', '') })

describe('line samples', () => {
  it.each([
    ['count_over_time', 'héllo', 1],
    ['rate', 'abc', 1],
    ['absent_over_time', 'abc', 1],
    ['bytes_over_time', 'héllo', 6],
    ['bytes_rate', '😀', 4],
    ['bytes_over_time', '', 0],
  ] as Array<[RangeOp, string, number]>)('%s of %j', (op, line, want) => {
    const s = buildSampleExtractor(rangeAgg(op, [])).forStream(stream).process(0n, line)
    expect(s?.value).toBe(want)
    expect(s?.labels.key).toBe('{app="x", env="prod"}')
  })

  it('bytes of a line read without its text are its given size, grouped or not', () => {
    expect(buildSampleExtractor(rangeAgg('bytes_over_time', [])).forStream(stream).process(0n, '', undefined, 17)?.value).toBe(17)
    const grouped = buildSampleExtractor(rangeAgg('bytes_rate', []), { mode: 'by', labels: ['app'] }).forStream(stream)
    expect(grouped.process(0n, '', [['trace_id', 'abc']], 9)?.value).toBe(9)
    expect(buildSampleExtractor(rangeAgg('count_over_time', [])).forStream(stream).process(0n, '', undefined, 17)?.value).toBe(1)
  })

  it('filtered lines give no sample', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [lf('|=', 'query')])).forStream(stream)
    expect(x.process(0n, 'no match')).toBeNull()
    expect(x.process(0n, 'a query')?.value).toBe(1)
  })

  it('bytes are counted on the line after line_format', () => {
    const x = buildSampleExtractor(rangeAgg('bytes_over_time', [logfmt(), { kind: 'LineFormatExpr', template: '{{.a}}' }])).forStream(stream)
    expect(x.process(0n, 'a=xyz b=123456')?.value).toBe(3)
  })

  it('parsed labels and metadata are in the sample labels', () => {
    const s = buildSampleExtractor(rangeAgg('count_over_time', [logfmt()])).forStream(stream).process(0n, 'level=info', [['pod', 'p1']])
    expect(s?.labels.labels).toEqual({ app: 'x', env: 'prod', level: 'info', pod: 'p1' })
  })

  it('a grouping pushed down by the caller applies', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [logfmt()]), { mode: 'by', labels: ['level'] }).forStream(stream)
    expect(x.process(0n, 'level=warn k=v')?.labels.key).toBe('{level="warn"}')
    expect(x.process(0n, 'k=v')?.labels.key).toBe('{}')
  })

  it('without drops the listed labels', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [logfmt()]), { mode: 'without', labels: ['env', 'k'] }).forStream(stream)
    expect(x.process(0n, 'level=warn k=v')?.labels.labels).toEqual({ app: 'x', level: 'warn' })
  })

  it('by () drops every label', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', []), { mode: 'by', labels: [] }).forStream(stream)
    expect(x.process(0n, 'a')?.labels.key).toBe('{}')
  })

  it('a line with an error keeps all its labels whatever the grouping', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()]), { mode: 'by', labels: ['app'] }).forStream(stream)
    expect(x.process(0n, 'not json')?.labels.labels).toEqual({
      app: 'x',
      env: 'prod',
      __error__: 'JSONParserErr',
      __error_details__: "Value looks like object, but can't find closing '}' symbol",
    })
  })

  it('rejects an unwrap-only aggregation without unwrap', () => {
    expect(() => buildSampleExtractor(rangeAgg('sum_over_time', []))).toThrow(/without unwrap/)
  })
})

describe('unwrap samples', () => {
  it.each([
    ['', 'latency=20.5', 'latency', 20.5],
    ['', 'latency=1e3', 'latency', 1000],
    ['', 'latency=-3', 'latency', -3],
    ['duration', 'd=1m30s', 'd', 90],
    ['duration_seconds', 'd=250ms', 'd', 0.25],
    ['duration', 'd=1.5h', 'd', 5400],
    ['bytes', 'b=10.7MB', 'b', 10_700_000],
    ['bytes', 'b=436KiB', 'b', 446_464],
    ['bytes', 'b=12', 'b', 12],
  ] as Array<[UnwrapOp, string, string, number]>)('unwrap %s(%s) on %j', (op, line, label, want) => {
    const s = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt()], { unwrap: [op, label] })).forStream(stream).process(0n, line)
    expect(s?.value).toBeCloseTo(want, 9)
    expect(s?.labels.labels).toEqual(stream)
  })

  it.each(['other=1', 'latency='])('a missing or empty label skips the line: %j', (line) => {
    const x = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt(true, true)], { unwrap: ['', 'latency'] })).forStream(stream)
    expect(x.process(0n, line)).toBeNull()
  })

  it.each([
    ['', 'latency=fast', 'strconv.ParseFloat: parsing "fast": invalid syntax'],
    ['duration', 'latency=5', 'time: missing unit in duration "5"'],
    ['bytes', 'latency=12XB', 'unhandled size name: xb'],
  ] as Array<[UnwrapOp, string, string]>)('a conversion error keeps a 0 sample with SampleExtractionErr: %s %j', (op, line, details) => {
    const s = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt()], { unwrap: [op, 'latency'] })).forStream(stream).process(0n, line)
    expect(s?.value).toBe(0)
    expect(s?.labels.labels).toEqual({ ...stream, latency: line.split('=')[1], __error__: 'SampleExtractionErr', __error_details__: details })
  })

  it('the post-unwrap filter removes the error samples', () => {
    const x = buildSampleExtractor(rangeAgg('sum_over_time', [json()], { unwrap: ['', 'latency_ms', [errOnly()]] })).forStream(stream)
    expect(x.process(0n, '{"latency_ms":"slow"}')).toBeNull()
    expect(x.process(0n, '{"latency_ms":12.5}')?.value).toBe(12.5)
  })

  it('post-unwrap numeric filters apply to the labels', () => {
    const post: LabelFilterExpr = { kind: 'LabelFilterExpr', filter: num('status', '>=', 500) }
    const x = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt()], { unwrap: ['', 'latency', [post]] })).forStream(stream)
    expect(x.process(0n, 'status=200 latency=1')).toBeNull()
    expect(x.process(0n, 'status=500 latency=1')?.value).toBe(1)
  })

  it('the unwrapped label is not in the sample labels, other parsed labels are', () => {
    const s = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt()], { unwrap: ['', 'latency'] })).forStream(stream).process(0n, 'latency=1 level=info')
    expect(s?.labels.labels).toEqual({ ...stream, level: 'info' })
  })

  it('by (...) on the range aggregation keeps only the groups', () => {
    const x = buildSampleExtractor(rangeAgg('avg_over_time', [logfmt()], { unwrap: ['', 'latency'], grouping: { mode: 'by', labels: ['level', 'env'] } })).forStream(stream)
    expect(x.process(0n, 'latency=1 level=info pod=p')?.labels.key).toBe('{env="prod", level="info"}')
  })

  it('without (...) drops the groups and the unwrapped label', () => {
    const x = buildSampleExtractor(rangeAgg('max_over_time', [logfmt()], { unwrap: ['', 'latency'], grouping: { mode: 'without', labels: ['env'] } })).forStream(stream)
    expect(x.process(0n, 'latency=1 level=info')?.labels.labels).toEqual({ app: 'x', level: 'info' })
  })

  it('a label filter before unwrap still runs', () => {
    const x = buildSampleExtractor(rangeAgg('sum_over_time', [logfmt(), filter(str('level', '=', 'error'))], { unwrap: ['', 'n'] })).forStream(stream)
    expect(x.process(0n, 'level=info n=1')).toBeNull()
    expect(x.process(0n, 'level=error n=2')?.value).toBe(2)
  })
})

describe('parser hints', () => {
  const by = (...labels: string[]): Grouping => ({ mode: 'by', labels })

  it('with no label needed (sum without by) a malformed line is not an error', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()]), by()).forStream(stream)
    const s = x.process(0n, 'panic: not json')
    expect(s?.value).toBe(1)
    expect(s?.labels.key).toBe('{}')
  })

  it('fields found before a syntax error are enough: no error', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()]), by('level')).forStream(stream)
    expect(x.process(0n, '{"ts":"t","level":"error","msg":"trunc')?.labels.key).toBe('{level="error"}')
  })

  it('a syntax error before the needed field is still an error', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()]), by('level')).forStream(stream)
    expect(x.process(0n, '{"ts":"t","msg":"trunc')?.labels.labels.__error__).toBe('JSONParserErr')
  })

  it('nested objects that cannot hold a needed label are skipped unread', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()]), by('pod_uuid')).forStream(stream)
    expect(x.process(0n, '{"other":{"a":tru},"pod":{"uuid":"u1"}}')?.labels.key).toBe('{pod_uuid="u1"}')
  })

  it('labels read by later stages are extracted too', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [logfmt(), filter(num('status', '>=', 500))]), by('level')).forStream(stream)
    expect(x.process(0n, 'level=warn status=503')?.labels.key).toBe('{level="warn"}')
    expect(x.process(0n, 'level=warn status=200')).toBeNull()
  })

  it('logfmt --strict stops once the needed labels are found', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [logfmt(true)]), by('a')).forStream(stream)
    expect(x.process(0n, 'a=1 b==2')?.labels.key).toBe('{a="1"}')
    expect(x.process(0n, 'b==2 a=1')?.labels.labels.__error__).toBe('LogfmtParserErr')
  })

  it('unwrap with by extracts the unwrapped label and the groups', () => {
    const x = buildSampleExtractor(rangeAgg('avg_over_time', [json()], { unwrap: ['', 'latency'], grouping: by('level') })).forStream(stream)
    const s = x.process(0n, '{"level":"info","latency":2.5,"bad":')
    expect(s?.value).toBe(2.5)
    expect(s?.labels.key).toBe('{level="info"}')
  })

  it('without or no grouping keeps full extraction', () => {
    const x = buildSampleExtractor(rangeAgg('count_over_time', [json()])).forStream(stream)
    expect(x.process(0n, '{"level":"error","msg":"trunc')?.labels.labels.__error__).toBe('JSONParserErr')
  })
})
