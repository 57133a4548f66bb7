import { describe, expect, it } from 'vitest'
import { call, nowNs, pushJson } from '../helpers'
import recorded from '../fixtures/delete/limits-loki-3.7.6.json'

// The Loki that answered ran with retention_period 744h and these runtime overrides.
const VARS = { auth_enabled: 'true', retention_enabled: 'true', retention_period: '744h' }
/** The operator's calls carry the admin token. */
const ADMIN_VARS = { ADMIN_TOKEN: 'admin-secret' }
const ADMIN = { Authorization: 'Bearer admin-secret' }
const RUNTIME_CONFIG = `overrides:
  tenant-off:
    deletion_mode: disabled
  tenant-filter:
    deletion_mode: filter-only
    retention_period: 48h
    retention_stream:
      - selector: '{app="nginx"}'
        priority: 1
        period: 24h
    ingestion_rate_mb: 10
`

interface RecordedCase {
  readonly path: string
  readonly tenant: string | null
  readonly status: number
  readonly contentType: string | null
  readonly body: string
}

const cases = (recorded as { cases: RecordedCase[] }).cases

async function putOverrides(body: string): Promise<Response> {
  return call('/admin/overrides', { method: 'PUT', vars: ADMIN_VARS, body, headers: { ...ADMIN, 'Content-Type': 'application/yaml' } })
}

describe('per-tenant overrides', () => {
  it('publishes each tenant\'s limits as Loki 3.7.6 does, its overrides applied', async () => {
    expect((await putOverrides(RUNTIME_CONFIG)).status).toBe(204)
    for (const c of cases) {
      const res = await call(c.path, { vars: VARS, headers: c.tenant ? { 'X-Scope-OrgID': c.tenant } : {} })
      expect({ path: c.path, tenant: c.tenant, status: res.status, body: await res.text() }).toEqual({ path: c.path, tenant: c.tenant, status: c.status, body: c.body })
      expect(res.headers.get('Content-Type')).toBe(c.contentType)
    }
  })

  it('stores them in the runtime config shape and applies them to the delete API at once', async () => {
    expect((await putOverrides(RUNTIME_CONFIG)).status).toBe(204)
    const stored = await call('/admin/overrides', { vars: ADMIN_VARS, headers: ADMIN })
    expect(await stored.text()).toContain("tenant-filter:\n    deletion_mode: filter-only\n    retention_period: 48h\n    retention_stream:\n    - selector: '{app=\"nginx\"}'")
    const off = await call('/loki/api/v1/delete', { vars: VARS, headers: { 'X-Scope-OrgID': 'tenant-off' } })
    expect(off.status).toBe(403)
    expect(await off.text()).toBe('deletion is not available for this tenant\n')
    // Replacing the overrides drops those no longer named.
    expect((await putOverrides('overrides:\n  tenant-filter:\n    retention_period: 72h\n')).status).toBe(204)
    const on = await call('/loki/api/v1/delete', { vars: VARS, headers: { 'X-Scope-OrgID': 'tenant-off' } })
    expect(on.status).toBe(200)
    const limits = await call('/config/tenant/v1/limits', { vars: VARS, headers: { 'X-Scope-OrgID': 'tenant-filter' } })
    expect(await limits.text()).toContain('retention_period: 3d\nvolume_enabled: true\n')
  })

  it.each([
    ['not YAML', 'overrides: [a', 400],
    ['overrides not a mapping', 'overrides: [1, 2]\n', 400],
    ['unknown limit', 'overrides:\n  t:\n    no_such_limit: 1\n', 400],
    ['not a per-tenant limit', 'overrides:\n  t:\n    auth_enabled: false\n', 400],
    ['bad duration', 'overrides:\n  t:\n    retention_period: soon\n', 400],
    ['bad deletion_mode', 'overrides:\n  t:\n    deletion_mode: sometimes\n', 400],
    ['short retention_stream period', "overrides:\n  t:\n    retention_stream:\n      - selector: '{a=\"b\"}'\n        priority: 1\n        period: 1h\n", 400],
    ['bad retention_stream selector', "overrides:\n  t:\n    retention_stream:\n      - selector: '{a=}'\n        priority: 1\n        period: 24h\n", 400],
  ])('refuses %s and keeps the stored overrides', async (_, body, status) => {
    expect((await putOverrides('overrides:\n  keep:\n    retention_period: 96h\n')).status).toBe(204)
    const res = await putOverrides(body)
    expect(res.status).toBe(status)
    expect((await res.text()).length).toBeGreaterThan(1)
    expect(await (await call('/admin/overrides', { vars: ADMIN_VARS, headers: ADMIN })).text()).toBe('overrides:\n  keep:\n    retention_period: 96h\n')
  })

  it('applies a tenant\'s overrides to the limits its requests meet; other tenants keep the defaults', async () => {
    expect((await putOverrides('overrides:\n  ov-small:\n    max_line_size: 16\n    max_entries_limit_per_query: 5\n')).status).toBe(204)
    const line = 'x'.repeat(40)
    const small = await pushJson([{ stream: { app: 'ov' }, values: [[nowNs(-1000), line]] }], { vars: VARS, headers: { 'X-Scope-OrgID': 'ov-small' } })
    expect(small.status).toBe(400)
    expect(await small.text()).toContain("max entry size '16' bytes exceeded")
    const other = await pushJson([{ stream: { app: 'ov' }, values: [[nowNs(-1000), line]] }], { vars: VARS, headers: { 'X-Scope-OrgID': 'ov-default' } })
    expect(other.status).toBe(204)
    const q = new URLSearchParams({ query: '{app="ov"}', limit: '10', since: '1h' })
    const refused = await call(`/loki/api/v1/query_range?${q}`, { vars: VARS, headers: { 'X-Scope-OrgID': 'ov-small' } })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('max_entries_limit_per_query')
    expect((await call(`/loki/api/v1/query_range?${q}`, { vars: VARS, headers: { 'X-Scope-OrgID': 'ov-default' } })).status).toBe(200)
  })

  it('needs the admin token when tokens are on', async () => {
    const vars = { auth_enabled: 'true', auth_tokens: 'true', ADMIN_TOKEN: 'admin-secret' }
    const res = await call('/admin/overrides', { method: 'PUT', vars, body: RUNTIME_CONFIG })
    expect(res.status).toBe(401)
    const ok = await call('/admin/overrides', { method: 'PUT', vars, body: RUNTIME_CONFIG, headers: { Authorization: 'Bearer admin-secret' } })
    expect(ok.status).toBe(204)
  })
})
