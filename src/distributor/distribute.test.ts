import { describe, expect, it } from 'vitest'
import { distribute } from './distribute'
import { DEFAULT_VALIDATION_LIMITS, type ValidationLimits } from './limits'
import type { PushEntry, PushRequest } from './types'

const NOW = Date.UTC(2026, 10, 1, 12) // 2026-11-01T12:00:00Z
const NOW_NS = BigInt(NOW) * 1_000_000n
const L: ValidationLimits = { ...DEFAULT_VALIDATION_LIMITS }

function push(labels: string, ...entries: PushEntry[]): PushRequest {
  return { streams: [{ labels, entries }] }
}
const e = (line: string, metadata?: Array<[string, string]>, ts = NOW_NS): PushEntry => (metadata ? { ts, line, metadata } : { ts, line })

describe('distribute rejections', () => {
  const manyLabels = '{' + Array.from({ length: 1000 }, (_, i) => `l${String(i).padStart(4, '0')}="v"`).join(', ') + '}'
  const cases: Array<{ name: string; req: PushRequest; limits?: Partial<ValidationLimits>; status: number; message: string; reason?: string; kept?: number }> = [
    { name: 'empty request', req: { streams: [] }, status: 422, message: 'error at least one valid stream is required for ingestion' },
    { name: 'unparseable labels', req: push('{foo.bar="x"}', e('a')), status: 400, message: "couldn't parse labels: 1:5: parse error: unexpected character inside braces: '.'" },
    {
      name: 'line too long',
      req: push('{app="api"}', e('x'.repeat(11))),
      limits: { maxLineSize: 10 },
      status: 400,
      message: "max entry size '10' bytes exceeded for stream '{app=\"api\", service_name=\"api\"}' while adding an entry with length '11' bytes",
      reason: 'line_too_long',
    },
    {
      name: 'line too long counts UTF-8 bytes',
      req: push('{app="api"}', e('é'.repeat(6))),
      limits: { maxLineSize: 10 },
      status: 400,
      message: "max entry size '10' bytes exceeded for stream '{app=\"api\", service_name=\"api\"}' while adding an entry with length '12' bytes",
      reason: 'line_too_long',
    },
    {
      name: '10 MB line with the default max_line_size',
      req: push('{app="api"}', e('z'.repeat(10_000_000))),
      status: 400,
      message: "max entry size '262144' bytes exceeded for stream '{app=\"api\", service_name=\"api\"}' while adding an entry with length '10000000' bytes",
      reason: 'line_too_long',
    },
    {
      name: '1000 labels',
      req: push(manyLabels, e('a')),
      status: 400,
      message: `entry for stream '${manyLabels.replace('}', ', service_name="unknown_service"}')}' has 1000 label names; limit 15`,
      reason: 'max_label_names_per_series',
    },
    {
      name: '16 labels with service_name sent by the client (service_name not counted, raw text quoted)',
      req: push('{' + Array.from({ length: 16 }, (_, i) => `k${i}="v"`).join(',') + ',service_name="s"}', e('a')),
      status: 400,
      message: `entry for stream '{${Array.from({ length: 16 }, (_, i) => `k${i}="v"`).join(',')},service_name="s"}' has 16 label names; limit 15`,
      reason: 'max_label_names_per_series',
    },
    {
      name: 'label name too long',
      req: push(`{${'n'.repeat(1025)}="v", service_name="s"}`, e('a')),
      status: 400,
      message: `stream '{${'n'.repeat(1025)}="v", service_name="s"}' has label name too long: '${'n'.repeat(1025)}'`,
      reason: 'label_name_too_long',
    },
    {
      name: 'label value too long',
      req: push(`{a="${'v'.repeat(2049)}", service_name="s"}`, e('a')),
      status: 400,
      message: `stream '{a="${'v'.repeat(2049)}", service_name="s"}' has label value too long: '${'v'.repeat(2049)}'`,
      reason: 'label_value_too_long',
    },
    {
      name: 'duplicate label names',
      req: push('{a="1", a="2", service_name="s"}', e('a')),
      status: 400,
      message: `stream '{a="1", a="2", service_name="s"}' has duplicate label name: 'a'`,
      reason: 'duplicate_label_names',
    },
    {
      name: 'missing labels when service discovery is off',
      req: push('{}', e('a')),
      limits: { discoverServiceName: [] },
      status: 400,
      message: 'error at least one label pair is required per stream',
      reason: 'missing_labels',
    },
    {
      name: 'timestamp too old',
      req: push('{app="api"}', e('old', undefined, NOW_NS - 8n * 86_400_000_000_000n)),
      status: 400,
      message: `entry for stream '{app="api", service_name="api"}' has timestamp too old: 2026-10-24T12:00:00Z, oldest acceptable timestamp is: 2026-10-25T12:00:00Z`,
      reason: 'greater_than_max_sample_age',
    },
    {
      name: 'timestamp too new',
      req: push('{app="api"}', e('new', undefined, NOW_NS + 11n * 60_000_000_000n)),
      status: 400,
      message: `entry for stream '{app="api", service_name="api"}' has timestamp too new: 2026-11-01T12:11:00Z`,
      reason: 'too_far_in_future',
    },
    {
      name: 'structured metadata disallowed',
      req: push('{app="api"}', e('a', [['trace_id', '1']])),
      limits: { allowStructuredMetadata: false },
      status: 400,
      message: "stream '{app=\"api\", service_name=\"api\"}' includes structured metadata, but this feature is disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it",
      reason: 'disallowed_structured_metadata',
    },
    {
      name: 'structured metadata too large',
      req: push('{app="api"}', e('a', [['k', 'v'.repeat(20)]])),
      limits: { maxStructuredMetadataSize: 16 },
      status: 400,
      message: "stream '{app=\"api\", service_name=\"api\"}' has structured metadata too large: '21' bytes, limit: '16' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it",
      reason: 'structured_metadata_too_large',
    },
    {
      name: 'structured metadata too many',
      req: push('{app="api"}', e('a', [['a', '1'], ['b', '2'], ['c', '3']])),
      limits: { maxStructuredMetadataEntriesCount: 2 },
      status: 400,
      message: "stream '{app=\"api\", service_name=\"api\"}' has too many structured metadata labels: '3', limit: '2'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it",
      reason: 'structured_metadata_too_many',
    },
    {
      name: 'partly invalid push keeps valid entries and groups messages',
      req: push('{app="api"}', e('ok'), e('x'.repeat(11)), e('y'.repeat(11)), e('ok2')),
      limits: { maxLineSize: 10 },
      status: 400,
      message: "2 errors like: max entry size '10' bytes exceeded for stream '{app=\"api\", service_name=\"api\"}' while adding an entry with length '11' bytes",
      kept: 2,
    },
  ]

  for (const c of cases) {
    it(c.name, () => {
      const out = distribute(c.req, { ...L, ...c.limits }, NOW)
      expect(out.rejected).toEqual({ status: c.status, message: c.message })
      if (c.reason) expect(out.stats.discarded[c.reason]?.lines).toBeGreaterThan(0)
      expect(out.streams.reduce((n, s) => n + s.entries.length, 0)).toBe(c.kept ?? 0)
    })
  }

  it('different errors are listed with their counts', () => {
    const req = push('{app="api"}', e('x'.repeat(11)), e('old', undefined, 1n), e('y'.repeat(11)))
    const out = distribute(req, { ...L, maxLineSize: 10 }, NOW)
    expect(out.rejected?.message).toBe(
      "2 errors like: max entry size '10' bytes exceeded for stream '{app=\"api\", service_name=\"api\"}' while adding an entry with length '11' bytes; " +
        "1 errors like: entry for stream '{app=\"api\", service_name=\"api\"}' has timestamp too old: 1970-01-01T00:00:00Z, oldest acceptable timestamp is: 2026-10-25T12:00:00Z",
    )
    expect(out.stats.discarded).toEqual({ line_too_long: { lines: 2, bytes: 22 }, greater_than_max_sample_age: { lines: 1, bytes: 3 } })
  })
})

describe('distribute good paths', () => {
  it('truncates long lines when max_line_size_truncate is set', () => {
    const out = distribute(push('{app="api"}', e('abcdefghijkl')), { ...L, maxLineSize: 5, maxLineSizeTruncate: true }, NOW)
    expect(out.rejected).toBeNull()
    expect(out.streams[0]!.entries[0]!.line).toBe('abcde')
  })

  it('merges push streams with the same labels in any order and fingerprints them', () => {
    const req: PushRequest = { streams: [{ labels: '{b="2", a="1"}', entries: [e('one')] }, { labels: '{a="1",b="2"}', entries: [e('two')] }] }
    const out = distribute(req, L, NOW)
    expect(out.streams).toHaveLength(1)
    const s = out.streams[0]!
    expect(s.canonical).toBe('{a="1", b="2", service_name="unknown_service"}')
    expect(s.labels).toEqual([['a', '1'], ['b', '2'], ['service_name', 'unknown_service']])
    expect(s.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect(s.entries.map((x) => x.line)).toEqual(['one', 'two'])
    expect(out.stats).toEqual({ linesReceived: 2, bytesReceived: 6, discarded: {} })
  })

  const services: Array<[string, string | undefined]> = [
    ['{app="api", job="j"}', 'api'],
    ['{job="j", container="c"}', 'c'],
    ['{service="svc", app="api"}', 'svc'],
    ['{app="", job="j"}', 'j'],
    ['{source="kernel"}', 'unknown_service'],
    ['{service_name="mine", app="api"}', 'mine'],
    ['{__aggregated_metric__="x"}', undefined],
    ['{__pattern__="x"}', undefined],
  ]
  for (const [labels, want] of services) {
    it(`service_name for ${labels}`, () => {
      const out = distribute(push(labels, e('m')), L, NOW)
      expect(new Map(out.streams[0]!.labels).get('service_name')).toBe(want)
    })
  }

  it('keeps U+FFFD in lines (invalid UTF-8 already replaced when decoding) and counts its 3 bytes', () => {
    const out = distribute(push('{app="a"}', e('a\ufffdb')), L, NOW)
    expect(out.streams[0]!.entries[0]!.line).toBe('a\ufffdb')
    expect(out.stats.bytesReceived).toBe(5)
  })

  it('no service_name for any stream after an internal stream in the same push (as Loki)', () => {
    const req: PushRequest = { streams: [{ labels: '{app="a"}', entries: [e('1')] }, { labels: '{__aggregated_metric__="m"}', entries: [e('2')] }, { labels: '{app="b"}', entries: [e('3')] }] }
    const out = distribute(req, L, NOW)
    expect(out.streams.map((x) => x.canonical)).toEqual(['{app="a", service_name="a"}', '{__aggregated_metric__="m"}', '{app="b"}'])
  })

  it('normalises structured metadata names as Loki 3.7 does and replaces U+FFFD in values with a space', () => {
    const out = distribute(push('{app="a"}', e('m', [['trace.id', 'x\ufffdy'], ['1st', 'v'], ['_p', 'v'], ['a__b', 'v']])), L, NOW)
    expect(out.streams[0]!.entries[0]!.metadata).toEqual([['trace_id', 'x y'], ['key_1st', 'v'], ['_p', 'v'], ['a_b', 'v'], ['detected_level', 'unknown']])
  })

  const levels: Array<{ name: string; labels?: string; line: string; md?: Array<[string, string]>; want: string | undefined; limits?: Partial<ValidationLimits> }> = [
    { name: 'level label (normalised)', labels: '{app="a", level="WARN"}', line: 'x', want: 'warn' },
    { name: 'unknown level label kept', labels: '{app="a", level="notice"}', line: 'x', want: 'notice' },
    { name: 'metadata severity', line: 'x', md: [['severity', 'Err']], want: 'error' },
    { name: 'client detected_level normalised', line: 'x', md: [['detected_level', 'WARNING']], want: 'warn' },
    { name: 'OTLP severity_number 17', line: 'x', md: [['severity_number', '17']], want: 'error' },
    { name: 'JSON level', line: '{"level":"Warning","msg":"m"}', want: 'warn' },
    { name: 'JSON information', line: '{"lvl":"information"}', want: 'info' },
    { name: 'JSON nested at depth 2', line: '{"log":{"level":"debug"}}', want: 'debug' },
    { name: 'JSON nested at depth 3 not searched, falls back to words', line: '{"a":{"b":{"level":"dbg"}}}', want: 'unknown' },
    { name: 'JSON nested at depth 3 found with unlimited depth', line: '{"a":{"b":{"level":"dbg"}}}', want: 'debug', limits: { logLevelFromJsonMaxDepth: 0 } },
    { name: 'JSON numeric level ignored, words used', line: '{"level":5,"msg":"error happened"}', want: 'error' },
    { name: 'logfmt level', line: 'ts=1 level=dbg msg=x', want: 'debug' },
    { name: 'logfmt key matched case-insensitively', line: 'ts=1 LeVeL=trace', want: 'trace' },
    { name: 'logfmt earlier hint wins', line: 'lvl=info level=error', want: 'error' },
    { name: 'logfmt without level uses words', line: 'status=500 msg="upstream error"', want: 'error' },
    { name: 'CRITICAL word', line: '2026 CRITICAL disk full', want: 'critical' },
    { name: 'fatal beats info', line: 'info: something fatal happened', want: 'fatal' },
    { name: 'panic is not a level', line: 'panic: nil map', want: 'unknown' },
    { name: 'word must stand alone', line: 'informational errors', want: 'unknown' },
    { name: 'ANSI-coloured level not detected', line: '\u001b[31mERROR\u001b[0m boom', want: 'unknown' },
    { name: 'first occurrence only', line: 'errors then err', want: 'unknown' },
    { name: 'discovery off', line: 'ERROR', want: undefined, limits: { discoverLogLevels: false } },
  ]
  for (const c of levels) {
    it(`detected_level: ${c.name}`, () => {
      const out = distribute(push(c.labels ?? '{app="a"}', e(c.line, c.md)), { ...L, ...c.limits }, NOW)
      const md = out.streams[0]!.entries[0]!.metadata ?? []
      expect(md.filter(([n]) => n === 'detected_level').map(([, v]) => v)).toEqual(c.want === undefined ? [] : [c.want])
    })
  }

  it('increments duplicate timestamps of different lines when configured', () => {
    const out = distribute(push('{app="a"}', e('a', undefined, 5n + NOW_NS), e('b', undefined, 5n + NOW_NS), e('b', undefined, 5n + NOW_NS)), { ...L, incrementDuplicateTimestamp: true }, NOW)
    expect(out.streams[0]!.entries.map((x) => x.ts - NOW_NS)).toEqual([5n, 6n, 5n])
  })
})
