/**
 * The Worker entry point: the HTTP API and the Durable Object classes it binds.
 */
import { createApp } from './http/app'
import type { Env } from './env'
import { runCompactor } from './compactor/run'

export { StreamIngester } from './ingester/stream-ingester'
export { QueryExecutor } from './querier/query-executor'
export { Tailer } from './tail/tailer'
export { StreamLimiter } from './ingester/stream-limiter'
export { Ruler } from './ruler/ruler'

const app = createApp()

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: async (controller, env) => {
    const report = await runCompactor(env, controller.scheduledTime)
    console.log('compaction', JSON.stringify(report))
  },
} satisfies ExportedHandler<Env>
