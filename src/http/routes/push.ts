/**
 * `POST /loki/api/v1/push` and the legacy `/api/prom/push`: read the body under the size limit,
 * decode and validate it (distributor), hand each stream to its ingester, answer 204 or Loki's
 * status and text for the refused part. Valid entries of a partly invalid push are stored.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor, type Settings } from '../../config/settings'
import { decodePushBody } from '../../distributor/decode'
import { distribute } from '../../distributor/distribute'
import { bodyTooLarge } from '../../distributor/errors'
import { concat } from '../../distributor/body'
import type { ValidationLimits } from '../../distributor/limits'
import type { PushRequest } from '../../distributor/types'
import { sendToIngesters } from '../../distributor/send'
import { checkTenantRate } from '../../distributor/tenant-rate'
import type { IngesterLimits } from '../../ingester/types'
import { bytesReceived, discardedBytes, discardedSamples, linesReceived } from '../../metrics/meters'

export const pushRoutes = new Hono<AppEnv>()

const MB = 1 << 20

export function validationLimits(s: Settings): ValidationLimits {
  return {
    maxLineSize: s.num('max_line_size'),
    maxLineSizeTruncate: s.bool('max_line_size_truncate'),
    maxLabelNamesPerSeries: s.num('max_label_names_per_series'),
    maxLabelNameLength: s.num('max_label_name_length'),
    maxLabelValueLength: s.num('max_label_value_length'),
    rejectOldSamples: s.bool('reject_old_samples'),
    rejectOldSamplesMaxAgeMs: s.num('reject_old_samples_max_age'),
    creationGracePeriodMs: s.num('creation_grace_period'),
    allowStructuredMetadata: s.bool('allow_structured_metadata'),
    maxStructuredMetadataSize: s.num('max_structured_metadata_size'),
    maxStructuredMetadataEntriesCount: s.num('max_structured_metadata_entries_count'),
    discoverServiceName: s.list('discover_service_name'),
    discoverLogLevels: s.bool('discover_log_levels'),
    logLevelFields: s.list('log_level_fields'),
    logLevelFromJsonMaxDepth: s.num('log_level_from_json_max_depth'),
    incrementDuplicateTimestamp: s.bool('increment_duplicate_timestamp'),
  }
}

/** Compressed chunk_target_size is reached at roughly this many raw bytes per compressed byte. */
const RAW_PER_COMPRESSED = 5

export function ingesterLimits(s: Settings): IngesterLimits {
  return {
    maxChunkAgeMs: s.num('max_chunk_age'),
    chunkIdlePeriodMs: s.num('chunk_idle_period'),
    chunkTargetRawBytes: s.num('chunk_target_size') * RAW_PER_COMPRESSED,
    chunkBlockSize: s.num('chunk_block_size'),
    maxMemoryBytes: s.num('max_ingester_memory_bytes'),
    perStreamRateLimitBytes: s.num('per_stream_rate_limit') * MB,
    perStreamRateLimitBurstBytes: s.num('per_stream_rate_limit_burst') * MB,
    maxGlobalStreamsPerUser: s.num('max_global_streams_per_user'),
  }
}

/** Reads the body, refusing it once it exceeds `limit` bytes without buffering the rest. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const header = req.headers.get('Content-Length')
  const declared = header === null ? NaN : Number(header)
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(declared, limit)
  if (!req.body) return new Uint8Array(0)
  // A declared length within the limit: one native read instead of a chunk-by-chunk loop.
  if (Number.isFinite(declared)) {
    const bytes = new Uint8Array(await req.arrayBuffer())
    if (bytes.byteLength > limit) throw bodyTooLarge(bytes.byteLength, limit)
    return bytes
  }
  const reader = req.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw bodyTooLarge(size, limit)
    }
    parts.push(value)
  }
  return concat(parts, size)
}

async function handlePush(c: Context<AppEnv>, legacy: boolean): Promise<Response> {
  const settings = settingsFor(c.env)
  const tenant = c.get('tenant')
  const body = await readBody(c.req.raw, settings.num('max_recv_msg_size'))
  const decoded = await decodePushBody(
    body,
    { contentType: c.req.header('Content-Type') ?? null, contentEncoding: c.req.header('Content-Encoding') ?? null },
    { maxBodyBytes: settings.num('max_recv_msg_size'), maxDecompressedBytes: settings.num('max_decompressed_size') },
    { legacy },
  )
  const outcome = await ingest(c, decoded, validationLimits(settings))
  // Loki answers push errors with Go's http.Error, which ends the text with a newline.
  if (outcome) return c.text(`${outcome.message}\n`, outcome.status as 400)
  return c.body(null, 204)
}

/**
 * Validates a decoded push, counts it in the distributor metrics, applies the tenant rate limit
 * and stores it; returns null, or Loki's status and text for the refused part.
 */
export async function ingest(
  c: Context<AppEnv>,
  decoded: PushRequest,
  limits: ValidationLimits,
): Promise<{ status: number; message: string } | null> {
  const settings = settingsFor(c.env)
  const tenant = c.get('tenant')
  const push = distribute(decoded, limits, Date.now())
  linesReceived(push.stats.linesReceived, { tenant })
  bytesReceived(push.stats.bytesReceived, { tenant })
  for (const [reason, d] of Object.entries(push.stats.discarded)) {
    discardedSamples(d.lines, { reason, tenant })
    discardedBytes(d.bytes, { reason, tenant })
  }
  let lines = 0
  let bytes = 0
  for (const st of push.streams) {
    lines += st.entries.length
    for (const e of st.entries) {
      bytes += e.line.length
      if (e.metadata) for (const [k, v] of e.metadata) bytes += k.length + v.length
    }
  }
  try {
    checkTenantRate(tenant, settings.num('ingestion_rate_mb'), settings.num('ingestion_burst_size_mb'), lines, bytes, Date.now())
  } catch (err) {
    discardedSamples(lines, { reason: 'rate_limited', tenant })
    discardedBytes(bytes, { reason: 'rate_limited', tenant })
    throw err
  }
  return sendToIngesters(c.env, tenant, push, ingesterLimits(settings))
}

pushRoutes.post('/loki/api/v1/push', (c) => handlePush(c, false))
pushRoutes.post('/api/prom/push', (c) => handlePush(c, true))
