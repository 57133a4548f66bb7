import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, authCall, basic, bearer, TOKEN_VARS } from '../auth-support'

const TOKENS = '/admin/api/v1/tokens'
const ADMIN = { Authorization: bearer(ADMIN_TOKEN) }

function create(body: string, headers: Record<string, string> = ADMIN): Promise<Response> {
  return authCall(TOKENS, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body })
}

interface Listed {
  id: string
  name: string
  tenant: string
  scopes: string[]
  created_at: string
}

describe('admin token API', () => {
  it('creates a token (secret shown once), lists it without secrets, revokes it', async () => {
    const res = await create(JSON.stringify({ tenant: 'adm-t1', scopes: ['push', 'query'], name: 'ci' }))
    expect(res.status).toBe(201)
    const made = (await res.json()) as Listed & { token: string }
    expect(made).toMatchObject({ tenant: 'adm-t1', scopes: ['push', 'query'], name: 'ci' })
    expect(made.token).toMatch(new RegExp(`^elk_${made.id}_[A-Za-z0-9_-]{43}$`, 'u'))

    const listRes = await authCall(TOKENS, { headers: ADMIN })
    expect(listRes.status).toBe(200)
    const text = await listRes.text()
    expect(text).not.toContain(made.token.slice(22))
    const listed = (JSON.parse(text) as Listed[]).find((t) => t.id === made.id)
    expect(listed).toEqual({ id: made.id, name: 'ci', tenant: 'adm-t1', scopes: ['push', 'query'], created_at: made.created_at })
    expect(Object.keys(listed ?? {})).not.toContain('token')
    expect(Object.keys(listed ?? {})).not.toContain('hash')

    expect((await authCall(`${TOKENS}/${made.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(204)
    const after = (await (await authCall(TOKENS, { headers: ADMIN })).json()) as Listed[]
    expect(after.map((t) => t.id)).not.toContain(made.id)
    const again = await authCall(`${TOKENS}/${made.id}`, { method: 'DELETE', headers: ADMIN })
    expect([again.status, await again.text()]).toEqual([404, 'token not found'])
  })

  it('works while auth_tokens is off, so tokens exist before enforcement starts', async () => {
    const res = await authCall(TOKENS, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: '{"tenant":"adm-t2","scopes":["push"]}', vars: { ADMIN_TOKEN } })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Listed).name).toBe('')
  })

  it.each([
    ['no credentials', {}, 'invalid admin token'],
    ['a wrong admin token', { Authorization: bearer('admin-secret-for-tests-012345678') }, 'invalid admin token'],
    ['the admin token as Basic password', { Authorization: basic('x', ADMIN_TOKEN) }, null],
    ['a malformed header', { Authorization: 'Basic' }, 'invalid Authorization header'],
  ] as Array<[string, Record<string, string>, string | null]>)('answers %s with 401 unless it is the admin token', async (_, headers, text) => {
    for (const res of [await authCall(TOKENS, { headers }), await create('{"tenant":"x","scopes":["push"]}', headers), await authCall(`${TOKENS}/abc`, { method: 'DELETE', headers })]) {
      if (text === null) expect(res.status).not.toBe(401)
      else expect([res.status, await res.text()]).toEqual([401, text])
    }
  })

  it('refuses a tenant token on the admin API', async () => {
    const made = (await (await create('{"tenant":"adm-t3","scopes":["push","query","rules"]}')).json()) as { token: string }
    const res = await authCall(TOKENS, { headers: { Authorization: bearer(made.token) } })
    expect([res.status, await res.text()]).toEqual([401, 'invalid admin token'])
  })

  it('is closed when ADMIN_TOKEN is not set', async () => {
    const vars = { ...TOKEN_VARS, ADMIN_TOKEN: '' }
    const res = await authCall(TOKENS, { headers: { Authorization: bearer('') }, vars })
    expect([res.status, await res.text()]).toEqual([401, 'admin API disabled: the ADMIN_TOKEN secret is not set'])
  })

  it.each([
    ['not json', 'request body must be a JSON object'],
    ['[]', 'request body must be a JSON object'],
    ['{"scopes":["push"]}', '"tenant" must be a non-empty string'],
    ['{"tenant":"a/b","scopes":["push"]}', "tenant ID 'a/b' contains unsupported character '/'"],
    ['{"tenant":"a||b","scopes":["push"]}', "empty tenant ID in 'a||b'"],
    ['{"tenant":"t","scopes":[]}', '"scopes" must be a non-empty array of push, query, rules'],
    ['{"tenant":"t","scopes":["admin"]}', 'unknown scope "admin": use push, query, rules'],
    ['{"tenant":"t","scopes":"push"}', '"scopes" must be a non-empty array of push, query, rules'],
    ['{"tenant":"t","scopes":["push"],"name":7}', '"name" must be a string of at most 200 characters'],
  ])('refuses the creation body %s with 400', async (body, text) => {
    const res = await create(body)
    expect([res.status, await res.text()]).toEqual([400, text])
  })
})
