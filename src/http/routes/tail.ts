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
import { nowNs, parseTimestamp, type Params } from '../params'
import { goQuote } from '../../logql/syntax/go-string'
import { parseExpr, parseLogSelector } from '../../logql/syntax'
import { parsePromDuration } from '../../logql/syntax/units'
import { openTail, type TailParams } from '../../querier/tail'
import type { FrameFormat } from '../../tail/frames'

export const tailRoutes = new Hono<AppEnv>()

const MAX_DELAY_FOR_SECONDS = 5
const DEFAULT_SINCE_NS = 3_600_000_000_000n
const MAX_INT64 = (1n << 63n) - 1n
const INT_RE = /^[+-]?\d+$/

/** Go's strconv.Atoi with Loki's `parseInt` default for an empty value. */
function atoi(raw: string | undefined, def: number): bigint {
  if (raw === undefined || raw === '') return BigInt(def)
  if (!INT_RE.test(raw)) throw new HttpError(400, `strconv.Atoi: parsing ${goQuote(raw)}: invalid syntax`)
  const n = BigInt(raw)
  if (n > MAX_INT64 || n < -MAX_INT64 - 1n) throw new HttpError(400, `strconv.Atoi: parsing ${goQuote(raw)}: value out of range`)
  return n
}

function timestamp(get: Params, name: string, def: bigint): bigint {
  try {
    return parseTimestamp(get(name), def)
  } catch (err) {
    throw new HttpError(400, `could not parse '${name}' parameter: ${(err as Error).message}`)
  }
}

/** Loki's `bounds()` as the tail uses it: only the start counts, but `since` and `end` must parse. */
function tailStart(get: Params): bigint {
  let since = DEFAULT_SINCE_NS
  const raw = get('since')
  if (raw !== undefined && raw !== '') {
    try {
      since = parsePromDuration(raw)
    } catch (err) {
      throw new HttpError(400, `could not parse 'since' parameter: ${(err as Error).message}`)
    }
  }
  const now = nowNs()
  const end = timestamp(get, 'end', now)
  return timestamp(get, 'start', (end < now ? end : now) - since)
}

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
  const limit = atoi(get('limit'), 100)
  if (limit <= 0n) throw new HttpError(400, 'limit must be a positive value')
  const start = tailStart(get)
  // Loki keeps delay_for as a uint32, so a negative value is too great as well.
  const delay = BigInt.asUintN(32, atoi(get('delay_for'), 0))
  if (delay > BigInt(MAX_DELAY_FOR_SECONDS)) throw new HttpError(400, `delay_for can't be greater than ${MAX_DELAY_FOR_SECONDS}`)
  return { query, expr, limit: Number(BigInt.asUintN(32, limit)), start, delayForSeconds: Number(delay), format }
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
