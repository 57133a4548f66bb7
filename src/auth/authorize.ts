/**
 * Who a request is: the tenants it acts for, decided from its token (with `auth_tokens`) or from
 * X-Scope-OrgID (Loki's rules), plus the admin token check for the admin and operational routes.
 * Token lookups go through a per-isolate cache, so steady-state requests read nothing from D1.
 */
import { resolveTenant } from '../tenant/tenant'
import { parseAuthorization } from './credentials'
import {
  ADMIN_DISABLED,
  AuthError,
  INVALID_ADMIN_TOKEN,
  INVALID_TOKEN,
  MISSING_TOKEN,
  scopeMissing,
  tenantNotAllowed,
} from './errors'
import { GrantCache } from './grant-cache'
import { MULTIPLE_ORG_IDS, parseOrgIds, TENANT_SEPARATOR } from './org-ids'
import { allowsSeveralTenants, requirementFor, type Requirement } from './scopes'
import { constantTimeEqual, secretMatches, sha256Hex, tokenId } from './token'
import { findGrant, type TokenGrant } from './token-store'

export interface AuthRequest {
  readonly method: string
  readonly path: string
  readonly authorization: string | null
  readonly orgId: string | null
}

export interface AuthConfig {
  readonly authEnabled: boolean
  readonly authTokens: boolean
  readonly multiTenantQueries: boolean
  readonly adminToken: string | undefined
  readonly db: D1Database
}

/**
 * The tenants the request acts for (sorted; several only for a multi-tenant read) and whether it
 * reads (the `query` scope), or null for routes that act on no tenant.
 */
export type Identity = { readonly tenants: readonly string[]; readonly reading: boolean } | null

const grants = new GrantCache()

/** Forgets a token in this isolate at once (other isolates within the cache's TTL). */
export function forgetGrant(id: string): void {
  grants.delete(id)
}

async function grantFor(db: D1Database, token: string): Promise<TokenGrant | null> {
  const id = tokenId(token)
  if (id === null) return null
  const now = Date.now()
  let grant = grants.get(id, now)
  if (grant === undefined) {
    grant = await findGrant(db, id)
    grants.set(id, grant, now)
  }
  if (grant === null) return null
  return constantTimeEqual(await sha256Hex(token), grant.hash) ? grant : null
}

/** Throws 401 unless `token` is the configured admin token. */
export async function checkAdminToken(adminToken: string | undefined, authorization: string | null): Promise<void> {
  if (adminToken === undefined || adminToken === '') throw new AuthError(401, ADMIN_DISABLED)
  const creds = parseAuthorization(authorization)
  if (creds === null) throw new AuthError(401, INVALID_ADMIN_TOKEN)
  if (!(await secretMatches(creds.token, adminToken))) throw new AuthError(401, INVALID_ADMIN_TOKEN)
}

function isAdminApi(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/')
}

/** Several tenants are allowed only on the reads that support them, with multi_tenant_queries_enabled. */
function severalAllowed(req: AuthRequest, cfg: AuthConfig): boolean {
  return cfg.multiTenantQueries && allowsSeveralTenants(req.path)
}

/** Tenants from an X-Scope-OrgID value: Loki's single-tenant checks, or a `|` list where allowed. */
function tenantsNamed(orgId: string, several: boolean): string[] {
  if (!orgId.includes(TENANT_SEPARATOR)) return [resolveTenant(true, orgId)]
  if (!several) throw new AuthError(400, MULTIPLE_ORG_IDS)
  return parseOrgIds(orgId)
}

/** The tenants named by the request (header first, then the Basic user, else all the token's), each one the token's. */
function tenantsOf(req: AuthRequest, user: string | null, grant: TokenGrant, several: boolean): string[] {
  const named = req.orgId !== null && req.orgId.trim() !== '' ? req.orgId.trim() : user
  if (named === null) return tenantsNamed(grant.tenants.join(TENANT_SEPARATOR), several)
  for (const t of named.split(TENANT_SEPARATOR)) if (!grant.tenants.includes(t)) throw tenantNotAllowed(t)
  return tenantsNamed(named, several)
}

async function tokenIdentity(req: AuthRequest, need: Requirement, cfg: AuthConfig): Promise<Identity> {
  const creds = parseAuthorization(req.authorization)
  if (need.kind === 'admin') {
    await checkAdminToken(cfg.adminToken, req.authorization)
    return null
  }
  if (creds === null) throw new AuthError(401, MISSING_TOKEN)
  if (need.kind === 'any-token' && cfg.adminToken && (await secretMatches(creds.token, cfg.adminToken))) return null
  const grant = await grantFor(cfg.db, creds.token)
  if (grant === null) throw new AuthError(401, INVALID_TOKEN)
  if (need.kind !== 'scope') return null
  if (!grant.scopes.has(need.scope)) throw scopeMissing(need.scope)
  return { tenants: tenantsOf(req, creds.user, grant, severalAllowed(req, cfg)), reading: need.scope === 'query' }
}

/** Decides the request's identity; throws AuthError (401/403) or the tenant errors of Loki. */
export async function authorize(req: AuthRequest, cfg: AuthConfig): Promise<Identity> {
  const need = requirementFor(req.method, req.path)
  if (isAdminApi(req.path)) {
    await checkAdminToken(cfg.adminToken, req.authorization)
    return null
  }
  if (need.kind === 'open') return null
  if (cfg.authEnabled && cfg.authTokens) return tokenIdentity(req, need, cfg)
  if (need.kind !== 'scope') return null
  const reading = need.scope === 'query'
  if (!cfg.authEnabled || req.orgId === null) return { tenants: [resolveTenant(cfg.authEnabled, req.orgId)], reading }
  return { tenants: tenantsNamed(req.orgId, severalAllowed(req, cfg)), reading }
}
