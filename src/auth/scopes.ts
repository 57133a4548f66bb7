/**
 * Token scopes and what each route needs. `push` writes logs, `query` reads them (every read
 * route, live tail included, and reading rules), `rules` writes the ruler API. Operational routes
 * that act on every tenant at once need the admin token; `/ready` and `/metrics` are open.
 */

export const SCOPES = ['push', 'query', 'rules'] as const
export type Scope = (typeof SCOPES)[number]

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s)
}

/** What a request must present: nothing, any valid token, the admin token, or a token with a scope. */
export type Requirement =
  | { readonly kind: 'open' }
  | { readonly kind: 'any-token' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'scope'; readonly scope: Scope }

const OPEN = new Set(['/ready', '/metrics'])
// drilldown-limits publishes the settings, the same for every tenant; it checks X-Scope-OrgID itself.
const INFO = new Set(['/config', '/services', '/loki/api/v1/status/buildinfo', '/loki/api/v1/drilldown-limits'])
const OPERATIONAL = new Set(['/flush', '/ingester/flush_shutdown', '/ingester/shutdown', '/compactor/run'])
const PUSH = new Set(['/loki/api/v1/push', '/api/prom/push', '/otlp/v1/logs'])
const RULER_PREFIXES = ['/loki/api/v1/rules', '/api/prom/rules', '/prometheus/config/v1/rules']
const DELETE_REQUESTS = '/loki/api/v1/delete'

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`)
}

/** The requirement of a request, by method and path; anything not named here is a read. */
export function requirementFor(method: string, path: string): Requirement {
  if (OPEN.has(path)) return { kind: 'open' }
  if (under(path, '/admin') || OPERATIONAL.has(path)) return { kind: 'admin' }
  if (INFO.has(path)) return { kind: 'any-token' }
  if (PUSH.has(path)) return { kind: 'scope', scope: 'push' }
  const reading = method === 'GET' || method === 'HEAD'
  if (!reading && RULER_PREFIXES.some((p) => under(path, p))) return { kind: 'scope', scope: 'rules' }
  // Delete requests change stored logs, so they need the scope that writes them.
  if (!reading && under(path, DELETE_REQUESTS)) return { kind: 'scope', scope: 'push' }
  return { kind: 'scope', scope: 'query' }
}

/** Read routes that answer for several tenants at once (`X-Scope-OrgID: a|b`), as Loki's multi-tenant querier. */
const MULTI_TENANT_READS = /^\/(?:loki\/api\/v1|api\/prom)\/(?:query_range|query|labels|label|label\/[^/]+\/values|series)$/u

export function allowsSeveralTenants(path: string): boolean {
  return MULTI_TENANT_READS.test(path)
}
