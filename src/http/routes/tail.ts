/**
 * `GET /loki/api/v1/tail` and the legacy `/api/prom/tail` (old frame format): a live tail over
 * a WebSocket. Parameters are checked before the upgrade exactly as Loki's ParseTailQuery does
 * (pkg/loghttp/tail.go), each error a 400 with Loki's text; a request that is not a WebSocket
 * upgrade then gets gorilla's 400 `Bad Request`.
 */
import { Hono, type Context } from 'hono'
import { waitUntil } from 'cloudflare:workers'
import type { AppEnv } from '../../env'
import { settingsFor } from '../../config/settings'
import { HttpError } from '../errors'
import { requestParams } from '../request-params'
import { parseBounds, parseGoInt64, parseLimit, type Params } from '../params'
import { parseExpr, parseLogSelector } from '../../logql/syntax/parse'
import { openTail, type TailParams } from '../../querier/tail'
import type { FrameFormat } from '../../tail/frames'

export const tailRoutes = new Hono<AppEnv>()

const MAX_DELAY_FOR_SECONDS = 5
/** ParseTailQuery: query, regexp (validated, then unused as in Loki 3.7), limit, bounds, delay_for. */
function parseTailRequest(get: Params, format: FrameFormat): TailParams {
  const query = get('query') ?? ''
  const expr = parseExpr(query)
  if (get('regexp')) {
    try {
      parseLogSelector(query)
    } catch (err) {
      throw new HttpError(400, `rpc error: code = Code(400) desc = ${(err as Error).message}`)
    }
  }
  const limit = parseLimit(get)
  // Only the start counts, but `since` and `end` must parse.
  const { start } = parseBounds(get, null)
  // Loki keeps delay_for as a uint32, so a negative value is too great as well.
  const delay = BigInt.asUintN(32, parseGoInt64(get('delay_for'), 0))
  if (delay > BigInt(MAX_DELAY_FOR_SECONDS)) throw new HttpError(400, `delay_for can't be greater than ${MAX_DELAY_FOR_SECONDS}`)
  return { query, expr, limit, start, delayForSeconds: Number(delay), format }
}

function isUpgrade(c: Context<AppEnv>): boolean {
  return (c.req.header('Upgrade') ?? '').toLowerCase() === 'websocket'
}

async function handleTail(c: Context<AppEnv>, legacy: boolean): Promise<Response> {
  const p = await requestParams(c)
  const categorized = (c.req.header('X-Loki-Response-Encoding-Flags') ?? '').split(',').some((f) => f.trim() === 'categorize-labels')
  const format: FrameFormat = legacy ? (categorized ? 'legacy-categorized' : 'legacy') : categorized ? 'v1-categorized' : 'v1'
  const req = parseTailRequest(p.get, format)
  const tenant = c.get('tenant')
  // A tail reads one tenant (Loki's tenant.TenantID), checked after the parameters as Loki does.
  if (tenant.includes('|')) throw new HttpError(400, 'multiple org IDs present')
  if (!isUpgrade(c)) {
    return new Response('Bad Request\n', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Sec-Websocket-Version': '13', 'X-Content-Type-Options': 'nosniff' },
    })
  }
  return openTail(c.env, tenant, settingsFor(c.env), req, waitUntil)
}

tailRoutes.on(['GET', 'POST'], '/loki/api/v1/tail', (c) => handleTail(c, false))
tailRoutes.on(['GET', 'POST'], '/api/prom/tail', (c) => handleTail(c, true))
// Loki's router answers other methods with an empty 405.
tailRoutes.all('/loki/api/v1/tail', (c) => c.body(null, 405))
tailRoutes.all('/api/prom/tail', (c) => c.body(null, 405))
