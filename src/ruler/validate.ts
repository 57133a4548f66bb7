/**
 * Loki's rule-group validation (pkg/ruler/compat.go ValidateGroups and validateRule), with its
 * texts and order: the group name, then each rule's first error; all joined with ", ".
 */
import { parseExpr } from '../logql/syntax/parse'
import { TemplateParseError } from '../logql/template/compile'
import { checkAlertTemplate } from './alert-template'
import { RuleGroupInvalidError } from './errors'
import type { Rule, RuleGroup } from './rule-group'

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

function templateError(r: Rule): string | null {
  if (r.alert === '') return null
  const check = (kind: 'label' | 'annotation', map: Readonly<Record<string, string>>): string | null => {
    for (const [k, v] of Object.entries(map)) {
      try {
        checkAlertTemplate(r.alert, v)
      } catch (e) {
        if (e instanceof TemplateParseError) return `${kind} ${JSON.stringify(k)}: ${e.message}`
        throw e
      }
    }
    return null
  }
  return check('label', r.labels) ?? check('annotation', r.annotations)
}

function ruleError(r: Rule, groupName: string): string | null {
  if (r.record !== '' && r.alert !== '') return "only one of 'record' and 'alert' must be set"
  if (r.record === '' && r.alert === '') return "one of 'record' or 'alert' must be set"
  if (r.expr === '') return "field 'expr' must be set in rule"
  try {
    parseExpr(r.expr)
  } catch (e) {
    const what = r.record !== '' ? `record '${r.record}'` : `alert '${r.alert}'`
    return `could not parse expression for ${what} in group '${groupName}': ${e instanceof Error ? e.message : String(e)}`
  }
  if (r.record !== '') {
    if (Object.keys(r.annotations).length > 0) return "invalid field 'annotations' in recording rule"
    if (r.forMs !== 0) return "invalid field 'for' in recording rule"
    if (!METRIC_NAME.test(r.record)) return `invalid recording rule name: ${r.record}`
  }
  for (const k of Object.keys(r.labels)) {
    if (!LABEL_NAME.test(k) || k === '__name__') return `invalid label name: ${k}`
  }
  for (const k of Object.keys(r.annotations)) {
    if (!LABEL_NAME.test(k)) return `invalid annotation name: ${k}`
  }
  return templateError(r)
}

export function validateRuleGroup(g: RuleGroup): void {
  const errs: string[] = []
  if (g.name === '') errs.push('group 0: Groupname must not be empty')
  for (const r of g.rules) {
    const e = ruleError(r, g.name)
    if (e !== null) errs.push(e)
  }
  if (errs.length > 0) throw new RuleGroupInvalidError(errs.join(', '))
}

/** Loki's ruler_max_rules_per_rule_group and ruler_max_rule_groups_per_tenant (0: no limit). */
export function checkRulesPerGroup(limit: number, rules: number): void {
  if (limit > 0 && rules > limit) throw new RuleGroupInvalidError(`per-user rules per rule group limit (limit: ${limit} actual: ${rules}) exceeded`)
}

/** As Loki, counts the stored groups plus one even when the write replaces an existing group. */
export function checkGroupsPerTenant(limit: number, stored: number): void {
  const groups = stored + 1
  if (limit > 0 && groups > limit) throw new RuleGroupInvalidError(`per-user rule groups limit (limit: ${limit} actual: ${groups}) exceeded`)
}

/** Largest stored group (its JSON), well inside D1's 2 MB row. */
export const MAX_GROUP_BYTES = 1_000_000

/** Not Loki's (its store has no such bound): a group too large for one D1 row is refused. */
export function checkGroupSize(g: RuleGroup): void {
  const bytes = new TextEncoder().encode(JSON.stringify(g)).length
  if (bytes > MAX_GROUP_BYTES) throw new RuleGroupInvalidError(`rule group "${g.name}" is too large to store: ${bytes} bytes, at most ${MAX_GROUP_BYTES}`)
}
