/**
 * Push body decoding, following `ParseLokiRequest` (`pkg/loghttp/push/push.go`): Content-Encoding
 * first (size limits on the body as received and after inflation), then the media type:
 * `application/json` is JSON (v1, or legacy v0 for `/api/prom/push`), anything else is
 * snappy-compressed protobuf. Every failure is a `PushError` with Loki's status and text.
 */

import { decompressBody } from './body'
import { bodyTooLarge, PushError } from './errors'
import { decodeJsonPushRequest } from './json-decode'
import type { PushBodyLimits } from './limits'
import { decodeProtoPushRequest } from './proto-decode'
import { SnappyError, snappyDecode } from '../go/snappy'
import type { PushRequest } from './types'

export interface PushHeaders {
  contentType: string | null
  contentEncoding: string | null
}

export interface DecodeOptions {
  /** The request came to `/api/prom/push`: JSON bodies use the legacy v0 format. */
  legacy?: boolean
}

/** Go's `mime.ParseMediaType`, reduced to what the push path needs: the lower-cased media type. */
export function mediaType(header: string | null): string {
  const value = (header ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (value === '') throw new PushError(400, 'mime: no media type')
  if (!value.includes('/')) throw new PushError(400, 'mime: expected slash after first token')
  return value
}

/** Decodes a push body into streams whose labels are still Prometheus text. */
export async function decodePushBody(
  body: Uint8Array,
  headers: PushHeaders,
  limits: PushBodyLimits,
  options: DecodeOptions = {},
): Promise<PushRequest> {
  let type = ''
  const bytes = await decompressBody(body, headers.contentEncoding, limits, () => {
    type = mediaType(headers.contentType)
  })
  if (type === 'application/json') return decodeJsonPushRequest(bytes, options.legacy === true)
  let raw: Uint8Array
  try {
    raw = snappyDecode(bytes, limits.maxDecompressedBytes, (declared) =>
      bodyTooLarge(declared, limits.maxDecompressedBytes),
    )
  } catch (err) {
    if (err instanceof SnappyError) throw new PushError(400, err.message)
    throw err
  }
  return decodeProtoPushRequest(raw)
}
