/**
 * The Hono application: tenant resolution, the routes, Loki's 404 and the single error handler.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { settingsFor } from '../config/settings'
import { tenantEnv } from '../overrides/overrides'
import { authorize } from '../auth/authorize'
import { checkQueryRate } from '../querier/query-rate'
import { toErrorResponse } from './errors'
import { adminRoutes } from './routes/admin'
import { labelRoutes } from './routes/labels'
import { metadataRoutes } from './routes/metadata'
import { pushRoutes } from './routes/push'
import { otlpRoutes } from './routes/otlp'
import { queryRoutes } from './routes/query'
import { tailRoutes } from './routes/tail'
import { flushRoutes } from './routes/flush'
import { compactorRoutes } from './routes/compactor'
import { tokenRoutes } from './routes/tokens'
import { rulesRoutes } from './routes/rules'
import { deleteRoutes } from './routes/delete'
import { overridesRoutes } from './routes/overrides'
import { workerRequests } from '../metrics/meters'

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    workerRequests(1)
    const settings = settingsFor(c.env)
    const identity = await authorize(
      { method: c.req.method, path: c.req.path, authorization: c.req.header('Authorization') ?? null, orgId: c.req.header('X-Scope-OrgID') ?? null },
      {
        authEnabled: settings.bool('auth_enabled'),
        authTokens: settings.bool('auth_tokens'),
        multiTenantQueries: settings.bool('multi_tenant_queries_enabled'),
        adminToken: c.env.ADMIN_TOKEN,
        db: c.env.DB,
      },
    )
    if (identity) {
      // A single tenant's request reads its overrides in every setting (per-tenant limits).
      const only = identity.tenants.length === 1 ? identity.tenants[0] : undefined
      if (only !== undefined) c.env = await tenantEnv(c.env, only)
      if (identity.reading) {
        const limits = settingsFor(c.env)
        for (const t of identity.tenants) checkQueryRate(t, limits.num('query_rate_limit'), limits.num('query_burst_size'), Date.now())
      }
      c.set('tenants', identity.tenants)
      c.set('tenant', identity.tenants.join('|'))
    }
    await next()
  })
  app.route('/', adminRoutes)
  app.route('/', pushRoutes)
  app.route('/', otlpRoutes)
  app.route('/', labelRoutes)
  app.route('/', metadataRoutes)
  app.route('/', queryRoutes)
  app.route('/', tailRoutes)
  app.route('/', flushRoutes)
  app.route('/', compactorRoutes)
  app.route('/', tokenRoutes)
  app.route('/', rulesRoutes)
  app.route('/', deleteRoutes)
  app.route('/', overridesRoutes)
  app.notFound(() => new Response('404 page not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }))
  app.onError((err) => {
    const r = toErrorResponse(err)
    return new Response(r.body, { status: r.status, headers: { 'Content-Type': r.contentType } })
  })
  return app
}
