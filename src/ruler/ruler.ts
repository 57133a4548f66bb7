/**
 * The Ruler object, one per tenant: schedules the tenant's rule groups (read from D1) with its
 * alarm, evaluates each rule at its slot with the instant-query engine, keeps alert state and
 * rule health in its SQLite, notifies Alertmanager and remote-writes recording-rule samples.
 * With no groups it holds no alarm and costs nothing.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { settingsFor, type Settings } from '../config/settings'
import { parseExpr } from '../logql/syntax/parse'
import { evaluateInstantQuery } from '../logql/engine/metric-query'
import type { MetricResult } from '../logql/engine/value'
import { StoreSource } from '../querier/store-source'
import { RuleStore } from './store'
import { isAlerting, ruleName, type NamespacedGroup, type Rule } from './rule-group'
import { alertsToSend, evalAlerts, ruleState, type Alert, type PostableAlert, type Sample } from './alert-state'
import { encodeWriteRequest, sendWriteRequest, type Series } from './remote-write'
import { groupOffsetMs, slotAfter, slotAtOrBefore } from './schedule'
import { rulesResponse, alertsResponse, type RuleStatus, type GroupStatus, type RulesFilter } from './status'
import * as m from './metrics'
import { generatorURL } from './generator-url'
import { endpoint } from './endpoint'
import { SAMPLES_SCHEMA, selectSamples, seriesIn, storeSamples, trimSamples } from './samples'
import type { StoredSeries } from './prom-query'
import type { LabelMatcher } from '../logql/syntax/ast'
import { doRequests, doRowsRead, doRowsWritten } from '../metrics/meters'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS group_state (ns TEXT NOT NULL, name TEXT NOT NULL, next_ms INTEGER NOT NULL,
  last_eval_ms INTEGER NOT NULL DEFAULT 0, eval_seconds REAL NOT NULL DEFAULT 0, PRIMARY KEY (ns, name));
CREATE TABLE IF NOT EXISTS rule_state (ns TEXT NOT NULL, grp TEXT NOT NULL, idx INTEGER NOT NULL, rule_key TEXT NOT NULL,
  health TEXT NOT NULL, last_error TEXT NOT NULL, last_eval_ms INTEGER NOT NULL, eval_seconds REAL NOT NULL,
  alerts TEXT NOT NULL, PRIMARY KEY (ns, grp, idx));
CREATE TABLE IF NOT EXISTS remote_write_queue (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL);
`

/** Storage key of the last remote-write failure, shown as the recording rules' error until a send succeeds. */
const REMOTE_WRITE_ERROR = 'remote_write_error'

/** When samples were last trimmed to the retention: a trim scans them all, so it runs hourly. */
const SAMPLES_TRIMMED = 'samples_trimmed_ms'
const TRIM_EVERY_MS = 3_600_000

/** A slow Alertmanager is given up on after this (Prometheus' notifier timeout). */
const NOTIFY_TIMEOUT_MS = 10_000

/** Unsent remote-write requests kept at most; older ones are dropped first. */
const MAX_QUEUED_WRITES = 1000

type GroupStateRow = {
  ns: string
  name: string
  next_ms: number
  last_eval_ms: number
  eval_seconds: number
}

type RuleStateRow = {
  idx: number
  rule_key: string
  health: string
  last_error: string
  last_eval_ms: number
  eval_seconds: number
  alerts: string
}

const ruleKey = (r: Rule): string => JSON.stringify([ruleName(r), r.expr, r.labels])

/** The group's `limit` on one rule's alerts or series (Prometheus' texts); past it the rule fails. */
function checkLimit(limit: number, n: number, what: 'alerts' | 'series', drop: () => void): void {
  if (limit <= 0 || n <= limit) return
  drop()
  throw new Error(`exceeded limit of ${limit} with ${n} ${what}`)
}

function samplesOf(result: MetricResult): Sample[] {
  if (result.resultType === 'vector') return result.result.map((s) => ({ labels: s.metric, value: s.value }))
  if (result.resultType === 'scalar') return [{ labels: {}, value: result.value }]
  throw new Error('rule result is not a vector or scalar')
}

export class Ruler extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
    ctx.storage.sql.exec(SAMPLES_SCHEMA)
  }

  /** Runs one statement to its end, metering the rows it read and wrote. */
  private sql<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): T[] {
    const cursor = this.ctx.storage.sql.exec<T>(query, ...bindings)
    const rows = cursor.toArray()
    doRowsRead(cursor.rowsRead)
    doRowsWritten(cursor.rowsWritten)
    return rows
  }

  private get settings(): Settings {
    return settingsFor(this.env)
  }

  private intervalOf(g: NamespacedGroup): number {
    return g.group.intervalMs > 0 ? g.group.intervalMs : this.settings.num('evaluation_interval')
  }

  private async groups(tenant: string): Promise<NamespacedGroup[]> {
    return new RuleStore(this.env.DB, tenant).list()
  }

  /** Re-reads the tenant's groups after a change and sets the alarm for the next due group. */
  async sync(tenant: string): Promise<void> {
    doRequests(1)
    await this.ctx.storage.put('tenant', tenant)
    await this.reschedule(await this.groups(tenant), Date.now())
  }

  private async reschedule(groups: readonly NamespacedGroup[], nowMs: number): Promise<void> {
    const known = new Map(this.sql<GroupStateRow>('SELECT * FROM group_state').map((r) => [`${r.ns}\u0000${r.name}`, r]))
    let next = Infinity
    for (const g of groups) {
      const key = `${g.namespace}\u0000${g.group.name}`
      const interval = this.intervalOf(g)
      let due = known.get(key)?.next_ms
      // A new group, or one whose interval was shortened: its first slot on the new grid.
      if (due === undefined || due > nowMs + interval) {
        due = slotAfter(nowMs, groupOffsetMs(g.namespace, g.group.name, interval), interval)
        this.sql('INSERT OR REPLACE INTO group_state (ns, name, next_ms, last_eval_ms, eval_seconds) VALUES (?, ?, ?, ?, ?)', g.namespace, g.group.name, due, known.get(key)?.last_eval_ms ?? 0, known.get(key)?.eval_seconds ?? 0)
      }
      known.delete(key)
      next = Math.min(next, due)
    }
    for (const gone of known.values()) {
      this.sql('DELETE FROM group_state WHERE ns = ? AND name = ?', gone.ns, gone.name)
      this.sql('DELETE FROM rule_state WHERE ns = ? AND grp = ?', gone.ns, gone.name)
    }
    if (next === Infinity) await this.ctx.storage.deleteAlarm()
    else {
      await this.ctx.storage.setAlarm(next)
      doRowsWritten(1)
    }
  }

  override async alarm(): Promise<void> {
    doRequests(1)
    try {
      await this.evaluateDue(Date.now())
    } catch (e) {
      // Never left without an alarm: the platform's own retries of a failing alarm run out.
      console.error('rule evaluation failed', e)
      await this.ctx.storage.setAlarm(Date.now() + this.settings.num('evaluation_interval'))
    }
  }

  /** Evaluates every group due at `nowMs` at its latest slot, then sets the next alarm. */
  async evaluateDue(nowMs: number): Promise<void> {
    const tenant = await this.ctx.storage.get<string>('tenant')
    if (tenant === undefined) return
    const groups = await this.groups(tenant)
    const states = new Map(this.sql<GroupStateRow>('SELECT * FROM group_state').map((r) => [`${r.ns}\u0000${r.name}`, r]))
    const writes: Series[] = []
    for (const g of groups) {
      const st = states.get(`${g.namespace}\u0000${g.group.name}`)
      if (!st || st.next_ms > nowMs) continue
      const interval = this.intervalOf(g)
      const slot = slotAtOrBefore(nowMs, groupOffsetMs(g.namespace, g.group.name, interval), interval)
      m.groupIterations(1)
      m.groupIterationsMissed(Math.max(0, Math.floor((slot - st.next_ms) / interval)))
      const started = performance.now()
      try {
        writes.push(...(await this.evaluateGroup(tenant, g, slot, interval)))
      } catch (e) {
        // One group's failure (e.g. state too large to store) neither stops the others nor repeats forever.
        console.error(`rule group ${g.namespace}/${g.group.name} failed`, e)
        m.ruleEvaluationFailures(g.group.rules.length)
      }
      const seconds = (performance.now() - started) / 1000
      this.sql(
        'UPDATE group_state SET next_ms = ?, last_eval_ms = ?, eval_seconds = ? WHERE ns = ? AND name = ?',
        slot + interval, Date.now(), seconds, g.namespace, g.group.name,
      )
    }
    if (this.settings.bool('ruler_keep_samples')) {
      storeSamples(this.sql.bind(this), writes)
      const trimmed = (await this.ctx.storage.get<number>(SAMPLES_TRIMMED)) ?? 0
      if (nowMs - trimmed >= TRIM_EVERY_MS) {
        trimSamples(this.sql.bind(this), nowMs - this.settings.num('ruler_samples_retention'))
        await this.ctx.storage.put(SAMPLES_TRIMMED, nowMs)
      }
    }
    const writeError = await this.remoteWrite(writes)
    if (writeError !== null) await this.ctx.storage.put(REMOTE_WRITE_ERROR, writeError)
    else await this.ctx.storage.delete(REMOTE_WRITE_ERROR)
    // Groups written while this evaluation ran are scheduled too.
    await this.reschedule(await this.groups(tenant), nowMs)
  }

  private async evaluateGroup(tenant: string, g: NamespacedGroup, slotMs: number, intervalMs: number): Promise<Series[]> {
    const src = new StoreSource(this.env, tenant, this.settings.num('max_chunk_age') / 2)
    const rows = this.sql<RuleStateRow>('SELECT * FROM rule_state WHERE ns = ? AND grp = ?', g.namespace, g.group.name)
    const stored = new Map(rows.map((r) => [r.idx, r]))
    // A rule that moved within its group keeps its alerts, as Prometheus matches rules on update.
    const byKey = new Map(rows.map((r) => [r.rule_key, r]))
    const series: Series[] = []
    const evaluated: Array<{ idx: number; key: string; error: string; seconds: number; alerts: Map<string, Alert> }> = []
    for (const [idx, rule] of g.group.rules.entries()) {
      const key = ruleKey(rule)
      const atIdx = stored.get(idx)
      const prev = atIdx?.rule_key === key ? atIdx : byKey.get(key)
      const alerts = new Map<string, Alert>(prev ? (JSON.parse(prev.alerts) as Alert[]).map((a) => [a.fingerprint, a]) : [])
      const started = performance.now()
      let error = ''
      try {
        const samples = await this.query(rule, slotMs, src)
        if (isAlerting(rule)) {
          evalAlerts(rule, samples, alerts, slotMs)
          checkLimit(g.group.limit, [...alerts.values()].filter((a) => a.state !== 'inactive').length, 'alerts', () => alerts.clear())
        } else {
          checkLimit(g.group.limit, samples.length, 'series', () => undefined)
          for (const s of samples) series.push({ labels: { ...s.labels, ...rule.labels, __name__: rule.record }, value: s.value, timeMs: slotMs })
        }
      } catch (e) {
        error = e instanceof Error ? e.message : String(e)
        m.ruleEvaluationFailures(1)
      }
      const seconds = (performance.now() - started) / 1000
      m.ruleEvaluations(1)
      m.ruleEvaluationSeconds(seconds)
      evaluated.push({ idx, key, error, seconds, alerts })
    }
    const lastSent = new Map<Alert, number>()
    const toSend: PostableAlert[] = []
    for (const r of evaluated) {
      for (const a of r.alerts.values()) lastSent.set(a, a.lastSentAtMs)
      toSend.push(...alertsToSend(r.alerts.values(), slotMs, this.settings.num('resend_delay'), intervalMs, generatorURL(g.group.rules[r.idx]?.expr ?? '')))
    }
    // Alerts Alertmanager did not take count as unsent, so the next evaluation sends them again.
    if (toSend.length > 0 && !(await this.notify(toSend))) for (const [a, ms] of lastSent) a.lastSentAtMs = ms
    const now = Date.now()
    for (const r of evaluated) {
      this.sql(
        'INSERT OR REPLACE INTO rule_state (ns, grp, idx, rule_key, health, last_error, last_eval_ms, eval_seconds, alerts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        g.namespace, g.group.name, r.idx, r.key, r.error === '' ? 'ok' : 'err', r.error, now, r.seconds, JSON.stringify([...r.alerts.values()]),
      )
    }
    this.sql('DELETE FROM rule_state WHERE ns = ? AND grp = ? AND idx >= ?', g.namespace, g.group.name, g.group.rules.length)
    return series
  }

  private async query(rule: Rule, slotMs: number, src: StoreSource): Promise<Sample[]> {
    const expr = parseExpr(rule.expr)
    const timeout = this.settings.num('query_timeout')
    const signal = timeout > 0 ? AbortSignal.timeout(timeout) : undefined
    const result = await evaluateInstantQuery(expr, { time: BigInt(slotMs) * 1_000_000n }, src, { maxQuerySeries: this.settings.num('max_query_series') }, { signal })
    return samplesOf(result)
  }

  /**
   * Posts alerts to each Alertmanager of `alertmanager_url` (comma-separated, as Loki takes them);
   * false when none took them.
   */
  private async notify(alerts: PostableAlert[]): Promise<boolean> {
    const urls = this.settings.text('alertmanager_url').split(',').map((u) => u.trim()).filter((u) => u !== '')
    if (urls.length === 0) return true
    const body = JSON.stringify(alerts)
    const results = await Promise.all(
      urls.map(async (raw) => {
        try {
          const to = endpoint(raw, '/api/v2/alerts')
          const res = await fetch(to.url, {
            method: 'POST',
            headers: { ...to.headers, 'Content-Type': 'application/json', 'User-Agent': 'edgeloki-ruler' },
            body,
            signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
          })
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`bad response status ${res.status}`)
          m.notificationsSent(alerts.length)
          return true
        } catch (e) {
          console.error('alertmanager notification failed', e)
          m.notificationsErrors(alerts.length)
          return false
        }
      }),
    )
    return results.some((ok) => ok)
  }

  /** Queues this cycle's samples and sends the queue oldest first; the first failure's text, or null. */
  private async remoteWrite(series: Series[]): Promise<string | null> {
    const url = this.settings.text('ruler_remote_write_url')
    if (url === '') return null
    if (series.length > 0) {
      this.sql('INSERT INTO remote_write_queue (body) VALUES (?)', encodeWriteRequest(series))
      this.sql('DELETE FROM remote_write_queue WHERE id <= (SELECT MAX(id) FROM remote_write_queue) - ?', MAX_QUEUED_WRITES)
    }
    for (const row of this.sql<{ id: number; body: ArrayBuffer }>('SELECT id, body FROM remote_write_queue ORDER BY id')) {
      try {
        await sendWriteRequest(url, new Uint8Array(row.body))
      } catch (e) {
        m.remoteWriteFailures(1)
        return e instanceof Error ? e.message : String(e)
      }
      this.sql('DELETE FROM remote_write_queue WHERE id = ?', row.id)
      m.remoteWriteRequests(1)
    }
    return null
  }

  /** The groups with their rules' state, for /prometheus/api/v1/rules. */
  async rules(tenant: string, filter: RulesFilter): Promise<string> {
    doRequests(1)
    return rulesResponse(this.status(await this.groups(tenant), await this.ctx.storage.get<string>(REMOTE_WRITE_ERROR)), filter)
  }

  /** Recorded samples of the series matching `matchers` in (fromMs, toMs], for the query API. */
  async selectSeries(matchers: readonly LabelMatcher[], fromMs: number, toMs: number): Promise<StoredSeries[]> {
    doRequests(1)
    return selectSamples(this.sql.bind(this), matchers, fromMs, toMs)
  }

  /** Label sets of the recorded series matching any of `selectors` with a sample in [fromMs, toMs]. */
  async seriesLabels(selectors: ReadonlyArray<readonly LabelMatcher[]>, fromMs: number, toMs: number): Promise<Array<Record<string, string>>> {
    doRequests(1)
    return seriesIn(this.sql.bind(this), selectors, fromMs, toMs)
  }

  async alerts(tenant: string): Promise<string> {
    doRequests(1)
    return alertsResponse(this.status(await this.groups(tenant), undefined))
  }

  private status(groups: readonly NamespacedGroup[], writeError: string | undefined): GroupStatus[] {
    const gs = new Map(this.sql<GroupStateRow>('SELECT * FROM group_state').map((r) => [`${r.ns}\u0000${r.name}`, r]))
    return groups.map((g) => {
      const st = gs.get(`${g.namespace}\u0000${g.group.name}`)
      const rows = new Map(this.sql<RuleStateRow>('SELECT * FROM rule_state WHERE ns = ? AND grp = ?', g.namespace, g.group.name).map((r) => [r.idx, r]))
      const rules: RuleStatus[] = g.group.rules.map((rule, idx) => {
        const row = rows.get(idx)
        const current = row && row.rule_key === ruleKey(rule) ? row : undefined
        const alerts = current ? (JSON.parse(current.alerts) as Alert[]).filter((a) => a.state !== 'inactive') : []
        const failedWrite = current?.health === 'ok' && !isAlerting(rule) && writeError !== undefined
        return {
          rule,
          state: ruleState(alerts),
          health: failedWrite ? 'err' : (current?.health ?? 'unknown'),
          lastError: failedWrite ? writeError : (current?.last_error ?? ''),
          lastEvaluationMs: current?.last_eval_ms ?? 0,
          evaluationSeconds: current?.eval_seconds ?? 0,
          alerts,
        }
      })
      return {
        namespace: g.namespace,
        group: g.group,
        intervalMs: this.intervalOf(g),
        lastEvaluationMs: st?.last_eval_ms ?? 0,
        evaluationSeconds: st?.eval_seconds ?? 0,
        rules,
      }
    })
  }
}
