/**
 * `POST /otlp/v1/logs`: OTLP/HTTP logs (protobuf or JSON, gzip or none) mapped as Loki maps them,
 * then validated, counted and stored exactly as a `/loki/api/v1/push`. Errors are answered as
 * Loki's `OTLPError` does: the status (500 becomes 503, which OTLP clients retry) and a protobuf
 * `google.rpc.Status` whose message is Loki's text.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor, type Settings } from '../../config/settings'
import { PushError, REQUEST_BODY_TOO_LARGE } from '../../distributor/errors'
import { parseOtlpConfig, type OtlpConfig } from '../../distributor/otlp/config'
import { decodeOtlpLogs, otlpBodyTooLarge, otlpPushRequest, checkOtlpEncoding } from '../../distributor/otlp/decode'
import { toErrorResponse } from '../errors'
import { ingest, readBody, validationLimits } from './push'

export const otlpRoutes = new Hono<AppEnv>()

const encoder = new TextEncoder()

/** `google.rpc.Status{message=2}`; code 0 is omitted, as Loki sends it. */
function statusMessage(message: string): Uint8Array {
  const text = encoder.encode(message)
  if (text.length === 0) return new Uint8Array(0)
  const len: number[] = []
  for (let n = text.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      len.push(n)
      break
    }
    len.push((n % 128) | 0x80)
  }
  const out = new Uint8Array(1 + len.length + text.length)
  out[0] = 0x12
  out.set(len, 1)
  out.set(text, 1 + len.length)
  return out
}

function otlpError(status: number, message: string): Response {
  return new Response(statusMessage(message), {
    status: status === 500 ? 503 : status,
    headers: { 'Content-Type': 'application/octet-stream' },
  })
}

const configs = new Map<string, OtlpConfig>()

function otlpConfig(settings: Settings): OtlpConfig {
  const defaults = settings.list('default_resource_attributes_as_index_labels')
  const key = `${defaults.join(',')}\n${settings.text('otlp_config')}`
  let cfg = configs.get(key)
  if (!cfg) {
    cfg = parseOtlpConfig(settings.text('otlp_config'), defaults)
    configs.set(key, cfg)
  }
  return cfg
}

otlpRoutes.post('/otlp/v1/logs', async (c) => {
  try {
    const settings = settingsFor(c.env)
    const headers = { contentType: c.req.header('Content-Type') ?? null, contentEncoding: c.req.header('Content-Encoding') ?? null }
    checkOtlpEncoding(headers.contentEncoding)
    const maxBody = settings.num('max_recv_msg_size')
    let body: Uint8Array
    try {
      body = await readBody(c.req.raw, maxBody)
    } catch (err) {
      if (err instanceof PushError && err.reason === REQUEST_BODY_TOO_LARGE) throw otlpBodyTooLarge(maxBody)
      throw err
    }
    const logs = await decodeOtlpLogs(body, headers, {
      maxBodyBytes: maxBody,
      maxDecompressedBytes: settings.num('max_decompressed_size'),
    })
    const limits = validationLimits(settings)
    const decoded = otlpPushRequest(logs, {
      config: otlpConfig(settings),
      discoverServiceName: limits.discoverServiceName,
      nowMs: Date.now(),
    })
    // service_name was settled by the OTLP mapping; the push path must not discover it again.
    const outcome = await ingest(c, decoded, { ...limits, discoverServiceName: [] })
    if (outcome) return otlpError(outcome.status, outcome.message)
    return c.body(null, 204)
  } catch (err) {
    const r = toErrorResponse(err)
    return otlpError(r.status, r.body)
  }
})
