/**
 * The Worker entry point: the HTTP API and the Durable Object classes it binds.
 */
import { createApp } from './http/app'
import type { Env } from './env'

export { StreamIngester } from './ingester/stream-ingester'

const app = createApp()

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>
