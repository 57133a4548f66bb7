/**
 * Prometheus' alerting-rule state machine (rules/alerting.go Eval): each result sample is an
 * alert keyed by its label set, pending until it has been active for `for`, then firing; an alert
 * that disappears is dropped while pending, resolved when firing (after `keep_firing_for`), and
 * resolved alerts are kept 15 minutes so Alertmanager hears of the resolution.
 */
import type { Rule } from './rule-group'
import { expandAlertTemplate } from './alert-template'

export type AlertState = 'pending' | 'firing' | 'inactive'

export interface Alert {
  readonly fingerprint: string
  labels: Record<string, string>
  annotations: Record<string, string>
  state: AlertState
  value: number
  activeAtMs: number
  firedAtMs: number
  resolvedAtMs: number
  lastSentAtMs: number
  validUntilMs: number
  keepFiringSinceMs: number
}

export interface Sample {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const RESOLVED_RETENTION_MS = 15 * 60_000

export function fingerprint(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]))
}

function sortedRecord(m: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(m).sort()) out[k] = m[k] as string
  return out
}

/** Updates `alerts` (keyed by fingerprint) for one evaluation at `tsMs`; returns the map. */
export function evalAlerts(rule: Rule, samples: readonly Sample[], alerts: Map<string, Alert>, tsMs: number): Map<string, Alert> {
  const tsNs = BigInt(tsMs) * 1_000_000n
  const seen = new Set<string>()
  for (const s of samples) {
    const base: Record<string, string> = { ...s.labels }
    delete base['__name__']
    const labels: Record<string, string> = { ...base }
    for (const [k, v] of Object.entries(rule.labels)) labels[k] = expandAlertTemplate(rule.alert, v, base, s.value, tsNs)
    labels['alertname'] = rule.alert
    const annotations: Record<string, string> = {}
    for (const [k, v] of Object.entries(rule.annotations)) annotations[k] = expandAlertTemplate(rule.alert, v, base, s.value, tsNs)
    const fp = fingerprint(labels)
    seen.add(fp)
    const existing = alerts.get(fp)
    if (existing && existing.state !== 'inactive') {
      existing.value = s.value
      existing.annotations = sortedRecord(annotations)
      existing.keepFiringSinceMs = 0
      continue
    }
    alerts.set(fp, {
      fingerprint: fp, labels: sortedRecord(labels), annotations: sortedRecord(annotations), state: 'pending', value: s.value,
      activeAtMs: tsMs, firedAtMs: 0, resolvedAtMs: 0, lastSentAtMs: existing?.lastSentAtMs ?? 0, validUntilMs: 0, keepFiringSinceMs: 0,
    })
  }
  for (const [fp, a] of alerts) {
    if (!seen.has(fp)) {
      if (a.state === 'pending' || (a.state === 'inactive' && tsMs - a.resolvedAtMs > RESOLVED_RETENTION_MS)) {
        alerts.delete(fp)
        continue
      }
      if (a.state === 'firing') {
        if (rule.keepFiringForMs > 0) {
          if (a.keepFiringSinceMs === 0) a.keepFiringSinceMs = tsMs
          if (tsMs - a.keepFiringSinceMs < rule.keepFiringForMs) continue
        }
        a.state = 'inactive'
        a.resolvedAtMs = tsMs
      }
      continue
    }
    if (a.state === 'pending' && tsMs - a.activeAtMs >= rule.forMs) {
      a.state = 'firing'
      a.firedAtMs = tsMs
    }
  }
  return alerts
}

/** The rule's state: firing if any alert fires, else pending if any is pending, else inactive. */
export function ruleState(alerts: Iterable<Alert>): AlertState {
  let state: AlertState = 'inactive'
  for (const a of alerts) {
    if (a.state === 'firing') return 'firing'
    if (a.state === 'pending') state = 'pending'
  }
  return state
}

/** Alertmanager v2's postable alert. */
export interface PostableAlert {
  readonly labels: Record<string, string>
  readonly annotations: Record<string, string>
  readonly startsAt: string
  readonly endsAt: string
  readonly generatorURL: string
}

/**
 * Alerts due to be sent at `tsMs` (Prometheus' sendAlerts): firing and resolved ones each
 * `resendDelay`, a new resolution at once, starting when they fired, resolved ones with their
 * endsAt; marks them sent.
 */
export function alertsToSend(alerts: Iterable<Alert>, tsMs: number, resendDelayMs: number, intervalMs: number, generatorURL: string): PostableAlert[] {
  const out: PostableAlert[] = []
  for (const a of alerts) {
    if (a.state === 'pending') continue
    const resolvedUnsent = a.state === 'inactive' && a.resolvedAtMs > a.lastSentAtMs
    if (!resolvedUnsent && a.lastSentAtMs + resendDelayMs > tsMs) continue
    a.lastSentAtMs = tsMs
    a.validUntilMs = tsMs + 4 * Math.max(resendDelayMs, intervalMs)
    out.push({
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.firedAtMs).toISOString(),
      endsAt: new Date(a.state === 'inactive' ? a.resolvedAtMs : a.validUntilMs).toISOString(),
      generatorURL,
    })
  }
  return out
}
