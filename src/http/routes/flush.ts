/**
 * Loki's flush endpoints: `/flush` and `/ingester/flush_shutdown` cut every stream's head into
 * chunks in R2; `/ingester/shutdown` does the same (there is no process to stop).
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { allStreams } from '../../storage/label-index'
import { ingesterFor } from '../../ingester/naming'
import { doRequests } from '../../metrics/meters'

export const flushRoutes = new Hono<AppEnv>()

const PARALLEL_FLUSHES = 16

async function flushAll(c: Context<AppEnv>): Promise<Response> {
  const pending = new Set<Promise<unknown>>()
  for await (const s of allStreams(c.env.DB)) {
    doRequests(1)
    const p: Promise<unknown> = ingesterFor(c.env, s.tenant, s.labels)
      .flush()
      .finally(() => pending.delete(p))
    pending.add(p)
    if (pending.size >= PARALLEL_FLUSHES) await Promise.race(pending)
  }
  await Promise.all(pending)
  return c.body(null, 204)
}

flushRoutes.on(['GET', 'POST'], '/flush', flushAll)
flushRoutes.on(['GET', 'POST'], '/ingester/flush_shutdown', flushAll)
flushRoutes.on(['GET', 'POST'], '/ingester/shutdown', flushAll)
