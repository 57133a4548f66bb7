/**
 * Rule groups as the YAML documents Loki's rules API answers with (rulespb.FromProto into
 * rulefmt.RuleGroup): a single group, or a map from namespace to its groups. As Loki, the YAML
 * leaves out keep_firing_for (Loki drops it on storing; edgeloki keeps and honours it).
 */
import { formatPromDuration, durationMsToNs } from '../go/duration'
import { encodeYaml, type YamlNode } from './yaml-encode'
import { compareYamlKeys } from './yaml-keys'
import type { NamespacedGroup, Rule, RuleGroup } from './rule-group'

const str = (value: string): YamlNode => ({ kind: 'str', value })
const duration = (ms: number): YamlNode => str(formatPromDuration(BigInt(ms) * 1_000_000n))

function ruleNode(r: Rule): YamlNode {
  const fields: Array<readonly [string, YamlNode]> = []
  if (r.record !== '') fields.push(['record', str(r.record)])
  else fields.push(['alert', str(r.alert)])
  fields.push(['expr', str(r.expr)])
  if (r.forMs !== 0) fields.push(['for', duration(r.forMs)])
  if (Object.keys(r.labels).length > 0) fields.push(['labels', { kind: 'map', entries: r.labels }])
  if (Object.keys(r.annotations).length > 0) fields.push(['annotations', { kind: 'map', entries: r.annotations }])
  return { kind: 'fields', fields }
}

function groupNode(g: RuleGroup): YamlNode {
  const fields: Array<readonly [string, YamlNode]> = [['name', str(g.name)]]
  if (g.intervalMs !== 0) fields.push(['interval', duration(g.intervalMs)])
  if (g.limit !== 0) fields.push(['limit', { kind: 'int', value: g.limit }])
  fields.push(['rules', { kind: 'seq', items: g.rules.map(ruleNode) }])
  return { kind: 'fields', fields }
}

export function groupYaml(g: RuleGroup): string {
  return encodeYaml(groupNode(g))
}

/** Namespaces in stored order (the store lists them sorted), each with its groups. */
export function namespacesYaml(groups: readonly NamespacedGroup[]): string {
  const byNamespace = new Map<string, YamlNode[]>()
  for (const { namespace, group } of groups) {
    const list = byNamespace.get(namespace) ?? []
    list.push(groupNode(group))
    byNamespace.set(namespace, list)
  }
  return encodeYaml({ kind: 'fields', fields: [...byNamespace].sort(([a], [b]) => compareYamlKeys(a, b)).map(([ns, items]) => [ns, { kind: 'seq', items }] as const) })
}
