/**
 * `| pattern`, `|>` and `!>` expressions replayed against Loki 3.7.6's answers through format_query
 * (parse time) and query_range (where a line filter's pattern is also compiled).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { call, pushJson } from '../helpers'
import recorded from '../fixtures/pattern-parser/loki-3.7.6.json'
import filters from '../fixtures/pattern-parser/filters-loki-3.7.6.json'

interface Case {
  readonly path: string
  readonly query: string
  readonly status: number
  readonly body: unknown
}

const RANGE = { start: '1796349540000000000', end: '1796349600000000000', limit: '10' }

// Query strings are Unicode here: a `\xff` escape decodes to U+00FF, not to a byte that is not
// UTF-8, so the cases that hinge on an invalid byte are not replayed.
const replayed = (recorded.cases as Case[]).filter((c) => !c.query.includes('\\xff'))

describe('pattern expressions answer as Loki 3.7.6', () => {
  it('replays most of the recorded table', () => {
    expect(replayed.length).toBeGreaterThan(150)
  })
  for (const c of replayed) {
    it(`${c.path} ${c.query}`, async () => {
      const extra = c.path.endsWith('query_range') ? RANGE : {}
      const qs = new URLSearchParams({ query: c.query, ...extra })
      const res = await call(`${c.path}?${qs}`, { headers: { 'X-Scope-OrgID': 'pattern' } })
      expect(res.status).toBe(c.status)
      const text = await res.text()
      if (typeof c.body === 'string') expect(text.trimEnd()).toBe(c.body.trimEnd())
      else if (c.status === 200 && c.path.endsWith('query_range')) expect((JSON.parse(text) as { status: string }).status).toBe('success')
      else expect(JSON.parse(text)).toEqual(c.body)
    })
  }
})

describe('pattern line filters as the patterns tab sends them select the lines Loki 3.7.6 selects', () => {
  const VARS = { reject_old_samples: 'false', creation_grace_period: '87600h', auth_enabled: 'true' }
  const TENANT = { 'X-Scope-OrgID': filters.tenant }
  beforeAll(async () => {
    const res = await pushJson([{ stream: { service_name: 'web' }, values: filters.values as Array<[string, string]> }], { headers: TENANT, vars: VARS })
    expect(res.status).toBe(204)
  })
  for (const c of filters.cases as Array<{ query: string; direction: string; status: number; body: unknown }>) {
    it(`${c.query} ${c.direction}`, async () => {
      const qs = new URLSearchParams({ query: c.query, direction: c.direction, limit: '1000', start: filters.start, end: filters.end })
      const res = await call(`/loki/api/v1/query_range?${qs}`, { headers: { ...TENANT, 'X-Loki-Response-Encoding-Flags': 'categorize-labels' }, vars: VARS })
      expect(res.status).toBe(c.status)
      const body = (await res.json()) as { data: { result: unknown } }
      expect(body.data.result).toEqual(c.body)
    })
  }
})
