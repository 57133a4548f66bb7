/**
 * The `drilldown-limits` answer (Loki 3.6+, pkg/loki/config_handler.go): the tenant limits Loki
 * publishes to Logs Drilldown, in JSON with durations written as Prometheus durations, whether a
 * pattern ingester runs (never here) and the version. Values come from the effective settings.
 */
import type { Settings } from '../config/settings'
import { parseOtlpConfig, type AttributesRule, type OtlpConfig } from '../distributor/otlp/config'
import { formatPromDuration } from '../go/duration'
import { VERSION } from '../version'
import { retentionPolicy } from '../overrides/retention-stream'

function duration(settings: Settings, key: string): string {
  return formatPromDuration(BigInt(settings.num(key)) * 1_000_000n)
}

/** One rule as Loki marshals it: empty attributes and an unset regex left out. */
function ruleJson(rule: AttributesRule): Record<string, unknown> {
  const out: Record<string, unknown> = { action: rule.action }
  if (rule.attributes.length > 0) out['attributes'] = rule.attributes
  if (rule.regex) out['regex'] = rule.regex.source
  return out
}

/** The tenant's OTLP config (defaults applied) with Loki's omitempty fields and sorted keys. */
function otlpJson(cfg: OtlpConfig): Record<string, unknown> {
  const resource: Record<string, unknown> = {}
  if (cfg.resourceAttributes.length > 0) resource['attributes_config'] = cfg.resourceAttributes.map(ruleJson)
  if (cfg.ignoreDefaults) resource['ignore_defaults'] = true
  const out: Record<string, unknown> = {}
  if (cfg.logAttributes.length > 0) out['log_attributes'] = cfg.logAttributes.map(ruleJson)
  out['resource_attributes'] = resource
  if (cfg.scopeAttributes.length > 0) out['scope_attributes'] = cfg.scopeAttributes.map(ruleJson)
  if (cfg.severityTextAsLabel) out['severity_text_as_label'] = true
  return out
}

export interface DrilldownLimits {
  readonly limits: Readonly<Record<string, unknown>>
  readonly pattern_ingester_enabled: boolean
  readonly version: string
}

/** retention_stream as Loki marshals it (omitted when empty): period, priority, selector. */
function retentionStream(settings: Settings): Record<string, unknown> {
  const rules = retentionPolicy(settings).rules
  if (rules.length === 0) return {}
  return {
    retention_stream: rules.map((r) => ({ period: formatPromDuration(BigInt(r.periodMs) * 1_000_000n), priority: r.priority, selector: r.selector })),
  }
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
      otlp_config: otlpJson(parseOtlpConfig(settings.text('otlp_config'), settings.list('default_resource_attributes_as_index_labels'))),
      pattern_persistence_enabled: false,
      query_timeout: duration(settings, 'query_timeout'),
      retention_period: duration(settings, 'retention_period'),
      ...retentionStream(settings),
      volume_enabled: settings.bool('volume_enabled'),
      volume_max_series: settings.num('volume_max_series'),
    },
    pattern_ingester_enabled: false,
    version: VERSION,
  }
}
