/**
 * An OTLP/HTTP logs body to a push request, as `extractLogs` (`pkg/loghttp/push/otlp.go`) checks
 * it: Content-Encoding first (none or gzip here), then the size limits (as received and inflated),
 * then the Content-Type, which must be exactly `application/x-protobuf` or `application/json`.
 * Every failure is a `PushError` with Loki's status and text.
 */

import { decompressBody } from '../body'
import { PushError, REQUEST_BODY_TOO_LARGE } from '../errors'
import type { PushBodyLimits } from '../limits'
import type { PushHeaders } from '../decode'
import type { PushRequest } from '../types'
import { AttributeActions, type OtlpConfig } from './config'
import { decodeOtlpJson } from './json'
import { JsonIterError } from './json-iter'
import type { ExportLogsRequest } from './model'
import { decodeOtlpProto, OtlpProtoError } from './proto'
import { otlpToPushRequest, OtlpMappingError } from './to-push'

/**
 * A refusal whose text is not valid UTF-8 in Go (json-iterator quotes raw input bytes), which
 * Loki cannot marshal into its `google.rpc.Status` answer.
 */
export class OtlpUnencodableError extends PushError {
  constructor(status: number, message: string) {
    super(status, message)
    this.name = 'OtlpUnencodableError'
  }
}

const PROTOBUF = 'application/x-protobuf'
const JSON_TYPE = 'application/json'

/** Loki's 413 for a body over `max_recv_msg_size` (it reads one byte past the limit). */
export function otlpBodyTooLarge(limit: number): PushError {
  return new PushError(413, `request body too large: message size too large than max (${limit + 1} vs ${limit})`, REQUEST_BODY_TOO_LARGE)
}

/**
 * Refuses an encoding before the body is read, with Loki's text; `zstd` and `lz4`, which Loki
 * reads but the Workers runtime cannot inflate, get a text saying so.
 */
export function checkOtlpEncoding(contentEncoding: string | null): void {
  const enc = contentEncoding ?? ''
  if (enc === '' || enc === 'gzip') return
  if (enc === 'zstd' || enc === 'lz4') throw new PushError(400, `unsupported content encoding ${enc}: only gzip is supported here`)
  throw new PushError(400, `unsupported content encoding ${enc}: only gzip, lz4 and zstd are supported`)
}

async function inflate(body: Uint8Array, contentEncoding: string | null, limits: PushBodyLimits): Promise<Uint8Array> {
  if ((contentEncoding ?? '') === '') {
    if (body.length > limits.maxDecompressedBytes) throw decompressedTooLarge(limits.maxDecompressedBytes)
    return body
  }
  try {
    return await decompressBody(body, 'gzip', { maxBodyBytes: Number.MAX_SAFE_INTEGER, maxDecompressedBytes: limits.maxDecompressedBytes })
  } catch (err) {
    if (err instanceof PushError && err.reason === REQUEST_BODY_TOO_LARGE) throw decompressedTooLarge(limits.maxDecompressedBytes)
    throw err
  }
}

function decompressedTooLarge(limit: number): PushError {
  return new PushError(400, `decompressed message size too large than max (${limit + 1} vs ${limit})`)
}

/** Decodes the body into OTLP logs; throws `PushError`. */
export async function decodeOtlpLogs(body: Uint8Array, headers: PushHeaders, limits: PushBodyLimits): Promise<ExportLogsRequest> {
  checkOtlpEncoding(headers.contentEncoding)
  if (body.length > limits.maxBodyBytes) throw otlpBodyTooLarge(limits.maxBodyBytes)
  const bytes = await inflate(body, headers.contentEncoding, limits)
  const type = headers.contentType ?? ''
  try {
    if (type === PROTOBUF) return decodeOtlpProto(bytes)
    if (type === JSON_TYPE) return decodeOtlpJson(bytes)
  } catch (err) {
    if (err instanceof JsonIterError && !err.validUtf8) throw new OtlpUnencodableError(400, err.message)
    if (err instanceof OtlpProtoError || err instanceof JsonIterError) throw new PushError(400, err.message)
    throw err
  }
  throw new PushError(400, `content type: ${type} is not supported`)
}

const actionsByConfig = new WeakMap<OtlpConfig, AttributeActions>()

export interface OtlpPushOptions {
  readonly config: OtlpConfig
  readonly discoverServiceName: readonly string[]
  readonly nowMs: number
}

/** OTLP logs to streams with Prometheus-text labels, for `distribute`. Throws `PushError`. */
export function otlpPushRequest(logs: ExportLogsRequest, options: OtlpPushOptions): PushRequest {
  try {
    let actions = actionsByConfig.get(options.config)
    if (!actions) {
      actions = new AttributeActions(options.config)
      actionsByConfig.set(options.config, actions)
    }
    return otlpToPushRequest(logs, {
      actions,
      discoverServiceName: options.discoverServiceName,
      nowMs: options.nowMs,
    })
  } catch (err) {
    if (err instanceof OtlpMappingError) throw new PushError(400, err.message)
    throw err
  }
}

/** A whole OTLP/HTTP body to streams for `distribute`. Throws `PushError`. */
export async function decodeOtlpPush(
  body: Uint8Array,
  headers: PushHeaders,
  limits: PushBodyLimits,
  options: OtlpPushOptions,
): Promise<PushRequest> {
  return otlpPushRequest(await decodeOtlpLogs(body, headers, limits), options)
}
