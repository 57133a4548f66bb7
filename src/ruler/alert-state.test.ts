import { describe, expect, it } from 'vitest'
import { alertsToSend, evalAlerts, ruleState, type Alert } from './alert-state'
import type { Rule } from './rule-group'

const rule = (over: Partial<Rule> = {}): Rule => ({
  record: '', alert: 'A', expr: 'x', forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {}, ...over,
})
const MIN = 60_000
/** An evaluation time (ms); any fixed instant will do. */
const T = 1_800_000_000_000

describe('alerting rule state', () => {
  it('fires at once without `for`, and resolves when the sample goes away', () => {
    const alerts = new Map<string, Alert>()
    evalAlerts(rule(), [{ labels: { app: 'x' }, value: 2 }], alerts, 0)
    expect([...alerts.values()].map((a) => [a.state, a.labels])).toEqual([['firing', { alertname: 'A', app: 'x' }]])
    evalAlerts(rule(), [], alerts, MIN)
    const [a] = alerts.values()
    expect(a?.state).toBe('inactive')
    expect(a?.resolvedAtMs).toBe(MIN)
    expect(ruleState(alerts.values())).toBe('inactive')
  })

  it('stays pending until `for` has passed; a pending alert that goes away is dropped', () => {
    const alerts = new Map<string, Alert>()
    const r = rule({ forMs: 5 * MIN })
    evalAlerts(r, [{ labels: {}, value: 1 }], alerts, 0)
    evalAlerts(r, [{ labels: {}, value: 1 }], alerts, 4 * MIN)
    expect(ruleState(alerts.values())).toBe('pending')
    evalAlerts(r, [{ labels: {}, value: 1 }], alerts, 5 * MIN)
    expect(ruleState(alerts.values())).toBe('firing')
    const pending = new Map<string, Alert>()
    evalAlerts(r, [{ labels: {}, value: 1 }], pending, 0)
    evalAlerts(r, [], pending, MIN)
    expect(pending.size).toBe(0)
  })

  it('keeps firing for keep_firing_for after the sample goes away', () => {
    const alerts = new Map<string, Alert>()
    const r = rule({ keepFiringForMs: 3 * MIN })
    evalAlerts(r, [{ labels: {}, value: 1 }], alerts, 0)
    evalAlerts(r, [], alerts, MIN)
    evalAlerts(r, [], alerts, 3 * MIN)
    expect(ruleState(alerts.values())).toBe('firing')
    evalAlerts(r, [], alerts, 4 * MIN)
    expect(ruleState(alerts.values())).toBe('inactive')
  })

  it('drops a resolved alert after 15 minutes', () => {
    const alerts = new Map<string, Alert>()
    evalAlerts(rule(), [{ labels: {}, value: 1 }], alerts, 0)
    evalAlerts(rule(), [], alerts, MIN)
    evalAlerts(rule(), [], alerts, 16 * MIN)
    expect(alerts.size).toBe(1)
    evalAlerts(rule(), [], alerts, 17 * MIN)
    expect(alerts.size).toBe(0)
  })

  it('expands $labels and $value in labels and annotations', () => {
    const alerts = new Map<string, Alert>()
    const r = rule({ labels: { sev: '{{ if gt $value 1.0 }}high{{ else }}low{{ end }}' }, annotations: { s: '{{ $labels.app }}={{ $value }}' } })
    evalAlerts(r, [{ labels: { __name__: 'm', app: 'api' }, value: 1.5 }], alerts, 0)
    const [a] = alerts.values()
    expect(a?.labels).toEqual({ alertname: 'A', app: 'api', sev: 'high' })
    expect(a?.annotations).toEqual({ s: 'api=1.5' })
  })
})

describe('notifications', () => {
  it('sends a firing alert at once, again after the resend delay, and its resolution with endsAt', () => {
    const alerts = new Map<string, Alert>()
    evalAlerts(rule(), [{ labels: {}, value: 1 }], alerts, T)
    const first = alertsToSend(alerts.values(), T, MIN, MIN, '')
    expect(first).toHaveLength(1)
    expect(first[0]?.startsAt).toBe(new Date(T).toISOString())
    expect(first[0]?.endsAt).toBe(new Date(T + 4 * MIN).toISOString())
    expect(alertsToSend(alerts.values(), T + 30_000, MIN, MIN, '')).toHaveLength(0)
    expect(alertsToSend(alerts.values(), T + MIN, MIN, MIN, '')).toHaveLength(1)
    evalAlerts(rule(), [], alerts, T + 90_000)
    const resolved = alertsToSend(alerts.values(), T + 90_000, MIN, MIN, '')
    expect(resolved.map((a) => a.endsAt)).toEqual([new Date(T + 90_000).toISOString()])
  })

  it('sends nothing for a pending alert', () => {
    const alerts = new Map<string, Alert>()
    evalAlerts(rule({ forMs: MIN }), [{ labels: {}, value: 1 }], alerts, 0)
    expect(alertsToSend(alerts.values(), 0, MIN, MIN, '')).toEqual([])
  })
})
