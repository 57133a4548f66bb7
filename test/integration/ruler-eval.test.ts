/**
 * The Ruler object evaluating a tenant's groups at their slots with the query engine: the
 * `/prometheus/api/v1/rules` and `/alerts` answers compared with Loki 3.7.6's for the same lines
 * and group, pending → firing with `for`, a failing rule's health and lastError, alert state kept
 * across evaluations, filters, and the alarm following rule changes (none without rules).
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import { Ruler } from '../../src/ruler/ruler'
import recorded from '../fixtures/ruler/status-loki-3.7.6.json'

const vars = { auth_enabled: 'true' }

function as(tenant: string, path: string, method = 'GET', body?: string): Promise<Response> {
  const headers: Record<string, string> = { 'X-Scope-OrgID': tenant, 'Content-Type': body?.startsWith('{') ? 'application/json' : 'application/yaml' }
  return call(path, { method, body, headers, vars })
}

const stub = (tenant: string) => env.RULER.get(env.RULER.idFromName(tenant))

/** Takes the alarm away so the test drives evaluation; answers the group's next slot. */
async function nextSlot(tenant: string): Promise<number> {
  return runInDurableObject<Ruler, number>(stub(tenant), async (_instance, state) => {
    await state.storage.deleteAlarm()
    const row = state.storage.sql.exec<{ next_ms: number }>('SELECT MIN(next_ms) AS next_ms FROM group_state').one()
    return row.next_ms
  })
}

async function push(tenant: string, stream: Record<string, string>, tsMs: number, lines: readonly string[]): Promise<void> {
  const ns = (BigInt(tsMs) * 1_000_000n).toString()
  const res = await as(tenant, '/loki/api/v1/push', 'POST', JSON.stringify({ streams: [{ stream, values: lines.map((l) => [ns, l]) }] }))
  expect(res.status).toBe(204)
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/

/** Times and durations replaced by their kind, after checking their form. */
function normalized(body: string): unknown {
  return JSON.parse(body, (key, value: unknown) => {
    if (key === 'lastEvaluation' || key === 'activeAt') {
      expect(value).toMatch(RFC3339)
      expect(value).not.toBe('0001-01-01T00:00:00Z')
      return '<time>'
    }
    if (key === 'evaluationTime') {
      expect(typeof value).toBe('number')
      return '<seconds>'
    }
    return value
  })
}

describe('rule evaluation compared with Loki 3.7.6', () => {
  const tenant = 'ruler-eval-loki'

  it('answers /prometheus/api/v1/rules and /alerts as Loki after two evaluations', async () => {
    expect((await as(tenant, '/loki/api/v1/rules/ns1', 'POST', recorded.group)).status).toBe(202)
    const slot = await nextSlot(tenant)
    await push(tenant, { app: 'api' }, slot - 5_000, recorded.lines)
    await stub(tenant).evaluateDue(slot)
    await stub(tenant).evaluateDue(slot + 10_000)
    const rules = await as(tenant, '/prometheus/api/v1/rules')
    expect(rules.headers.get('content-type')).toBe('application/json')
    const body = await rules.text()
    expect(normalized(body)).toEqual(normalized(recorded.rules))
    expect(body).toContain(`"activeAt":"${new Date(slot).toISOString()}"`)
    const alerts = await (await as(tenant, '/prometheus/api/v1/alerts')).text()
    expect(normalized(alerts)).toEqual(normalized(recorded.alerts))
    for (const [query, answer] of Object.entries(recorded.filtered)) {
      const res = await as(tenant, `/prometheus/api/v1/rules?${query}`)
      expect(normalized(await res.text()), query).toEqual(normalized(answer))
    }
  })
})

describe('evaluation metrics', () => {
  it('counts evaluations and failures in /metrics', async () => {
    const tenant = 'ruler-eval-metrics'
    const counter = (text: string, name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? 0)
    const before = await (await call('/metrics')).text()
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', 'name: m\nrules:\n  - record: ok\n    expr: count_over_time({a="b"}[1m])\n  - alert: Bad\n    expr: \'{a="b"}\'\n')).status).toBe(202)
    const slot = await nextSlot(tenant)
    await stub(tenant).evaluateDue(slot)
    const after = await (await call('/metrics')).text()
    expect(after).toContain('# TYPE prometheus_rule_evaluations_total counter')
    // At least: alarms of other tests' groups may evaluate in the same isolate meanwhile.
    expect(counter(after, 'prometheus_rule_evaluations_total') - counter(before, 'prometheus_rule_evaluations_total')).toBeGreaterThanOrEqual(2)
    expect(counter(after, 'prometheus_rule_evaluation_failures_total') - counter(before, 'prometheus_rule_evaluation_failures_total')).toBeGreaterThanOrEqual(1)
    expect(counter(after, 'prometheus_rule_group_iterations_total') - counter(before, 'prometheus_rule_group_iterations_total')).toBeGreaterThanOrEqual(1)
  })
})

describe('alert state', () => {
  const tenant = 'ruler-eval-state'
  const group = `name: state
interval: 10m
rules:
  - alert: Slow
    expr: sum by (app) (count_over_time({app="slow"} |= "timeout" [1h])) > 1
    for: 20m
    labels:
      severity: '{{ if gt $value 2.0 }}page{{ else }}ticket{{ end }}'
    annotations:
      summary: '{{ $labels.app }}: {{ $value }} timeouts'
  - alert: Broken
    expr: '{app="slow"}'
`

  it('goes pending, then firing after `for`, with templated labels; a failing rule reports its error', async () => {
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', group)).status).toBe(202)
    const slot = await nextSlot(tenant)
    await push(tenant, { app: 'slow' }, slot - 60_000, ['timeout a', 'timeout b', 'timeout c', 'fine'])
    const state = async () => {
      const body = JSON.parse(await (await as(tenant, '/prometheus/api/v1/rules')).text()) as {
        data: { groups: Array<{ rules: Array<{ name: string; state?: string; health: string; lastError: string; alerts?: Array<{ state: string; labels: Record<string, string>; annotations: Record<string, string>; value: string; activeAt: string }> }> }> }
      }
      return body.data.groups[0]?.rules ?? []
    }
    const before = await state()
    expect(before.map((r) => [r.name, r.health])).toEqual([['Slow', 'unknown'], ['Broken', 'unknown']])

    await stub(tenant).evaluateDue(slot)
    let [slow, broken] = await state()
    expect(slow?.state).toBe('pending')
    expect(slow?.alerts).toEqual([
      { labels: { alertname: 'Slow', app: 'slow', severity: 'page' }, annotations: { summary: 'slow: 3 timeouts' }, state: 'pending', activeAt: new Date(slot).toISOString(), value: '3e+00' },
    ])
    expect(broken?.health).toBe('err')
    expect(broken?.lastError).not.toBe('')

    await stub(tenant).evaluateDue(slot + 10 * 60_000)
    ;[slow] = await state()
    expect(slow?.state).toBe('pending')

    // A new instance over the same storage (as after eviction or a restart) takes the pending
    // alert from the object's SQLite and fires it.
    await runInDurableObject<Ruler, void>(stub(tenant), async (_instance, st) => {
      await new Ruler(st, env).evaluateDue(slot + 20 * 60_000)
    })
    ;[slow] = await state()
    expect(slow?.state).toBe('firing')
    expect(slow?.alerts?.[0]?.activeAt).toBe(new Date(slot).toISOString())
    const alerts = JSON.parse(await (await as(tenant, '/prometheus/api/v1/alerts')).text()) as { data: { alerts: Array<{ state: string }> } }
    expect(alerts.data.alerts.map((a) => a.state)).toEqual(['firing'])
  })

  it('is kept apart per tenant', async () => {
    const other = JSON.parse(await (await as('ruler-eval-other', '/prometheus/api/v1/alerts')).text()) as { data: { alerts: unknown[] } }
    expect(other.data.alerts).toEqual([])
  })
})

describe('scheduling', () => {
  const tenant = 'ruler-eval-schedule'
  const alarm = () => runInDurableObject<Ruler, number | null>(stub(tenant), (_i, state) => state.storage.getAlarm())

  it('sets an alarm within one interval of a write, moves it on rule changes, and holds none without rules', async () => {
    const before = Date.now()
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', 'name: a\ninterval: 5m\nrules:\n  - record: r\n    expr: count_over_time({x="y"}[1m])\n')).status).toBe(202)
    const first = await alarm()
    expect(first).not.toBeNull()
    expect(first as number).toBeGreaterThan(before)
    expect(first as number).toBeLessThanOrEqual(Date.now() + 5 * 60_000)
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', 'name: b\ninterval: 10s\nrules:\n  - record: r\n    expr: count_over_time({x="y"}[1m])\n')).status).toBe(202)
    expect(await alarm()).toBeLessThanOrEqual(Date.now() + 10_000)
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'DELETE')).status).toBe(202)
    expect(await alarm()).toBeNull()
  })
})

describe('recorded samples through the Prometheus-compatible query API', () => {
  const tenant = 'ruler-eval-samples'
  const group = 'name: rec\ninterval: 5m\nrules:\n  - record: app:lines:count1h\n    expr: sum by (app) (count_over_time({app="rec"}[1h]))\n    labels:\n      team: core\n'

  it('answers instant and range queries over the samples, for their tenant only', async () => {
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', group)).status).toBe(202)
    const slot = await nextSlot(tenant)
    await push(tenant, { app: 'rec' }, slot - 60_000, ['a', 'b'])
    await stub(tenant).evaluateDue(slot)
    await push(tenant, { app: 'rec' }, slot + 60_000, ['c'])
    await stub(tenant).evaluateDue(slot + 5 * 60_000)
    const metric = { __name__: 'app:lines:count1h', app: 'rec', team: 'core' }

    const instant = await as(tenant, `/prometheus/api/v1/query?query=${encodeURIComponent('app:lines:count1h{team="core"}')}&time=${(slot + 6 * 60_000) / 1000}`)
    expect(instant.status).toBe(200)
    expect(await instant.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric, value: [(slot + 6 * 60_000) / 1000, '3'] }] } })

    const range = await as(tenant, `/prometheus/api/v1/query_range?query=app:lines:count1h&start=${slot / 1000}&end=${(slot + 10 * 60_000) / 1000}&step=150s`)
    // A sample is seen for five minutes after its time, the fifth minute's end excluded.
    const at = (min: number, v: string) => [(slot + min * 60_000) / 1000, v]
    expect(await range.json()).toEqual({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric, values: [at(0, '2'), at(2.5, '2'), at(5, '3'), at(7.5, '3')] }] },
    })

    const window = await as(tenant, `/prometheus/api/v1/query?query=${encodeURIComponent('app:lines:count1h[15m]')}&time=${new Date(slot + 5 * 60_000).toISOString()}`)
    expect(((await window.json()) as { data: { result: Array<{ values: unknown[] }> } }).data.result[0]?.values).toEqual([at(0, '2'), at(5, '3')])

    const other = await as('ruler-eval-samples-other', `/prometheus/api/v1/query?query=app:lines:count1h&time=${(slot + 6 * 60_000) / 1000}`)
    expect(await other.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [] } })

    expect(await (await as(tenant, '/prometheus/api/v1/series?match[]=app:lines:count1h')).json()).toEqual({ status: 'success', data: [metric] })
    expect(await (await as(tenant, '/prometheus/api/v1/labels')).json()).toEqual({ status: 'success', data: ['__name__', 'app', 'team'] })
    expect(await (await as(tenant, `/prometheus/api/v1/label/__name__/values?end=${(slot - 1000) / 1000}`)).json()).toEqual({ status: 'success', data: [] })
    expect(await (await as('ruler-eval-samples-other', '/prometheus/api/v1/label/__name__/values')).json()).toEqual({ status: 'success', data: [] })
    const noMatch = await as(tenant, '/prometheus/api/v1/series')
    expect(noMatch.status).toBe(400)
    expect(await noMatch.json()).toEqual({ status: 'error', errorType: 'bad_data', error: 'no match[] parameter provided' })
  })

  it.each([
    ['/prometheus/api/v1/query?query=sum(x)', 'parse error: only vector and range vector selectors of recorded series are supported'],
    ['/prometheus/api/v1/query?query=x&time=yesterday', 'invalid parameter "time": cannot parse "yesterday" to a valid timestamp'],
    ['/prometheus/api/v1/query_range?query=x&start=10&end=5&step=1', 'invalid parameter "end": end timestamp must not be before start time'],
    ['/prometheus/api/v1/query_range?query=x&start=0&end=100000&step=1', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'],
    ['/prometheus/api/v1/query_range?query=x&start=0&end=10&step=0', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
    ['/prometheus/api/v1/query_range?query=x&start=0&end=10&step=often', 'invalid parameter "step": cannot parse "often" to a valid duration'],
  ])('refuses %s with bad_data', async (path, error) => {
    const res = await as(tenant, path)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ status: 'error', errorType: 'bad_data', error })
  })
})

describe('rule changes', () => {
  const tenant = 'ruler-eval-changes'
  const rule = '  - alert: Held\n    expr: sum(count_over_time({app="moved"}[1h])) > 0\n    for: 1h\n'
  const other = '  - record: first\n    expr: count_over_time({app="moved"}[1h])\n'

  it('keeps a pending alert when its rule moves within the group, and follows a shorter interval', async () => {
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', `name: g\ninterval: 5m\nrules:\n${rule}`)).status).toBe(202)
    const slot = await nextSlot(tenant)
    await push(tenant, { app: 'moved' }, slot - 60_000, ['x'])
    await stub(tenant).evaluateDue(slot)
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', `name: g\ninterval: 10s\nrules:\n${other}${rule}`)).status).toBe(202)
    const next = await nextSlot(tenant)
    expect(next).toBeLessThanOrEqual(Date.now() + 10_000)
    await stub(tenant).evaluateDue(Math.max(next, slot + 10_000))
    const body = JSON.parse(await (await as(tenant, '/prometheus/api/v1/rules')).text()) as { data: { groups: Array<{ rules: Array<{ name: string; state?: string; alerts?: Array<{ activeAt: string }> }> }> } }
    const held = body.data.groups[0]?.rules[1]
    expect(held?.name).toBe('Held')
    expect(held?.state).toBe('pending')
    expect(held?.alerts?.[0]?.activeAt).toBe(new Date(slot).toISOString())
  })
})

describe('bad input', () => {
  const tenant = 'ruler-eval-bad'

  it("fails a rule past its group's limit with Prometheus' text, the other rules unaffected", async () => {
    const group = 'name: lim\ninterval: 5m\nlimit: 1\nrules:\n  - alert: Many\n    expr: sum by (pod) (count_over_time({app="lim"}[1h])) > 0\n  - record: many:series\n    expr: sum by (pod) (count_over_time({app="lim"}[1h]))\n  - record: one:series\n    expr: sum(count_over_time({app="lim"}[1h]))\n'
    expect((await as(tenant, '/loki/api/v1/rules/ns', 'POST', group)).status).toBe(202)
    const slot = await nextSlot(tenant)
    await push(tenant, { app: 'lim', pod: 'a' }, slot - 60_000, ['x'])
    await push(tenant, { app: 'lim', pod: 'b' }, slot - 60_000, ['y'])
    await stub(tenant).evaluateDue(slot)
    const body = JSON.parse(await (await as(tenant, '/prometheus/api/v1/rules')).text()) as { data: { groups: Array<{ rules: Array<{ health: string; lastError: string; alerts?: unknown[] }> }> } }
    const rules = body.data.groups[0]?.rules ?? []
    expect(rules.map((r) => [r.health, r.lastError])).toEqual([
      ['err', 'exceeded limit of 1 with 2 alerts'],
      ['err', 'exceeded limit of 1 with 2 series'],
      ['ok', ''],
    ])
    expect(rules[0]?.alerts).toEqual([])
  })

  it('refuses a group too large to store with a 400, storing nothing', async () => {
    const rules = Array.from({ length: 4000 }, (_, i) => `  - record: r${i}\n    expr: 'sum by (a) (count_over_time({app="${'x'.repeat(200)}"}[1m]))'\n`).join('')
    const res = await as(tenant, '/loki/api/v1/rules/big', 'POST', `name: huge\nrules:\n${rules}`)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/^rule group "huge" is too large to store: \d+ bytes, at most 1000000\n$/)
    expect((await as(tenant, '/loki/api/v1/rules/big')).status).toBe(404)
  })
})
