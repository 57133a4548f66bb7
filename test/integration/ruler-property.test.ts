/**
 * Generated garbage against the ruler's routes: YAML-ish bodies for rule groups, odd names in
 * the path, and odd parameters for the recorded-samples queries. Every answer is below 500 with a
 * message, and a group stored before is still there, unchanged.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { call } from '../helpers'

const vars = { auth_enabled: 'true' }
const tenant = 'ruler-property'
const KEPT = 'name: kept\nrules:\n  - record: kept:r\n    expr: count_over_time({a="b"}[1m])\n'

const as = (path: string, method = 'GET', body?: string) =>
  call(path, { method, body, headers: { 'X-Scope-OrgID': tenant, 'Content-Type': 'application/yaml' }, vars })

const yamlToken = fc.constantFrom(
  'name:', 'rules:', '- ', '  ', '\n', 'record:', 'alert:', 'expr:', 'for:', 'interval:', 'limit:', 'labels:', 'annotations:',
  'keep_firing_for:', '{', '}', '[', ']', '"', "'", '|', '>', '&a', '*a', '!!str', '---', '...', '#', ':', '5m', '-1', '1e309', '0x',
  'sum(rate({a="b"}[1m]))', '{{ $value', '{{ end }}', 'count_over_time({a="b"}[1m]) > 1', '\t', '\u0000', 'é', '%',
)
const body = fc.array(yamlToken, { maxLength: 40 }).map((ts) => ts.join(''))

describe('ruler routes under generated input', () => {
  it('answer every rule-group body below 500 and keep the stored group', async () => {
    expect((await as('/loki/api/v1/rules/keep', 'POST', KEPT)).status).toBe(202)
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await as('/loki/api/v1/rules/fuzz', 'POST', b)
        const text = await res.text()
        expect(res.status, `${JSON.stringify(b)} -> ${text}`).toBeLessThan(500)
        if (res.status !== 202) expect(text.trim()).not.toBe('')
      }),
      { numRuns: 150 },
    )
    const kept = await as('/loki/api/v1/rules/keep/kept')
    expect(kept.status).toBe(200)
    expect(await kept.text()).toBe('name: kept\nrules:\n    - record: kept:r\n      expr: count_over_time({a="b"}[1m])\n')
  })

  it('answer odd namespace and group names below 500', async () => {
    const name = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('%2e%2e', '%252e%252e', '%zz', '%25', '..', '.', '~', '%00', '%2F'))
    await fc.assert(
      fc.asyncProperty(name, name, fc.constantFrom('GET', 'DELETE'), async (ns, group, method) => {
        const path = `/loki/api/v1/rules/${ns}/${group}`.replace(/[#?]/g, '_')
        const res = await as(path, method)
        expect([200, 202, 404, 405, 500]).toContain(res.status)
        if (res.status === 500) expect(await res.text()).toMatch(/"errorType":"server_error","error":"invalid (namespace|groupname): path traversal not allowed"|invalid URL escape/)
      }),
      { numRuns: 100 },
    )
  })

  it('refuse times beyond the range of Go times instead of looping over them', async () => {
    const res = await as('/prometheus/api/v1/query_range?query=x&start=1e400&end=1e400&step=1')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "start": cannot parse "1e400" to a valid timestamp' })
  })

  it('answer odd query parameters of the recorded-samples API with 200 or bad_data', async () => {
    const param = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1e400', '-1', 'NaN', 'Inf', '0', '1.5', '2026-13-01T00:00:00Z', 'x{a="', 'x[0s]', '{}', 'x offset 5m'))
    await fc.assert(
      fc.asyncProperty(param, param, param, param, async (query, start, end, step) => {
        const qs = new URLSearchParams({ query, start, end, step, time: start })
        for (const path of ['/prometheus/api/v1/query', '/prometheus/api/v1/query_range']) {
          const res = await as(`${path}?${qs}`)
          const body = (await res.json()) as { status: string; errorType?: string }
          expect([200, 400], `${path}?${qs}`).toContain(res.status)
          if (res.status === 400) expect(body.errorType).toBe('bad_data')
        }
      }),
      { numRuns: 100 },
    )
  })
})
