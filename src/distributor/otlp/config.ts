/**
 * Loki's `otlp_config` (`pkg/loghttp/push/otlp_config.go`): which resource, scope and log
 * attributes become index labels, structured metadata or are dropped. The default list of
 * resource attributes that are index labels (`distributor.otlp_config
 * .default_resource_attributes_as_index_labels`) goes first unless `ignore_defaults` is set; the
 * first rule naming (or whose regex fully matches) an attribute decides, else it is structured
 * metadata. Configuration errors carry Loki's texts.
 */

import { parse as parseYaml } from 'yaml'
import { compileRegex, type CompiledRegex } from '../../logql/regex/regex'

export type AttributeAction = 'index_label' | 'structured_metadata' | 'drop'

export interface AttributesRule {
  readonly action: AttributeAction
  readonly attributes: readonly string[]
  readonly regex: CompiledRegex | null
}

export interface OtlpConfig {
  /** `resource_attributes.ignore_defaults`: the default index labels were not prepended. */
  readonly ignoreDefaults: boolean
  readonly resourceAttributes: readonly AttributesRule[]
  readonly scopeAttributes: readonly AttributesRule[]
  readonly logAttributes: readonly AttributesRule[]
  readonly severityTextAsLabel: boolean
}

export const DEFAULT_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS: readonly string[] = [
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
]

export class OtlpConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OtlpConfigError'
  }
}

function actionIn(attribute: string, rules: readonly AttributesRule[]): AttributeAction {
  for (const rule of rules) {
    if (rule.regex?.test(attribute)) return rule.action
    if (rule.attributes.includes(attribute)) return rule.action
  }
  return 'structured_metadata'
}

/** The action for each attribute kind, memoised per config (attribute names repeat a lot). */
export class AttributeActions {
  private readonly memo = [new Map<string, AttributeAction>(), new Map<string, AttributeAction>(), new Map<string, AttributeAction>()]

  constructor(readonly config: OtlpConfig) {}

  private lookup(kind: 0 | 1 | 2, attribute: string, rules: readonly AttributesRule[]): AttributeAction {
    const m = this.memo[kind]!
    let a = m.get(attribute)
    if (a === undefined) {
      a = actionIn(attribute, rules)
      if (m.size < 4096) m.set(attribute, a)
    }
    return a
  }

  resource(attribute: string): AttributeAction {
    return this.lookup(0, attribute, this.config.resourceAttributes)
  }
  scope(attribute: string): AttributeAction {
    return this.lookup(1, attribute, this.config.scopeAttributes)
  }
  log(attribute: string): AttributeAction {
    return this.lookup(2, attribute, this.config.logAttributes)
  }
}

const ACTIONS: readonly string[] = ['index_label', 'structured_metadata', 'drop']

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function parseRule(raw: unknown): AttributesRule {
  if (!isRecord(raw)) throw new OtlpConfigError('attributes config must be a mapping')
  const action = raw['action'] === undefined || raw['action'] === '' ? 'structured_metadata' : raw['action']
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    throw new OtlpConfigError('unsupported action, it must be one of: drop, index_label, structured_metadata')
  }
  const attrs = raw['attributes'] ?? []
  if (!Array.isArray(attrs) || !attrs.every((a) => typeof a === 'string')) {
    throw new OtlpConfigError('attributes must be a list of strings')
  }
  const regexText = raw['regex']
  if (regexText !== undefined && regexText !== null && typeof regexText !== 'string') {
    throw new OtlpConfigError('regex must be a string')
  }
  const hasRegex = typeof regexText === 'string' && regexText !== ''
  if (attrs.length === 0 && !hasRegex) throw new OtlpConfigError('attributes or regex must be set')
  if (attrs.length !== 0 && hasRegex) throw new OtlpConfigError('only one of attributes or regex must be set')
  return {
    action: action as AttributeAction,
    attributes: attrs as string[],
    regex: hasRegex ? compileRegex(regexText, { anchored: true, dotAll: true }) : null,
  }
}

function parseRules(raw: unknown, key: string): AttributesRule[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new OtlpConfigError(`${key} must be a list`)
  return raw.map(parseRule)
}

/**
 * Builds the effective config from the `otlp_config` setting (YAML or JSON, Loki's keys) and the
 * default index-label list. Throws `OtlpConfigError`.
 */
export function parseOtlpConfig(text: string, defaults: readonly string[] = DEFAULT_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS): OtlpConfig {
  let raw: unknown
  try {
    raw = text.trim() === '' ? {} : parseYaml(text)
  } catch (err) {
    throw new OtlpConfigError(`otlp_config: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (raw === null) raw = {}
  if (!isRecord(raw)) throw new OtlpConfigError('otlp_config must be a mapping')
  const res = raw['resource_attributes'] ?? {}
  if (!isRecord(res)) throw new OtlpConfigError('resource_attributes must be a mapping')
  const resourceRules = parseRules(res['attributes_config'], 'attributes_config')
  if (res['ignore_defaults'] !== true && defaults.length > 0) {
    resourceRules.unshift({ action: 'index_label', attributes: defaults, regex: null })
  }
  const scopeRules = parseRules(raw['scope_attributes'], 'scope_attributes')
  for (const r of scopeRules) {
    if (r.action === 'index_label') throw new OtlpConfigError('index_label action is only supported for resource_attributes')
  }
  return {
    ignoreDefaults: res['ignore_defaults'] === true,
    resourceAttributes: resourceRules,
    scopeAttributes: scopeRules,
    logAttributes: parseRules(raw['log_attributes'], 'log_attributes'),
    severityTextAsLabel: raw['severity_text_as_label'] === true,
  }
}
