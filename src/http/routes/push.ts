/**
 * `POST /loki/api/v1/push` and the legacy `/api/prom/push`: read the body under the size limit,
 * hand it to the distributor, answer 204 or Loki's status and text for the refused part. Valid
 * entries of a partly invalid push are stored.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor } from '../../config/settings'
import { pushBody } from '../../distributor/push'
import { readBody } from '../request-body'

export const pushRoutes = new Hono<AppEnv>()

async function handlePush(c: Context<AppEnv>, legacy: boolean): Promise<Response> {
  const body = await readBody(c.req.raw, settingsFor(c.env).num('max_recv_msg_size'))
  const headers = { contentType: c.req.header('Content-Type') ?? null, contentEncoding: c.req.header('Content-Encoding') ?? null }
  const outcome = await pushBody(c.env, c.get('tenant'), body, headers, legacy)
  // Loki answers push errors with Go's http.Error, which ends the text with a newline.
  if (outcome) return c.text(`${outcome.message}\n`, outcome.status as 400)
  return c.body(null, 204)
}

pushRoutes.post('/loki/api/v1/push', (c) => handlePush(c, false))
pushRoutes.post('/api/prom/push', (c) => handlePush(c, true))
