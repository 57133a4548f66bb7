/**
 * Per-tenant ingestion limits used by the distributor, named after Loki's `limits_config` YAML keys
 * (camelCase), with Loki 3.x's defaults. Durations are milliseconds, sizes are bytes. A size limit of
 * 0 disables that check, as in Loki.
 */

export interface ValidationLimits {
  /** `max_line_size` (bytes; 0 = unlimited). */
  maxLineSize: number
  /** `max_line_size_truncate`: cut long lines to `maxLineSize` instead of rejecting them. */
  maxLineSizeTruncate: boolean
  /** `max_label_names_per_series` (`service_name` is not counted). */
  maxLabelNamesPerSeries: number
  /** `max_label_name_length` (bytes). */
  maxLabelNameLength: number
  /** `max_label_value_length` (bytes). */
  maxLabelValueLength: number
  /** `reject_old_samples`. */
  rejectOldSamples: boolean
  /** `reject_old_samples_max_age` (ms). */
  rejectOldSamplesMaxAgeMs: number
  /** `creation_grace_period` (ms). */
  creationGracePeriodMs: number
  /** `allow_structured_metadata`. */
  allowStructuredMetadata: boolean
  /** `max_structured_metadata_size` (bytes of names + values; 0 = unlimited). */
  maxStructuredMetadataSize: number
  /** `max_structured_metadata_entries_count` (0 = unlimited). */
  maxStructuredMetadataEntriesCount: number
  /** `discover_service_name`: labels whose first non-empty value becomes `service_name`. */
  discoverServiceName: readonly string[]
  /** `discover_log_levels`: add `detected_level` structured metadata. */
  discoverLogLevels: boolean
  /** `log_level_fields`: field names searched for a level (an empty list means the defaults). */
  logLevelFields: readonly string[]
  /** `log_level_from_json_max_depth` (0 or less = unlimited). */
  logLevelFromJsonMaxDepth: number
  /** `increment_duplicate_timestamp`. */
  incrementDuplicateTimestamp: boolean
}

/** Limits on the HTTP body of a push, before and after decompression. */
export interface PushBodyLimits {
  /** Largest accepted body as received (compressed), in bytes. */
  maxBodyBytes: number
  /** Largest accepted body after gzip/deflate/snappy decompression, in bytes. */
  maxDecompressedBytes: number
}

export const DEFAULT_DISCOVER_SERVICE_NAME: readonly string[] = [
  'service',
  'app',
  'application',
  'app_name',
  'name',
  'app_kubernetes_io_name',
  'container',
  'container_name',
  'k8s_container_name',
  'component',
  'workload',
  'job',
  'k8s_job_name',
]

export const DEFAULT_LOG_LEVEL_FIELDS: readonly string[] = [
  'level',
  'LEVEL',
  'Level',
  'log.level',
  'severity',
  'SEVERITY',
  'Severity',
  'SeverityText',
  'lvl',
  'LVL',
  'Lvl',
  'severity_text',
  'Severity_Text',
  'SEVERITY_TEXT',
]

const HOUR_MS = 3_600_000

export const DEFAULT_VALIDATION_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxLineSize: 256 * 1024,
  maxLineSizeTruncate: false,
  maxLabelNamesPerSeries: 15,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 2048,
  rejectOldSamples: true,
  rejectOldSamplesMaxAgeMs: 168 * HOUR_MS,
  creationGracePeriodMs: 10 * 60_000,
  allowStructuredMetadata: true,
  maxStructuredMetadataSize: 64 * 1024,
  maxStructuredMetadataEntriesCount: 128,
  discoverServiceName: DEFAULT_DISCOVER_SERVICE_NAME,
  discoverLogLevels: true,
  logLevelFields: DEFAULT_LOG_LEVEL_FIELDS,
  logLevelFromJsonMaxDepth: 2,
  incrementDuplicateTimestamp: false,
})

/**
 * Body limits sized for a Worker isolate (128 MB): Loki's own defaults (100 MiB received, several
 * GiB decompressed) would not fit in memory.
 */
export const DEFAULT_PUSH_BODY_LIMITS: Readonly<PushBodyLimits> = Object.freeze({
  maxBodyBytes: 32 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
})
