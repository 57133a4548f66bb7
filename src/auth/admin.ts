/**
 * Token management behind the admin API: validating a creation request, creating (the secret is
 * returned once and only its hash stored), listing without secrets, revoking.
 */
import { tenantIdError } from '../tenant/tenant'
import { forgetGrant } from './authorize'
import { AuthError } from './errors'
import { isScope, SCOPES, type Scope } from './scopes'
import { generateToken, sha256Hex } from './token'
import { deleteToken, insertToken, listTokens, type TokenInfo } from './token-store'

const MAX_NAME_LENGTH = 200

export interface CreatedToken extends TokenInfo {
  readonly token: string
}

function bad(message: string): AuthError {
  return new AuthError(400, message)
}

function parseTenants(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') throw bad('"tenant" must be a non-empty string')
  const tenants = value.split('|')
  for (const t of tenants) {
    const err = t === '' ? `empty tenant ID in '${value}'` : tenantIdError(t)
    if (err) throw bad(err)
  }
  return [...new Set(tenants)]
}

function parseScopes(value: unknown): Scope[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(`"scopes" must be a non-empty array of ${SCOPES.join(', ')}`)
  const scopes: Scope[] = []
  for (const s of value) {
    if (typeof s !== 'string' || !isScope(s)) throw bad(`unknown scope ${JSON.stringify(s)}: use ${SCOPES.join(', ')}`)
    if (!scopes.includes(s)) scopes.push(s)
  }
  return scopes
}

function parseName(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value !== 'string' || value.length > MAX_NAME_LENGTH) throw bad(`"name" must be a string of at most ${MAX_NAME_LENGTH} characters`)
  return value
}

/** Validates `{"tenant":"t1","scopes":["push"],"name":"ci"}`; `tenant` may be `a|b` for a token of several tenants. */
export function parseCreateRequest(body: unknown): Omit<TokenInfo, 'id' | 'createdMs'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('request body must be a JSON object')
  const o = body as Record<string, unknown>
  return { tenants: parseTenants(o.tenant), scopes: parseScopes(o.scopes), name: parseName(o.name) }
}

export async function createToken(d1: D1Database, req: Omit<TokenInfo, 'id' | 'createdMs'>, nowMs: number): Promise<CreatedToken> {
  const { id, token } = generateToken()
  const info: TokenInfo = { id, createdMs: nowMs, ...req }
  await insertToken(d1, info, await sha256Hex(token))
  return { ...info, token }
}

export { listTokens }

export async function revokeToken(d1: D1Database, id: string): Promise<void> {
  const existed = await deleteToken(d1, id)
  forgetGrant(id)
  if (!existed) throw new AuthError(404, 'token not found')
}
