/**
 * The rule-group API replayed against Loki 3.7.6's recorded answers, step by step for one fresh
 * tenant (empty answers, every validation error, YAML read back, limits, deletes, both prefixes),
 * and tenants kept apart.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import recorded from '../fixtures/ruler/api-loki-3.7.6.json'

interface Case {
  readonly name: string
  readonly method: string
  readonly path: string
  readonly body?: string
  readonly headers: Record<string, string>
  readonly noOrgId: boolean
  readonly status: number
  readonly contentType: string | null
  readonly response: string
}

const vars = { auth_enabled: 'true', ...recorded.limits }

describe('rule-group API as Loki 3.7.6 answers it', () => {
  const tenant = 'ruler-api-replay'
  for (const c of recorded.cases as Case[]) {
    it(`${c.name}: ${c.method} ${c.path} answers ${c.status}`, async () => {
      const headers: Record<string, string> = { ...c.headers }
      if (!c.noOrgId) headers['X-Scope-OrgID'] = tenant
      const res = await call(c.path, { method: c.method, headers, body: c.body, vars })
      if (c.noOrgId) {
        // Answered by the shared auth layer; its text is compared without the line end.
        expect(res.status).toBe(c.status)
        expect((await res.text()).trimEnd()).toBe(c.response.trimEnd())
        return
      }
      expect({ status: res.status, contentType: res.headers.get('content-type'), body: await res.text() }).toEqual({
        status: c.status,
        contentType: c.contentType,
        body: c.response,
      })
    })
  }
})

describe('rule groups are per tenant', () => {
  const group = 'name: mine\nrules:\n  - record: r\n    expr: count_over_time({a="b"}[1m])\n'
  const as = (tenant: string, path: string, method = 'GET', body?: string) =>
    call(path, { method, body, headers: { 'X-Scope-OrgID': tenant, 'Content-Type': 'application/yaml' }, vars: { auth_enabled: 'true' } })

  it("tenant B neither sees nor deletes tenant A's groups", async () => {
    expect((await as('tenant-a', '/loki/api/v1/rules/ns', 'POST', group)).status).toBe(202)
    expect((await as('tenant-b', '/loki/api/v1/rules')).status).toBe(404)
    expect(await (await as('tenant-b', '/loki/api/v1/rules/ns/mine')).text()).toBe('group does not exist\n')
    expect((await as('tenant-b', '/api/prom/rules/ns', 'DELETE')).status).toBe(404)
    expect((await as('tenant-b', '/loki/api/v1/rules/ns/mine', 'DELETE')).status).toBe(202)
    const rules = JSON.parse(await (await as('tenant-b', '/prometheus/api/v1/rules')).text()) as { data: { groups: unknown[] } }
    expect(rules.data.groups).toEqual([])
    const stillThere = await as('tenant-a', '/loki/api/v1/rules/ns/mine')
    expect(stillThere.status).toBe(200)
    expect(await stillThere.text()).toContain('name: mine')
  })

  it('a tenant with the same namespace and group name keeps its own rules', async () => {
    expect((await as('tenant-c', '/loki/api/v1/rules/ns', 'POST', group.replace('{a="b"}', '{c="d"}'))).status).toBe(202)
    expect((await as('tenant-d', '/loki/api/v1/rules/ns', 'POST', group)).status).toBe(202)
    expect(await (await as('tenant-c', '/loki/api/v1/rules/ns/mine')).text()).toContain('{c="d"}')
    expect(await (await as('tenant-d', '/loki/api/v1/rules/ns/mine')).text()).toContain('{a="b"}')
  })
})
