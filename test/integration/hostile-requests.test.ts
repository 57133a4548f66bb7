/**
 * Generated garbage against every route: each request gets a status below 500 with a plain message
 * (Loki's text, never a JavaScript error), and data acknowledged before the sweep stays readable.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, json, nowNs, pushJson } from '../helpers'

const QUERY_ROUTES = [
  '/loki/api/v1/query_range', '/loki/api/v1/query', '/api/prom/query', '/loki/api/v1/labels',
  '/loki/api/v1/label/app/values', '/loki/api/v1/series', '/loki/api/v1/index/stats', '/loki/api/v1/index/volume',
  '/loki/api/v1/index/volume_range', '/loki/api/v1/detected_fields', '/loki/api/v1/detected_field/app/values',
  '/loki/api/v1/detected_labels', '/loki/api/v1/patterns', '/loki/api/v1/format_query', '/loki/api/v1/drilldown-limits',
  '/api/prom/label', '/api/prom/label/app/values', '/api/prom/series', '/config', '/loki/api/v1/status/buildinfo',
]

const PARAM_NAMES = [
  'start', 'end', 'time', 'since', 'step', 'interval', 'limit', 'direction', 'query', 'match[]', 'line_limit',
  'field_limit', 'aggregateBy', 'targetLabels', 'mode', 'regexp', 'delay_for',
]

const NUMERIC_EDGES = [
  '', ' ', '1e309', '-1e309', 'Infinity', '-Infinity', 'inf', '+Inf', 'NaN', 'nan', '-0', '-0.0', '0', '0.0', '1e18',
  '1e19', '9'.repeat(1000), `1.${'9'.repeat(1000)}`, `-${'9'.repeat(400)}.5`, '0x10', '0x1p3', '0x1.8p1', '1_000',
  '1e-400', '.5', '5.', '-.5', '1.0e300', '-1.0e300', '9223372036854775807', '9223372036854775808',
  '-9223372036854775808', '-9223372036854775809', '9999999999', '-999999999', '-1234567890', '4294967297', '1.5e3',
  '1h', '-1h', '1y', '99999999999999999999h', '1s1h', '1d1h', '10000w', '1ns', '0.0000001', '292y', '293y', '1x',
  '2006-01-02T15:04:05Z', '9999-12-31T23:59:59.999999999Z', '0001-01-01T00:00:00Z', '2024-02-30T00:00:00Z',
  '2024-01-01T24:00:00Z', '2024-01-01T00:00:00+99:00', '2024-01-01t00:00:00z', '2024-01-01T00:00:00.1234567891Z',
  'forward', 'FORWARD', 'Backward', 'backward ', '%', '%zz', '%ff%fe', '%C3%28', '%E2%82', '\u0000', '\uffff', '\ud800', 'é',
]

const QUERY_EDGES = [
  '{app="survivor"}', '{app="survivor"} |= "x"', 'sum(rate({app="survivor"}[1m]))', 'rate({app="x"}[1e309s])',
  'count_over_time({app="x"}[1ns])', 'count_over_time({app="x"}[99999999999999d])', 'rate({app="x"}[0s])',
  'sum(count_over_time({app="x"}[1m] offset 1e20s))', '{app="x"} | bytes > 1e400KB', '{app="x"} | duration > 99999999999999999999h',
  'quantile_over_time(1e309, {app="x"} | unwrap v [1m])', 'topk(99999999999999999999, rate({app="x"}[1m]))',
  'topk(-1, rate({app="x"}[1m]))', 'vector(1e309)', 'vector(1)+vector(1)', '{app="x"} | pattern "<_>"',
  '{app="x"} | pattern "<a><b>"', '{app=~"(((("}', '{app="x"} | line_format "{{ repeat 100000000 \\"x\\" }}"',
  '{app="x"} | line_format "{{ div 1 0 }}"', 'label_replace(rate({app="x"}[1m]), "d", "$99999999999", "app", "(.*)")',
  `${'('.repeat(2000)}vector(1)${')'.repeat(2000)}`, `${'sum('.repeat(500)}vector(1)${')'.repeat(500)}`,
  `{app="x"} ${'|= "x" '.repeat(2000)}`, `{${'{'.repeat(500)}`, '{app="x"} | json | v > 1e309', '',
]

/** Lone surrogates replaced, so the value can be percent-encoded. */
const wellFormed = (s: string): string => Array.from(s, (ch) => (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch)).join('')

/** Texts of JavaScript failures that must never reach a client. */
const JS_FAILURE = /TypeError|RangeError|ReferenceError|SyntaxError: |cannot be converted|is not a function|Cannot read prop|Maximum call stack|undefined|\[object /

const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMERIC_EDGES) },
  { weight: 2, arbitrary: fc.constantFrom(...QUERY_EDGES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
)

const queryString = fc
  .array(fc.tuple(fc.constantFrom(...PARAM_NAMES), value, fc.boolean()), { minLength: 1, maxLength: 5 })
  .map((pairs) =>
    pairs
      .map(([name, v, raw]) => (raw ? `${name}=${v.replace(/[&#\s]/g, '')}` : `${encodeURIComponent(name)}=${encodeURIComponent(wellFormed(v))}`))
      .join('&'),
  )

async function expectLokiAnswer(res: Response, what: string): Promise<void> {
  const body = await res.text()
  if (res.status >= 500 || (res.status >= 400 && JS_FAILURE.test(body))) {
    throw new Error(`${what} → ${res.status}: ${body.slice(0, 300)}`)
  }
}

async function readBack(): Promise<string[]> {
  const q = new URLSearchParams({ query: '{app="survivor"}', since: '1h', limit: '100' })
  const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(await call(`/loki/api/v1/query_range?${q}`))
  return body.data.result.flatMap((s) => s.values.map((v) => v[1]))
}

describe('hostile requests', () => {
  beforeAll(async () => {
    expect((await pushJson([{ stream: { app: 'survivor' }, values: [[nowNs(-1000), 'acknowledged before the sweep']] }])).status).toBe(204)
  })

  it('answers any query parameters on any read route below 500 with Loki text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...QUERY_ROUTES), queryString, fc.boolean(), async (route, qs, post) => {
        const res = post
          ? await call(route, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: qs })
          : await call(`${route}?${qs}`)
        await expectLokiAnswer(res, `${post ? 'POST' : 'GET'} ${route}?${qs}`)
      }),
      { numRuns: 400 },
    )
  }, 180_000)

  it('answers LogQL assembled from arbitrary tokens below 500 with Loki text', async () => {
    const tokens = [
      '{', '}', '(', ')', '[', ']', ',', '|', '|=', '!=', '|~', '!~', '=', '=~', '==', '>', '<=', 'app', '"survivor"', '`x`',
      '"(("', 'json', 'logfmt', 'regexp', '"(?P<a>.)"', 'pattern', '"<a> <_>"', 'unpack', 'line_format', '"{{.a}}"',
      'label_format', 'a=b', 'unwrap', 'duration(x)', 'bytes(x)', 'x', '1', '-1', '1e309', '5m', '1ns', '0s',
      '99999999999999999999d', 'rate', 'count_over_time', 'sum', 'by', 'without', 'topk', 'quantile_over_time', 'offset',
      'bool', 'and', 'or', 'unless', '+', '/', '%', '^', 'vector', 'label_replace', 'ip', '"1.2.3.4/33"', 'decolorize',
      'drop', 'keep', '__error__', '1e400KB', 'absent_over_time', 'sort', 'first_over_time', 'on', 'group_left', '#c\n',
    ]
    const soup = fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 12 }).map((t) => t.join(' '))
    const routes = ['/loki/api/v1/query_range', '/loki/api/v1/query', '/loki/api/v1/format_query', '/loki/api/v1/series', '/loki/api/v1/index/volume']
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(soup, soup.map((s) => `{app="survivor"} ${s}`)), async (route, query) => {
        const qs = new URLSearchParams({ query, 'match[]': query, since: '1h' })
        await expectLokiAnswer(await call(`${route}?${qs}`), `${route} ${query}`)
      }),
      { numRuns: 300 },
    )
  }, 180_000)

  it('answers garbage push bodies in every encoding below 500 with Loki text', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.json().map((j) => new TextEncoder().encode(j)),
      fc.constantFrom(
        '{"streams":[{"stream":{"a":"b"},"values":[["1e309","x"],["-1","y"],["NaN","z"]]}]}',
        `{"streams":[{"stream":{"a":"b"},"values":[["${'9'.repeat(1000)}","x"]]}]}`,
        '{"streams":[{"stream":{"a":"b"},"values":[["1","x",{"k":5}]]}]}',
        '{"streams":[{"labels":"{a=\\"b\\"","entries":[{"ts":"bad","line":"x"}]}]}',
        `{"streams":[${'['.repeat(3000)}${']'.repeat(3000)}]}`,
        '['.repeat(20_000),
        `{"streams":[{"labels":"{a=\\"b\\"}","entries":${'['.repeat(20_000)}`,
        '{"streams":[null]}', 'null', '',
      ).map((s) => new TextEncoder().encode(s)),
    )
    const contentType = fc.constantFrom('application/json', 'application/x-protobuf', 'text/plain', 'application/json; charset=utf-8', '')
    const encoding = fc.constantFrom('', 'gzip', 'deflate', 'snappy', 'br', 'zstd', 'identity')
    await fc.assert(
      fc.asyncProperty(body, contentType, encoding, fc.constantFrom('/loki/api/v1/push', '/api/prom/push'), async (b, ct, enc, route) => {
        const headers: Record<string, string> = {}
        if (ct) headers['Content-Type'] = ct
        if (enc) headers['Content-Encoding'] = enc
        await expectLokiAnswer(await call(route, { headers, body: b }), `${route} ${ct} ${enc} ${b.length} bytes`)
      }),
      { numRuns: 300 },
    )
  }, 180_000)

  it('keeps data acknowledged before the sweep', async () => {
    expect(await readBack()).toEqual(['acknowledged before the sweep'])
  })
})
