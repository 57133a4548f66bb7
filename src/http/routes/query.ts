/**
 * LogQL query endpoints: `query_range` (streams or matrix), instant `query` (vector or scalar),
 * the legacy `/api/prom/query` (streams in the old format) and `format_query`. Parameters and
 * errors as Loki; results in Loki's JSON with `stats`.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor, type Settings } from '../../config/settings'
import { requestParams } from '../request-params'
import { parseDirection, parseLimit, parseRangeQuery, parseTime } from '../params'
import { HttpError } from '../errors'
import { jsonResponse } from '../json'
import { encodeLegacyStreams, encodeMetric, encodeStats, encodeStreams, type ResultStream } from '../marshal'
import { formatQuery, parseExpr } from '../../logql/syntax'
import { isLogExpr, type Expr, type LogSelectorExpr } from '../../logql/syntax/ast'
import { evaluateLogQuery, groupByIndexedLabels, type LogQueryResult } from '../../logql/engine/log-query'
import { evaluateInstantQuery, evaluateRangeQuery } from '../../logql/engine/metric-query'
import { newQueryStats, type QueryStats } from '../../logql/engine/stats'
import { addSourceStats, StoreSource } from '../../querier/store-source'
import { MultiTenantSource } from '../../querier/multi-tenant'
import { evaluateSplitRangeQuery, rangeParts } from '../../querier/split-range-query'
import { checkEntriesLimit, checkQueryLength } from '../../frontend/limits'

export const queryRoutes = new Hono<AppEnv>()

const CATEGORIZE_LABELS = 'categorize-labels'

const TIMEOUT_TEXT =
  'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed'

/** Runs an evaluation under `query_timeout`; past it the evaluation stops with Loki's 504. */
async function withTimeout<T>(settings: Settings, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ms = settings.num('query_timeout')
  const ctrl = new AbortController()
  const timer = ms > 0 ? setTimeout(() => ctrl.abort(new HttpError(504, TIMEOUT_TEXT)), ms) : null
  try {
    return await run(ctrl.signal)
  } finally {
    if (timer !== null) clearTimeout(timer)
  }
}

function parseQuery(text: string | undefined): Expr {
  return parseExpr(text ?? '')
}

/** The out-of-order window: a head holds nothing older than its stream's newest chunk minus this. */
function headWindowMs(settings: Settings): number {
  return settings.num('max_chunk_age') / 2
}

function source(c: Context<AppEnv>, settings: Settings): StoreSource | MultiTenantSource {
  const tenants = c.get('tenants')
  if (tenants.length === 1) return new StoreSource(c.env, c.get('tenant'), headWindowMs(settings))
  return new MultiTenantSource(new Map(tenants.map((t) => [t, new StoreSource(c.env, t, headWindowMs(settings))])))
}

function categorized(c: Context<AppEnv>): boolean {
  const flags = c.req.header('X-Loki-Response-Encoding-Flags') ?? ''
  return flags.split(',').some((f) => f.trim() === CATEGORIZE_LABELS)
}

/**
 * Result streams as Loki returns them: one per distinct label set; with `categorize-labels` one
 * per indexed label set, each entry carrying its structured metadata and parsed labels.
 */
function toResultStreams(result: LogQueryResult, categorize: boolean, direction: 'forward' | 'backward'): ResultStream[] {
  if (!categorize) return result.streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ ts: e.ts, line: e.line })) }))
  return groupByIndexedLabels(result, direction).map((s) => ({ labels: s.stream, entries: s.entries }))
}

async function queryRange(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const p = await requestParams(c)
  const expr = parseQuery(p.get('query'))
  const { bounds, limit, direction, stepMs, intervalMs } = parseRangeQuery(p.get)
  checkQueryLength(settings, bounds.lengthNs)
  const src = source(c, settings)
  const stats = newQueryStats()
  if (isLogExpr(expr)) {
    checkEntriesLimit(settings, limit)
    const result = await withTimeout(settings, (signal) =>
      evaluateLogQuery(expr, { start: bounds.start, end: bounds.end, limit, direction, intervalMs }, src, stats, {
        signal,
        splitMs: settings.num('split_queries_by_interval'),
      }),
    )
    const categorize = categorized(c)
    const data = categorize
      ? { resultType: 'streams', encodingFlags: [CATEGORIZE_LABELS], result: encodeStreams(toResultStreams(result, true, direction), true) }
      : { resultType: 'streams', result: encodeStreams(toResultStreams(result, false, direction), false) }
    return jsonResponse({ status: 'success', data: { ...data, stats: encodeStats(addSourceStats(stats, src)) } })
  }
  const params = { start: bounds.start, end: bounds.end, stepMs }
  const maxQuerySeries = settings.num('max_query_series')
  // Split parts run in QueryExecutor objects over one tenant each; several tenants run unsplit.
  const splittable = settings.bool('split_metric_queries') && c.get('tenants').length === 1
  const parts = splittable ? rangeParts(expr, params, settings.num('split_queries_by_interval')) : null
  const result = await withTimeout(settings, (signal) =>
    parts
      ? evaluateSplitRangeQuery(c.env, expr, parts, {
          tenant: c.get('tenant'),
          parallelism: settings.num('max_query_parallelism'),
          maxQuerySeries,
          headWindowMs: headWindowMs(settings),
          timeoutMs: settings.num('query_timeout'),
          stats,
          signal,
        })
      : evaluateRangeQuery(expr, params, src, { maxQuerySeries }, { stats, signal }),
  )
  return jsonResponse({ status: 'success', data: { ...encodeMetric(result), stats: encodeStats(addSourceStats(stats, src)) } })
}

async function instantQuery(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const p = await requestParams(c)
  const expr = parseQuery(p.get('query'))
  const time = parseTime(p.get)
  parseLimit(p.get)
  parseDirection(p.get)
  const src = source(c, settings)
  const stats = newQueryStats()
  const result = await withTimeout(settings, (signal) =>
    evaluateInstantQuery(expr, { time }, src, { maxQuerySeries: settings.num('max_query_series') }, { stats, signal }),
  )
  return jsonResponse({ status: 'success', data: { ...encodeMetric(result), stats: encodeStats(addSourceStats(stats, src)) } })
}

/** `/api/prom/query`: log queries only, `regexp` appended as a line filter, the old format. */
async function legacyQuery(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const p = await requestParams(c)
  let text = p.get('query') ?? ''
  const regexp = p.get('regexp')
  if (regexp) text = `${text} |~ ${JSON.stringify(regexp)}`
  const expr = parseQuery(text)
  if (!isLogExpr(expr)) throw new HttpError(400, 'legacy endpoints only support streams result type')
  const { bounds, limit, direction } = parseRangeQuery(p.get)
  checkQueryLength(settings, bounds.lengthNs)
  checkEntriesLimit(settings, limit)
  const result = await withTimeout(settings, (signal) =>
    evaluateLogQuery(expr as LogSelectorExpr, { start: bounds.start, end: bounds.end, limit, direction }, source(c, settings), undefined, { signal }),
  )
  return jsonResponse(encodeLegacyStreams(toResultStreams(result, false, direction)))
}

async function formatQueryRoute(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  try {
    return jsonResponse({ status: 'success', data: formatQuery(p.get('query') ?? '') })
  } catch (err) {
    return jsonResponse({ status: 'invalid-query', error: (err as Error).message }, 400)
  }
}

queryRoutes.on(['GET', 'POST'], '/loki/api/v1/query_range', queryRange)
queryRoutes.on(['GET', 'POST'], '/loki/api/v1/query', instantQuery)
queryRoutes.on(['GET', 'POST'], '/api/prom/query', legacyQuery)
queryRoutes.on(['GET', 'POST'], '/loki/api/v1/format_query', formatQueryRoute)
