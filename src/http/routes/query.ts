/**
 * LogQL query endpoints: `query_range` (streams or matrix), instant `query` (vector or scalar),
 * the legacy `/api/prom/query` (streams in the old format) and `format_query`. Parameters and
 * errors as Loki; results in Loki's JSON with `stats`.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { requestParams } from '../request-params'
import { parseDirection, parseLimit, parseRangeQuery, parseTime } from '../params'
import { HttpError } from '../errors'
import { jsonResponse } from '../json'
import { encodeLegacyStreams, encodeMetric, encodeStats, encodeStreams, type ResultStream } from '../marshal'
import { formatQuery, parseExpr } from '../../logql/syntax/parse'
import { isLogExpr, type Expr } from '../../logql/syntax/ast'
import { groupByIndexedLabels, type LogQueryResult } from '../../logql/engine/log-query'
import { instantQuery, legacyLogQuery, rangeQuery, type QueryScope } from '../../frontend/query'

export const queryRoutes = new Hono<AppEnv>()

const CATEGORIZE_LABELS = 'categorize-labels'

function parseQuery(text: string | undefined): Expr {
  return parseExpr(text ?? '')
}

function scope(c: Context<AppEnv>): QueryScope {
  return { env: c.env, tenant: c.get('tenant'), tenants: c.get('tenants') }
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
  const p = await requestParams(c)
  const expr = parseQuery(p.get('query'))
  const { bounds, limit, direction, stepMs, intervalMs } = parseRangeQuery(p.get)
  const answer = await rangeQuery(scope(c), expr, { ...bounds, limit, direction, stepMs, intervalMs })
  const stats = encodeStats(answer.stats)
  if (answer.resultType === 'metric') return jsonResponse({ status: 'success', data: { ...encodeMetric(answer.result), stats } })
  const categorize = categorized(c)
  const streams = encodeStreams(toResultStreams(answer.result, categorize, direction), categorize)
  const data = categorize
    ? { resultType: 'streams', encodingFlags: [CATEGORIZE_LABELS], result: streams }
    : { resultType: 'streams', result: streams }
  return jsonResponse({ status: 'success', data: { ...data, stats } })
}

async function instantQueryRoute(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  const expr = parseQuery(p.get('query'))
  const time = parseTime(p.get)
  parseLimit(p.get)
  parseDirection(p.get)
  const { result, stats } = await instantQuery(scope(c), expr, time)
  return jsonResponse({ status: 'success', data: { ...encodeMetric(result), stats: encodeStats(stats) } })
}

/** `/api/prom/query`: log queries only, `regexp` appended as a line filter, the old format. */
async function legacyQuery(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  let text = p.get('query') ?? ''
  const regexp = p.get('regexp')
  if (regexp) text = `${text} |~ ${JSON.stringify(regexp)}`
  const expr = parseQuery(text)
  if (!isLogExpr(expr)) throw new HttpError(400, 'legacy endpoints only support streams result type')
  const { bounds, limit, direction } = parseRangeQuery(p.get)
  const result = await legacyLogQuery(scope(c), expr, { ...bounds, limit, direction })
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
queryRoutes.on(['GET', 'POST'], '/loki/api/v1/query', instantQueryRoute)
queryRoutes.on(['GET', 'POST'], '/api/prom/query', legacyQuery)
queryRoutes.on(['GET', 'POST'], '/loki/api/v1/format_query', formatQueryRoute)
