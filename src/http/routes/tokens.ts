/**
 * The admin API for API tokens (every route needs the ADMIN_TOKEN secret, checked by the auth
 * middleware): create (the secret appears only in this answer), list without secrets, revoke.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { createToken, listTokens, parseCreateRequest, revokeToken } from '../../auth/admin'
import type { TokenInfo } from '../../auth/token-store'
import { HttpError } from '../errors'
import { jsonResponse } from '../json'

export const tokenRoutes = new Hono<AppEnv>()

const BASE = '/admin/api/v1/tokens'

function shown(t: TokenInfo): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    tenant: t.tenants.join('|'),
    scopes: t.scopes,
    created_at: new Date(t.createdMs).toISOString(),
  }
}

tokenRoutes.post(BASE, async (c) => {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new HttpError(400, 'request body must be a JSON object')
  }
  const created = await createToken(c.env.DB, parseCreateRequest(body), Date.now())
  return jsonResponse({ ...shown(created), token: created.token }, 201)
})

tokenRoutes.get(BASE, async (c) => jsonResponse((await listTokens(c.env.DB)).map(shown)))

tokenRoutes.delete(`${BASE}/:id`, async (c) => {
  await revokeToken(c.env.DB, c.req.param('id'))
  return c.body(null, 204)
})
