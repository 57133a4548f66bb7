/**
 * `/prometheus/api/v1/rules` and `/prometheus/api/v1/alerts` as Loki answers them
 * (pkg/ruler/base/api.go): Go's JSON with its escapes, times in RFC 3339 with nanoseconds (Go's
 * zero time before the first evaluation), durations in seconds, alert values in `%e` form, the
 * rule's query in LogQL's canonical form. Filters are Loki's `type`, `file`, `rule_group`,
 * `rule_name` (repeatable); a group keeps only its matching rules and is left out without any.
 */
import { goJson } from '../util/go-json'
import { rfc3339Nano } from '../util/time'
import { canonicalQuery } from './generator-url'
import { formatFloat } from '../logql/template/ftoa'
import { isAlerting, ruleName, type Rule, type RuleGroup } from './rule-group'
import type { Alert, AlertState } from './alert-state'

export interface RuleStatus {
  readonly rule: Rule
  readonly state: AlertState
  readonly health: string
  readonly lastError: string
  readonly lastEvaluationMs: number
  readonly evaluationSeconds: number
  readonly alerts: readonly Alert[]
}

export interface GroupStatus {
  readonly namespace: string
  readonly group: RuleGroup
  readonly intervalMs: number
  readonly lastEvaluationMs: number
  readonly evaluationSeconds: number
  readonly rules: readonly RuleStatus[]
}

export interface RulesFilter {
  readonly type: 'alert' | 'record' | null
  readonly files: readonly string[]
  readonly groups: readonly string[]
  readonly names: readonly string[]
}

const time = (ms: number): string => (ms === 0 ? '0001-01-01T00:00:00Z' : rfc3339Nano(BigInt(ms) * 1_000_000n))

function alertJson(a: Alert): Record<string, unknown> {
  return { labels: a.labels, annotations: a.annotations, state: a.state, activeAt: time(a.activeAtMs), value: formatFloat(a.value, 'e', -1) }
}

function sorted(m: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(m).sort()) out[k] = m[k] as string
  return out
}

function ruleJson(s: RuleStatus): Record<string, unknown> {
  const r = s.rule
  const common = { health: s.health, lastError: s.lastError }
  const timing = { lastEvaluation: time(s.lastEvaluationMs), evaluationTime: s.evaluationSeconds }
  if (isAlerting(r)) {
    return {
      state: s.state, name: r.alert, query: canonicalQuery(r.expr), duration: r.forMs / 1000, labels: sorted(r.labels), annotations: sorted(r.annotations),
      alerts: s.alerts.map(alertJson), ...common, type: 'alerting', ...timing,
    }
  }
  return { name: r.record, query: canonicalQuery(r.expr), labels: sorted(r.labels), ...common, type: 'recording', ...timing }
}

function matches(f: RulesFilter, g: GroupStatus, r: Rule): boolean {
  if (f.type === 'alert' && !isAlerting(r)) return false
  if (f.type === 'record' && isAlerting(r)) return false
  if (f.files.length > 0 && !f.files.includes(g.namespace)) return false
  if (f.groups.length > 0 && !f.groups.includes(g.group.name)) return false
  return f.names.length === 0 || f.names.includes(ruleName(r))
}

const filtering = (f: RulesFilter): boolean => f.type !== null || f.files.length + f.groups.length + f.names.length > 0

export function rulesResponse(groups: readonly GroupStatus[], f: RulesFilter): string {
  const out = []
  for (const g of groups) {
    const rules = g.rules.filter((s) => matches(f, g, s.rule))
    if (rules.length === 0 && filtering(f)) continue
    out.push({
      name: g.group.name, file: g.namespace, rules: rules.map(ruleJson), interval: g.intervalMs / 1000, limit: g.group.limit,
      lastEvaluation: time(g.lastEvaluationMs), evaluationTime: g.evaluationSeconds,
    })
  }
  return goJson({ status: 'success', data: { groups: out }, errorType: '', error: '' })
}

export function alertsResponse(groups: readonly GroupStatus[]): string {
  const alerts = groups.flatMap((g) => g.rules.filter((s) => isAlerting(s.rule)).flatMap((s) => s.alerts.map(alertJson)))
  return goJson({ status: 'success', data: { alerts }, errorType: '', error: '' })
}

/** Loki's answer to an unknown `type`. */
export function badTypeResponse(type: string): string {
  return goJson({ status: 'error', data: null, errorType: 'bad_data', error: `not supported value ${JSON.stringify(type)}` })
}
