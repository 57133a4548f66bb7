/**
 * The distributor's work for one push request: decode the body, validate, enrich and group it by
 * stream, count it in the distributor metrics, apply the tenant's ingestion rate and send each
 * stream to its ingester. Routes read the body and marshal the answer; this is all in between.
 */
import type { Env } from '../env'
import { settingsFor, type Settings } from '../config/settings'
import type { IngesterLimits } from '../ingester/types'
import { bytesReceived, discardedBytes, discardedSamples, linesReceived } from '../metrics/meters'
import { decodePushBody, type PushHeaders } from './decode'
import { distribute } from './distribute'
import type { ValidationLimits } from './limits'
import { sendToIngesters, type PushOutcome } from './send'
import { checkTenantRate } from './tenant-rate'
import type { PushRequest } from './types'

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

/**
 * A `/loki/api/v1/push` (or legacy `/api/prom/push`) body: decoded, then stored as
 * `pushDecoded` stores it; null, or Loki's status and text for the refused part.
 */
export async function pushBody(
  env: Env,
  tenant: string,
  body: Uint8Array,
  headers: PushHeaders,
  legacy: boolean,
): Promise<PushOutcome | null> {
  const settings = settingsFor(env)
  const decoded = await decodePushBody(
    body,
    headers,
    { maxBodyBytes: settings.num('max_recv_msg_size'), maxDecompressedBytes: settings.num('max_decompressed_size') },
    { legacy },
  )
  return pushDecoded(env, tenant, decoded, validationLimits(settings))
}

/**
 * Validates a decoded push, counts it in the distributor metrics, applies the tenant rate limit
 * and stores it; returns null, or Loki's status and text for the refused part.
 */
export async function pushDecoded(
  env: Env,
  tenant: string,
  decoded: PushRequest,
  limits: ValidationLimits,
): Promise<PushOutcome | null> {
  const settings = settingsFor(env)
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
  return sendToIngesters(env, tenant, push, ingesterLimits(settings))
}
