/**
 * A rule group as Loki stores it (rulespb.RuleGroupDesc): what a `POST …/rules/{namespace}` body
 * decodes to, what D1 keeps as JSON and what the Ruler object evaluates. Durations are
 * milliseconds; 0 means "not set" (the group's interval then defaults to `evaluation_interval`).
 */
export interface Rule {
  readonly record: string
  readonly alert: string
  readonly expr: string
  readonly forMs: number
  readonly keepFiringForMs: number
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
}

export interface RuleGroup {
  readonly name: string
  readonly intervalMs: number
  readonly limit: number
  readonly rules: readonly Rule[]
}

/** A stored group with the namespace ("file") it belongs to. */
export interface NamespacedGroup {
  readonly namespace: string
  readonly group: RuleGroup
}

export const isAlerting = (r: Rule): boolean => r.alert !== ''

/** The rule's name: its alert or its record. */
export const ruleName = (r: Rule): string => (r.alert !== '' ? r.alert : r.record)
