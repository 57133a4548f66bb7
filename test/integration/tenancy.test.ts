import { describe, expect, it } from 'vitest'
import { call, json, nowNs, pushJson } from '../helpers'

const AUTH = { auth_enabled: 'true' }

function asTenant(tenant: string): Record<string, string> {
  return { 'X-Scope-OrgID': tenant }
}

describe('tenancy', () => {
  it('requires X-Scope-OrgID when auth is enabled', async () => {
    const res = await call('/loki/api/v1/labels', { vars: AUTH })
    expect(res.status).toBe(401)
    expect(await res.text()).toBe('no org id\n')
  })

  it('rejects invalid tenant ids', async () => {
    const res = await call('/loki/api/v1/labels', { vars: AUTH, headers: asTenant('a/b') })
    expect(res.status).toBe(401)
    expect(await res.text()).toBe("tenant ID 'a/b' contains unsupported character '/'")
    const dots = await call('/loki/api/v1/labels', { vars: AUTH, headers: asTenant('..') })
    expect(dots.status).toBe(401)
    const long = await call('/loki/api/v1/labels', { vars: AUTH, headers: asTenant('t'.repeat(151)) })
    expect(long.status).toBe(401)
  })

  it('keeps one tenant\'s labels, values and series invisible to another', async () => {
    const a = await pushJson([{ stream: { app: 'secret-a', owner: 'alice' }, values: [[nowNs(-500), 'alice line']] }], {
      vars: AUTH,
      headers: asTenant('tenant-a'),
    })
    expect(a.status).toBe(204)
    const b = await pushJson([{ stream: { app: 'public-b' }, values: [[nowNs(-500), 'bob line']] }], {
      vars: AUTH,
      headers: asTenant('tenant-b'),
    })
    expect(b.status).toBe(204)

    const labelsB = await json<{ data?: string[] }>(await call('/loki/api/v1/labels', { vars: AUTH, headers: asTenant('tenant-b') }))
    expect(labelsB.data).toEqual(['app', 'service_name'])
    const valuesB = await json<{ data?: string[] }>(
      await call('/loki/api/v1/label/app/values', { vars: AUTH, headers: asTenant('tenant-b') }),
    )
    expect(valuesB.data).toEqual(['public-b'])
    const ownerB = await call('/loki/api/v1/label/owner/values', { vars: AUTH, headers: asTenant('tenant-b') })
    expect(await ownerB.text()).toBe('{"status":"success"}')
    const seriesB = await json<{ data: unknown[] }>(
      await call(`/loki/api/v1/series?match[]=${encodeURIComponent('{app=~".+"}')}`, { vars: AUTH, headers: asTenant('tenant-b') }),
    )
    expect(seriesB.data).toEqual([{ app: 'public-b', service_name: 'public-b' }])

    const seriesA = await json<{ data: unknown[] }>(
      await call(`/loki/api/v1/series?match[]=${encodeURIComponent('{app=~".+"}')}`, { vars: AUTH, headers: asTenant('tenant-a') }),
    )
    expect(seriesA.data).toEqual([{ app: 'secret-a', owner: 'alice', service_name: 'secret-a' }])
  })

  it('uses the single tenant "fake" when auth is disabled, ignoring the header', async () => {
    await pushJson([{ stream: { app: 'fake-tenant-app' }, values: [[nowNs(-500), 'x']] }], { headers: asTenant('someone') })
    const values = await json<{ data?: string[] }>(await call('/loki/api/v1/label/app/values'))
    expect(values.data).toContain('fake-tenant-app')
  })
})
