import { describe, expect, it } from 'vitest'
import { nowNs } from '../helpers'
import { ADMIN_TOKEN, authCall, basic, bearer, createToken, pushBody, TOKEN_VARS } from '../auth-support'

const JSON_TYPE = { 'Content-Type': 'application/json' }

function push(app: string, line: string, auth: Record<string, string>): Promise<Response> {
  return authCall('/loki/api/v1/push', {
    headers: { ...JSON_TYPE, ...auth },
    body: pushBody([{ stream: { app }, values: [[nowNs(-1_000), line]] }]),
  })
}

async function lines(app: string, auth: Record<string, string>): Promise<string[]> {
  const q = new URLSearchParams({ query: `{app="${app}"}`, start: nowNs(-600_000), end: nowNs(60_000) })
  const res = await authCall(`/loki/api/v1/query_range?${q}`, { headers: auth })
  expect(res.status, await res.clone().text()).toBe(200)
  const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } }
  return body.data.result.flatMap((s) => s.values.map((v) => v[1]))
}

async function statusText(res: Response): Promise<[number, string]> {
  return [res.status, await res.text()]
}

describe('API tokens', () => {
  it('leave /ready and /metrics open', async () => {
    expect((await authCall('/ready')).status).toBe(200)
    expect((await authCall('/metrics')).status).toBe(200)
  })

  it('are required on every other route: missing, malformed, unknown and revoked tokens are 401', async () => {
    const missing = 'missing API token: send Authorization: Bearer <token> or Basic auth with the token as password'
    expect(await statusText(await authCall('/loki/api/v1/labels'))).toEqual([401, missing])
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { 'X-Scope-OrgID': 't1' } }))).toEqual([401, missing])
    expect(await statusText(await authCall('/config'))).toEqual([401, missing])
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { Authorization: 'Token abc' } }))).toEqual([
      401,
      'invalid Authorization header',
    ])
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer('nope') } }))).toEqual([
      401,
      'invalid API token',
    ])
    const real = await createToken('auth-t1', ['query'])
    const forged = `${real.token.slice(0, -4)}AAAA`
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(forged) } }))).toEqual([
      401,
      'invalid API token',
    ])
    const unknownId = `elk_0000000000000000_${real.token.slice(-43)}`
    expect((await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(unknownId) } })).status).toBe(401)
    expect((await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(real.token) } })).status).toBe(200)
    const del = await authCall(`/admin/api/v1/tokens/${real.id}`, { method: 'DELETE', headers: { Authorization: bearer(ADMIN_TOKEN) } })
    expect(del.status).toBe(204)
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(real.token) } }))).toEqual([
      401,
      'invalid API token',
    ])
  })

  it('decide the tenant: Bearer and Basic (user = tenant) push and read the same tenant', async () => {
    const t = await createToken('auth-t2', ['push', 'query'])
    expect((await push('auth-bearer', 'via bearer', { Authorization: bearer(t.token) })).status).toBe(204)
    expect((await push('auth-bearer', 'via basic', { Authorization: basic('auth-t2', t.token) })).status).toBe(204)
    expect((await push('auth-bearer', 'with own org id', { Authorization: bearer(t.token), 'X-Scope-OrgID': 'auth-t2' })).status).toBe(204)
    expect((await lines('auth-bearer', { Authorization: basic('auth-t2', t.token) })).sort()).toEqual([
      'via basic',
      'via bearer',
      'with own org id',
    ])
    // The same data under the header-selected tenant without tokens: it is tenant auth-t2's.
    const plain = await authCall(
      `/loki/api/v1/query_range?${new URLSearchParams({ query: '{app="auth-bearer"}', start: nowNs(-600_000), end: nowNs(60_000) })}`,
      { headers: { 'X-Scope-OrgID': 'auth-t2' }, vars: { auth_enabled: 'true' } },
    )
    expect(JSON.stringify(await plain.json())).toContain('via bearer')
  })

  it('refuse another tenant named by X-Scope-OrgID or the Basic user with 403', async () => {
    const t = await createToken('auth-t3', ['push', 'query'])
    const cases: Array<Record<string, string>> = [
      { Authorization: bearer(t.token), 'X-Scope-OrgID': 'auth-other' },
      { Authorization: basic('auth-other', t.token) },
      { Authorization: basic('auth-t3', t.token), 'X-Scope-OrgID': 'auth-other' },
      { Authorization: bearer(t.token), 'X-Scope-OrgID': 'auth-t3|auth-other' },
    ]
    for (const headers of cases) {
      expect(await statusText(await authCall('/loki/api/v1/labels', { headers }))).toEqual([403, "tenant 'auth-other' is not allowed for this token"])
      expect((await push('auth-403', 'x', headers)).status).toBe(403)
    }
  })

  it('allow only their scopes', async () => {
    const pushOnly = await createToken('auth-t4', ['push'])
    const queryOnly = await createToken('auth-t4', ['query'])
    const rules = await createToken('auth-t4', ['rules'])
    expect((await push('auth-scopes', 'pushed', { Authorization: bearer(pushOnly.token) })).status).toBe(204)
    expect(await statusText(await push('auth-scopes', 'refused', { Authorization: bearer(queryOnly.token) }))).toEqual([
      403,
      "token lacks the 'push' scope",
    ])
    expect(await statusText(await authCall('/loki/api/v1/labels', { headers: { Authorization: bearer(pushOnly.token) } }))).toEqual([
      403,
      "token lacks the 'query' scope",
    ])
    expect(await lines('auth-scopes', { Authorization: bearer(queryOnly.token) })).toEqual(['pushed'])
    const ruleWrite = { method: 'POST', body: 'name: g\nrules: []\n', headers: { 'Content-Type': 'application/yaml' } }
    expect(
      await statusText(await authCall('/loki/api/v1/rules/ns', { ...ruleWrite, headers: { ...ruleWrite.headers, Authorization: bearer(queryOnly.token) } })),
    ).toEqual([403, "token lacks the 'rules' scope"])
    const withRules = await authCall('/loki/api/v1/rules/ns', { ...ruleWrite, headers: { ...ruleWrite.headers, Authorization: bearer(rules.token) } })
    expect(withRules.status).not.toBe(401)
    expect(withRules.status).not.toBe(403)
    expect((await authCall('/loki/api/v1/rules', { headers: { Authorization: bearer(rules.token) } })).status).toBe(403)
  })

  it('treat OTLP pushes as pushes', async () => {
    const pushOnly = await createToken('auth-otlp', ['push'])
    const queryOnly = await createToken('auth-otlp', ['query'])
    const body = JSON.stringify({
      resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otlp-auth' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: nowNs(-1_000), body: { stringValue: 'via otlp' } }] }] }],
    })
    const send = (token: string): Promise<Response> =>
      authCall('/otlp/v1/logs', { headers: { Authorization: bearer(token), 'Content-Type': 'application/json' }, body })
    expect(await statusText(await send(queryOnly.token))).toEqual([403, "token lacks the 'push' scope"])
    expect((await send(pushOnly.token)).status).toBe(204)
    const q = new URLSearchParams({ query: '{service_name="otlp-auth"}', start: nowNs(-600_000), end: nowNs(60_000) })
    const read = await authCall(`/loki/api/v1/query_range?${q}`, { headers: { Authorization: basic('auth-otlp', queryOnly.token) } })
    expect(await read.text()).toContain('via otlp')
  })

  it('admit any valid token to /config and buildinfo, and only the admin token to flush and compaction', async () => {
    const t = await createToken('auth-t5', ['query'])
    expect((await authCall('/config', { headers: { Authorization: bearer(t.token) } })).status).toBe(200)
    expect((await authCall('/loki/api/v1/status/buildinfo', { headers: { Authorization: basic('auth-t5', t.token) } })).status).toBe(200)
    expect((await authCall('/config', { headers: { Authorization: bearer(ADMIN_TOKEN) } })).status).toBe(200)
    expect(await statusText(await authCall('/flush', { method: 'POST', headers: { Authorization: bearer(t.token) } }))).toEqual([401, 'invalid admin token'])
    expect((await authCall('/flush', { method: 'POST', headers: { Authorization: bearer(ADMIN_TOKEN) } })).status).toBe(204)
    expect((await authCall('/compactor/run', { method: 'POST', headers: { Authorization: bearer(t.token) } })).status).toBe(401)
  })

  it('never show a secret in /config, /metrics or listings', async () => {
    const t = await createToken('auth-t6', ['query'])
    const hay = [
      await (await authCall('/config', { headers: { Authorization: bearer(t.token) } })).text(),
      await (await authCall('/metrics')).text(),
      await (await authCall('/admin/api/v1/tokens', { headers: { Authorization: bearer(ADMIN_TOKEN) } })).text(),
    ].join('\n')
    expect(hay).not.toContain(t.token)
    expect(hay).not.toContain(t.token.slice(22))
    expect(hay).not.toContain(ADMIN_TOKEN)
    expect(hay).toContain('auth_tokens: true')
  })

  it('cost no D1 read on pushes once the token is cached', async () => {
    const t = await createToken('auth-t7', ['push'])
    const auth = { Authorization: bearer(t.token) }
    expect((await push('auth-cost', 'first', auth)).status).toBe(204)
    const d1 = async (): Promise<number> => {
      const text = await (await authCall('/metrics')).text()
      return Number(/^edgeloki_d1_queries_total (\d+)$/mu.exec(text)?.[1] ?? '0')
    }
    // /metrics reads D1 itself (the stored chunk bytes): measure that first.
    const first = await d1()
    const scrape = (await d1()) - first
    const before = await d1()
    for (let i = 0; i < 5; i++) expect((await push('auth-cost', `again ${i}`, auth)).status).toBe(204)
    expect((await d1()) - before).toBe(scrape)
  })

  it('are not needed when auth_tokens is off, where X-Scope-OrgID decides as in Loki', async () => {
    const vars = { auth_enabled: 'true', auth_tokens: 'false', ADMIN_TOKEN }
    const res = await authCall('/loki/api/v1/labels', { headers: { 'X-Scope-OrgID': 'auth-t8' }, vars })
    expect(res.status).toBe(200)
    expect((await authCall('/loki/api/v1/labels', { vars })).status).toBe(401)
    expect(TOKEN_VARS.auth_tokens).toBe('true')
  })
})
