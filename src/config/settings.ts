/**
 * Effective settings: every limit and threshold is a wrangler var named by Loki's YAML key and
 * defaults to Loki's value, so `wrangler dev --var max_line_size:1024` changes it for one run.
 * Durations are written as Loki writes them (`168h`, `10m`), sizes in Loki's units.
 */
import { durationNsToMs, parsePromDuration } from '../go/duration'

type Kind = 'bool' | 'int' | 'float' | 'duration' | 'list' | 'string'

interface SettingSpec {
  readonly key: string
  readonly kind: Kind
  readonly default: string
  /** Section of Loki's YAML config the key lives in, for `/config`. */
  readonly section: 'auth' | 'limits_config' | 'ingester' | 'distributor' | 'query_range' | 'querier' | 'compactor' | 'ruler'
}

/** Loki's keys and defaults (pkg/validation/limits.go, pkg/ingester, docs configuration.md). */
export const SETTING_SPECS: readonly SettingSpec[] = [
  { key: 'auth_enabled', kind: 'bool', default: 'false', section: 'auth' },
  // Not Loki's: with auth_enabled, every request needs an API token, which decides its tenant.
  { key: 'auth_tokens', kind: 'bool', default: 'false', section: 'auth' },
  { key: 'multi_tenant_queries_enabled', kind: 'bool', default: 'false', section: 'querier' },
  { key: 'max_global_streams_per_user', kind: 'int', default: '5000', section: 'limits_config' },
  // Not Loki's: read requests per second and burst per tenant (0: no limit).
  { key: 'query_rate_limit', kind: 'float', default: '0', section: 'limits_config' },
  { key: 'query_burst_size', kind: 'int', default: '50', section: 'limits_config' },
  { key: 'ingestion_rate_mb', kind: 'float', default: '4', section: 'limits_config' },
  { key: 'ingestion_burst_size_mb', kind: 'float', default: '6', section: 'limits_config' },
  { key: 'per_stream_rate_limit', kind: 'float', default: '3', section: 'limits_config' },
  { key: 'per_stream_rate_limit_burst', kind: 'float', default: '15', section: 'limits_config' },
  { key: 'max_line_size', kind: 'int', default: '262144', section: 'limits_config' },
  { key: 'max_line_size_truncate', kind: 'bool', default: 'false', section: 'limits_config' },
  { key: 'max_label_name_length', kind: 'int', default: '1024', section: 'limits_config' },
  { key: 'max_label_value_length', kind: 'int', default: '2048', section: 'limits_config' },
  { key: 'max_label_names_per_series', kind: 'int', default: '15', section: 'limits_config' },
  { key: 'reject_old_samples', kind: 'bool', default: 'true', section: 'limits_config' },
  { key: 'reject_old_samples_max_age', kind: 'duration', default: '1w', section: 'limits_config' },
  { key: 'creation_grace_period', kind: 'duration', default: '10m', section: 'limits_config' },
  { key: 'allow_structured_metadata', kind: 'bool', default: 'true', section: 'limits_config' },
  { key: 'max_structured_metadata_size', kind: 'int', default: '65536', section: 'limits_config' },
  { key: 'max_structured_metadata_entries_count', kind: 'int', default: '128', section: 'limits_config' },
  { key: 'discover_service_name', kind: 'list', default: 'service,app,application,app_name,name,app_kubernetes_io_name,container,container_name,k8s_container_name,component,workload,job,k8s_job_name', section: 'limits_config' },
  { key: 'discover_log_levels', kind: 'bool', default: 'true', section: 'limits_config' },
  { key: 'log_level_fields', kind: 'list', default: 'level,LEVEL,Level,log.level,severity,SEVERITY,Severity,SeverityText,lvl,LVL,Lvl,severity_text,Severity_Text,SEVERITY_TEXT', section: 'limits_config' },
  { key: 'log_level_from_json_max_depth', kind: 'int', default: '2', section: 'limits_config' },
  { key: 'increment_duplicate_timestamp', kind: 'bool', default: 'false', section: 'limits_config' },
  { key: 'max_entries_limit_per_query', kind: 'int', default: '5000', section: 'limits_config' },
  { key: 'max_query_series', kind: 'int', default: '500', section: 'limits_config' },
  { key: 'max_query_length', kind: 'duration', default: '721h', section: 'limits_config' },
  { key: 'max_query_lookback', kind: 'duration', default: '0s', section: 'limits_config' },
  { key: 'query_timeout', kind: 'duration', default: '1m', section: 'limits_config' },
  { key: 'split_queries_by_interval', kind: 'duration', default: '1h', section: 'limits_config' },
  { key: 'max_query_parallelism', kind: 'int', default: '32', section: 'limits_config' },
  // Not Loki's: whether range metric queries run as split parts in QueryExecutor objects
  // (answers are the same either way; false evaluates them in one pass).
  { key: 'split_metric_queries', kind: 'bool', default: 'true', section: 'query_range' },
  { key: 'max_streams_matchers_per_query', kind: 'int', default: '1000', section: 'limits_config' },
  { key: 'max_concurrent_tail_requests', kind: 'int', default: '10', section: 'limits_config' },
  { key: 'tail_max_duration', kind: 'duration', default: '1h', section: 'querier' },
  { key: 'volume_enabled', kind: 'bool', default: 'true', section: 'limits_config' },
  { key: 'volume_max_series', kind: 'int', default: '1000', section: 'limits_config' },
  { key: 'max_recv_msg_size', kind: 'int', default: '33554432', section: 'distributor' },
  { key: 'max_decompressed_size', kind: 'int', default: '67108864', section: 'distributor' },
  // OTLP: distributor.otlp_config.default_resource_attributes_as_index_labels and the
  // limits_config.otlp_config overrides (YAML or JSON, Loki's keys).
  { key: 'default_resource_attributes_as_index_labels', kind: 'list', default: 'service.name,service.namespace,service.instance.id,deployment.environment,deployment.environment.name,cloud.region,cloud.availability_zone,k8s.cluster.name,k8s.namespace.name,k8s.pod.name,k8s.container.name,container.name,k8s.replicaset.name,k8s.deployment.name,k8s.statefulset.name,k8s.daemonset.name,k8s.cronjob.name,k8s.job.name', section: 'distributor' },
  { key: 'otlp_config', kind: 'string', default: '', section: 'limits_config' },
  { key: 'max_chunk_age', kind: 'duration', default: '2h', section: 'ingester' },
  { key: 'chunk_idle_period', kind: 'duration', default: '30m', section: 'ingester' },
  { key: 'chunk_target_size', kind: 'int', default: '1572864', section: 'ingester' },
  { key: 'chunk_block_size', kind: 'int', default: '262144', section: 'ingester' },
  // Not Loki's: line bytes one stream's ingester object holds unflushed (its head, read whole by
  // queries and flushed in segments of at most chunk_target_size); past it pushes get a 429.
  { key: 'max_ingester_memory_bytes', kind: 'int', default: '16777216', section: 'ingester' },
  // The ruler (pkg/ruler/base/ruler.go, pkg/validation/limits.go). ruler_remote_write_url is
  // Loki's ruler.remote_write.client.url; an empty URL sends nothing.
  { key: 'evaluation_interval', kind: 'duration', default: '1m', section: 'ruler' },
  { key: 'alertmanager_url', kind: 'string', default: '', section: 'ruler' },
  { key: 'resend_delay', kind: 'duration', default: '1m', section: 'ruler' },
  { key: 'ruler_remote_write_url', kind: 'string', default: '', section: 'ruler' },
  { key: 'ruler_max_rules_per_rule_group', kind: 'int', default: '0', section: 'limits_config' },
  { key: 'ruler_max_rule_groups_per_tenant', kind: 'int', default: '0', section: 'limits_config' },
  // Not Loki's: recording-rule samples also kept in the tenant's Ruler object for
  // /prometheus/api/v1/query and query_range, for this long.
  { key: 'ruler_keep_samples', kind: 'bool', default: 'true', section: 'ruler' },
  { key: 'ruler_samples_retention', kind: 'duration', default: '15d', section: 'ruler' },
  // Deletes and retention (pkg/compactor/config.go, pkg/validation/limits.go). retention_stream
  // holds Loki's YAML or JSON list of {selector, priority, period}.
  { key: 'retention_enabled', kind: 'bool', default: 'false', section: 'compactor' },
  { key: 'delete_request_cancel_period', kind: 'duration', default: '24h', section: 'compactor' },
  { key: 'delete_max_interval', kind: 'duration', default: '24h', section: 'compactor' },
  { key: 'retention_delete_delay', kind: 'duration', default: '2h', section: 'compactor' },
  { key: 'deletion_mode', kind: 'string', default: 'filter-and-delete', section: 'limits_config' },
  { key: 'retention_period', kind: 'duration', default: '0s', section: 'limits_config' },
  { key: 'retention_stream', kind: 'string', default: '', section: 'limits_config' },
]

export type SettingValue = boolean | number | string | readonly string[]

/** Raw var values as wrangler hands them to the Worker (strings, or JSON values from wrangler.toml). */
export type VarSource = Readonly<Record<string, unknown>>

export class SettingsError extends Error {}

function parseValue(spec: SettingSpec, raw: string): SettingValue {
  switch (spec.kind) {
    case 'bool':
      if (raw === 'true' || raw === '1') return true
      if (raw === 'false' || raw === '0') return false
      throw new SettingsError(`setting ${spec.key}: invalid boolean "${raw}"`)
    case 'int':
    case 'float': {
      const n = Number(raw)
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) {
        throw new SettingsError(`setting ${spec.key}: invalid number "${raw}"`)
      }
      return n
    }
    case 'duration': {
      try {
        return durationNsToMs(parsePromDuration(raw))
      } catch {
        throw new SettingsError(`setting ${spec.key}: invalid duration "${raw}"`)
      }
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
    case 'string':
      return raw
  }
}

/** Resolved settings: keyed by Loki's YAML key; durations in milliseconds. */
export class Settings {
  private constructor(
    private readonly values: ReadonlyMap<string, SettingValue>,
    private readonly raw: ReadonlyMap<string, string>,
  ) {}

  static fromVars(vars: VarSource): Settings {
    const values = new Map<string, SettingValue>()
    const raw = new Map<string, string>()
    for (const spec of SETTING_SPECS) {
      const given = vars[spec.key]
      const text = given === undefined || given === null ? spec.default : String(given)
      values.set(spec.key, parseValue(spec, text))
      raw.set(spec.key, text)
    }
    return new Settings(values, raw)
  }

  bool(key: string): boolean {
    const v = this.values.get(key)
    if (typeof v !== 'boolean') throw new SettingsError(`setting ${key} is not a boolean`)
    return v
  }

  num(key: string): number {
    const v = this.values.get(key)
    if (typeof v !== 'number') throw new SettingsError(`setting ${key} is not a number`)
    return v
  }

  list(key: string): readonly string[] {
    const v = this.values.get(key)
    if (!Array.isArray(v)) throw new SettingsError(`setting ${key} is not a list`)
    return v as readonly string[]
  }

  /** The value as configured (for `/config`), e.g. `168h` stays as written. */
  text(key: string): string {
    return this.raw.get(key) ?? ''
  }
}

const cache = new WeakMap<object, Settings>()

/** Settings for an `env` object, parsed once per isolate and env. */
export function settingsFor(env: object): Settings {
  let s = cache.get(env)
  if (!s) {
    s = Settings.fromVars(env as VarSource)
    cache.set(env, s)
  }
  return s
}
