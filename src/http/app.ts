/**
 * The Hono application: tenant resolution, the routes, Loki's 404 and the single error handler.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { settingsFor } from '../config/settings'
import { resolveTenant } from '../tenant/tenant'
import { toErrorResponse } from './errors'
import { adminRoutes } from './routes/admin'
import { labelRoutes } from './routes/labels'
import { metadataRoutes } from './routes/metadata'
import { pushRoutes } from './routes/push'
import { queryRoutes } from './routes/query'
import { flushRoutes } from './routes/flush'
import { compactorRoutes } from './routes/compactor'
import { workerRequests } from '../metrics/meters'

const UNSCOPED = new Set([
  '/ready',
  '/metrics',
  '/config',
  '/services',
  '/loki/api/v1/status/buildinfo',
  '/flush',
  '/ingester/flush_shutdown',
  '/ingester/shutdown',
  '/compactor/run',
])

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    workerRequests(1)
    if (!UNSCOPED.has(c.req.path)) {
      c.set('tenant', resolveTenant(settingsFor(c.env).bool('auth_enabled'), c.req.header('X-Scope-OrgID') ?? null))
    }
    await next()
  })
  app.route('/', adminRoutes)
  app.route('/', pushRoutes)
  app.route('/', labelRoutes)
  app.route('/', metadataRoutes)
  app.route('/', queryRoutes)
  app.route('/', flushRoutes)
  app.route('/', compactorRoutes)
  app.notFound((c) => c.text('404 page not found\n', 404))
  app.onError((err) => {
    const r = toErrorResponse(err)
    return new Response(r.body, { status: r.status, headers: { 'Content-Type': r.contentType } })
  })
  return app
}
