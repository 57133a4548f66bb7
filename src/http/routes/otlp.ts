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
import { checkOtlpEncoding, decodeOtlpPush, otlpBodyTooLarge, OtlpUnencodableError } from '../../distributor/otlp/decode'
import { toErrorResponse } from '../errors'
import { pushDecoded, validationLimits } from '../../distributor/push'
import { readBody } from '../request-body'

export const otlpRoutes = new Hono<AppEnv>()

const encoder = new TextEncoder()

function varint(n: number): number[] {
  const out: number[] = []
  for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 0x80)
  out.push(n)
  return out
}

/** `google.rpc.Status{code=1, message=2}`; code 0 is omitted, as Loki sends it. */
function statusMessage(message: string, code = 0): Uint8Array {
  const text = encoder.encode(message)
  const head = code === 0 ? [] : [0x08, ...varint(code)]
  const len = text.length === 0 ? [] : [0x12, ...varint(text.length)]
  const out = new Uint8Array(head.length + len.length + text.length)
  out.set(head, 0)
  out.set(len, head.length)
  out.set(text, head.length + len.length)
  return out
}

/** gRPC's `codes.Internal`, which Loki sends when it cannot marshal the error text. */
const INTERNAL = 13
const UNMARSHALABLE = 'failed to marshal error response: proto: field ".Message" contains invalid UTF-8'

function otlpError(status: number, message: string, code = 0): Response {
  return new Response(statusMessage(message, code), {
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
    const limits = validationLimits(settings)
    const decoded = await decodeOtlpPush(
      body,
      headers,
      { maxBodyBytes: maxBody, maxDecompressedBytes: settings.num('max_decompressed_size') },
      { config: otlpConfig(settings), discoverServiceName: limits.discoverServiceName, nowMs: Date.now() },
    )
    // service_name was settled by the OTLP mapping; the push path must not discover it again.
    const outcome = await pushDecoded(c.env, c.get('tenant'), decoded, { ...limits, discoverServiceName: [] })
    if (outcome) return otlpError(outcome.status, outcome.message)
    return c.body(null, 204)
  } catch (err) {
    if (err instanceof OtlpUnencodableError) return otlpError(err.status, UNMARSHALABLE, INTERNAL)
    const r = toErrorResponse(err)
    return otlpError(r.status, r.body)
  }
})

// Loki's router answers these methods with an empty 405; GET and DELETE fall through to its 404.
// Hono routes HEAD as GET, hence the method check.
otlpRoutes.get('/otlp/v1/logs', (c) => (c.req.method === 'HEAD' ? c.body(null, 405) : c.notFound()))
otlpRoutes.on(['PUT', 'PATCH', 'OPTIONS'], '/otlp/v1/logs', (c) => c.body(null, 405))
