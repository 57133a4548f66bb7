/**
 * The `drilldown-limits` answer (Loki 3.6+, pkg/loki/config_handler.go): the tenant limits Loki
 * publishes to Logs Drilldown, in JSON with durations written as Prometheus durations, whether a
 * pattern ingester runs (never here) and the version. Values come from the effective settings.
 */
import type { Settings } from '../config/settings'
import { formatPromDuration } from '../logql/syntax'
import { VERSION } from '../version'

function duration(settings: Settings, key: string): string {
  return formatPromDuration(BigInt(settings.num(key)) * 1_000_000n)
}

export interface DrilldownLimits {
  readonly limits: Readonly<Record<string, unknown>>
  readonly pattern_ingester_enabled: boolean
  readonly version: string
}

export function drilldownLimits(settings: Settings): DrilldownLimits {
  return {
    limits: {
      discover_log_levels: settings.bool('discover_log_levels'),
      discover_service_name: settings.list('discover_service_name'),
      log_level_fields: settings.list('log_level_fields'),
      max_entries_limit_per_query: settings.num('max_entries_limit_per_query'),
      max_line_size_truncate: settings.bool('max_line_size_truncate'),
      max_query_bytes_read: '0B',
      max_query_length: duration(settings, 'max_query_length'),
      max_query_lookback: duration(settings, 'max_query_lookback'),
      max_query_range: '0s',
      max_query_series: settings.num('max_query_series'),
      metric_aggregation_enabled: false,
      otlp_config: {
        ResourceAttributes: { IgnoreDefaults: false, AttributesConfig: null },
        ScopeAttributes: null,
        LogAttributes: null,
        SeverityTextAsLabel: false,
      },
      pattern_persistence_enabled: false,
      query_timeout: duration(settings, 'query_timeout'),
      retention_period: '0s',
      retention_stream: null,
      volume_enabled: settings.bool('volume_enabled'),
      volume_max_series: settings.num('volume_max_series'),
    },
    pattern_ingester_enabled: false,
    version: VERSION,
  }
}
