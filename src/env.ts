/**
 * The Worker's bindings, typed once by declaring them on `Cloudflare.Env` (as `wrangler types`
 * does). Settings arrive as wrangler vars named by Loki's YAML keys and are read through
 * `settingsFor(env)`, never directly.
 */
import type { StreamIngester } from './ingester/stream-ingester'
import type { QueryExecutor } from './querier/query-executor'
import type { Tailer } from './tail/tailer'
import type { StreamLimiter } from './ingester/stream-limiter'
import type { Ruler } from './ruler/ruler'

declare global {
  namespace Cloudflare {
    interface Env {
      readonly DB: D1Database
      readonly CHUNKS: R2Bucket
      readonly INGESTER: DurableObjectNamespace<StreamIngester>
      readonly QUERY_EXECUTOR: DurableObjectNamespace<QueryExecutor>
      readonly TAILER: DurableObjectNamespace<Tailer>
      readonly STREAM_LIMITER: DurableObjectNamespace<StreamLimiter>
      readonly RULER: DurableObjectNamespace<Ruler>
      /** The secret that manages API tokens (`wrangler secret put ADMIN_TOKEN`). */
      readonly ADMIN_TOKEN?: string
    }
  }
}

export type Env = Cloudflare.Env

/**
 * Hono's environment: bindings plus the per-request tenant set by the auth middleware. `tenants`
 * holds several only on the multi-tenant reads (then `tenant` is their `|` list, which names no
 * stored tenant); everywhere else it is `[tenant]`.
 */
export interface AppEnv {
  Bindings: Env
  Variables: { tenant: string; tenants: readonly string[] }
}
