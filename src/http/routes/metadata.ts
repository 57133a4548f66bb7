/**
 * The index and Drilldown endpoints: `index/stats`, `index/volume`, `index/volume_range`,
 * `detected_fields`, `detected_field/{name}/values`, `detected_labels`, `patterns` and
 * `drilldown-limits`, GET and form-encoded POST, with Loki's parameter rules and error texts
 * (pkg/loghttp/query.go, params.go). Everything is scoped to the request's tenant.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor, type Settings } from '../../config/settings'
import { requestParams, type RequestParams } from '../request-params'
import { parseBounds, parseDirection, parseGoInt, parseLimit, parseRangeQuery, parseStepMs, parseTime, type Bounds } from '../params'
import { HttpError } from '../errors'
import { jsonResponse } from '../json'
import { encodeStats } from '../marshal'
import { parseLogSelector, parseMatchers } from '../../logql/syntax/parse'
import { validateMatchers } from '../../logql/syntax/validate'
import type { LabelMatcher, LogSelectorExpr } from '../../logql/syntax/ast'
import { evaluateLogQuery, groupByIndexedLabels } from '../../logql/engine/log-query'
import { newQueryStats } from '../../logql/engine/stats'
import { StoreSource } from '../../querier/store-source'
import { indexStats, loadSeries } from '../../querier/index-stats'
import { computeVolume, encodeVolume, prepareMatchers, type AggregateBy } from '../../querier/volume'
import { detectFields, detectFieldValues, type FieldStream } from '../../querier/detected-fields'
import { detectLabels } from '../../querier/detected-labels'
import { drilldownLimits } from '../../querier/drilldown-limits'
import { checkEntriesLimit, checkQueryLength } from '../../frontend/limits'
import { findStreams } from '../../storage/label-index'
import { nsToMs } from '../../util/time'
import { resolveTenant } from '../../tenant/tenant'
import { goJson } from '../../util/go-json'
import { MULTIPLE_ORG_IDS } from '../../auth/org-ids'

export const metadataRoutes = new Hono<AppEnv>()

function positive(n: number): number {
  if (n <= 0) throw new HttpError(400, 'limit must be a positive value')
  return n
}

/** Loki's ParseRangeQuery checks (bounds, limit, direction, step, interval); returns the step. */
function rangeParams(p: RequestParams, settings: Settings, limitDefault = 100): { bounds: Bounds; limit: number; stepMs: number } {
  const { bounds, limit, stepMs } = parseRangeQuery(p.get, limitDefault)
  checkQueryLength(settings, bounds.lengthNs)
  return { bounds, limit, stepMs }
}

function badRequest(err: unknown): HttpError {
  return err instanceof HttpError ? err : new HttpError(400, err instanceof Error ? err.message : String(err))
}

/** `syntax.ParseMatchers(q, true)`: a bare selector with at least one non-empty-compatible matcher. */
function validatedMatchers(query: string): LabelMatcher[] {
  try {
    const ms = parseMatchers(query)
    validateMatchers(ms)
    return ms
  } catch (err) {
    throw badRequest(err)
  }
}

function headWindowMs(settings: Settings): number {
  return settings.num('max_chunk_age') / 2
}

async function stats(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const p = await requestParams(c)
  const { bounds } = rangeParams(p, settings)
  const matchers = validatedMatchers(p.get('query') ?? '')
  const series = await loadSeries(c.env, c.get('tenant'), matchers, bounds.start, bounds.end, headWindowMs(settings), settings.bool('discover_log_levels'))
  const s = indexStats(series, bounds.start, bounds.end)
  return jsonResponse({ streams: s.streams, chunks: s.chunks, bytes: s.bytes, entries: s.entries })
}

/**
 * Loki's volumeLimit: 0 means the default, a negative value is refused, and so is one that does
 * not survive the trip through Loki's 32-bit request field.
 */
function volumeLimit(p: RequestParams): number {
  const n = parseGoInt(p.get('limit'), 100)
  if (n === 0) return 100
  positive(n)
  return positive(Number(BigInt.asIntN(32, BigInt.asUintN(32, BigInt(p.get('limit') || n)))))
}

function aggregateBy(p: RequestParams): AggregateBy {
  const raw = p.get('aggregateBy') ?? ''
  if (raw === '') return 'series'
  if (raw === 'series' || raw === 'labels') return raw
  throw new HttpError(400, 'invalid aggregation option')
}

function targetLabels(p: RequestParams): string[] {
  const raw = p.get('targetLabels') ?? ''
  return raw === '' ? [] : raw.split(',')
}

async function volume(c: Context<AppEnv>, range: boolean): Promise<Response> {
  const settings = settingsFor(c.env)
  if (!settings.bool('volume_enabled')) throw new HttpError(404, 'not found')
  const p = await requestParams(c)
  const limit = volumeLimit(p)
  let bounds: Bounds
  let stepMs = 0
  if (range) {
    const withLimit: RequestParams = { get: (name) => (name === 'limit' ? String(limit) : p.get(name)), all: p.all }
    const parsed = rangeParams(withLimit, settings, limit)
    bounds = parsed.bounds
    stepMs = parsed.stepMs
  } else {
    parseTime(p.get)
    parseDirection(p.get)
    bounds = parseBounds(p.get)
  }
  const by = aggregateBy(p)
  const query = p.get('query') ?? ''
  const matchers = query === '{}' ? [] : validatedMatchers(query)
  const targets = targetLabels(p)
  const req = { matchers, targetLabels: targets, aggregateBy: by, limit }
  const selection = prepareMatchers(targets, matchers).matchers
  const series = await loadSeries(c.env, c.get('tenant'), selection, bounds.start, bounds.end, headWindowMs(settings), settings.bool('discover_log_levels'))
  const result = computeVolume(series, req, bounds.start, bounds.end, stepMs, settings.num('volume_max_series'))
  return jsonResponse({ status: 'success', data: { ...encodeVolume(result), stats: encodeStats(newQueryStats()) } })
}

interface FieldsRequest {
  readonly expr: LogSelectorExpr
  readonly bounds: Bounds
  readonly lineLimit: number
  readonly limit: number
}

/** ParseDetectedFieldsQuery plus the frontend's selector and entries-limit checks. */
async function fieldsRequest(c: Context<AppEnv>, settings: Settings): Promise<FieldsRequest> {
  const p = await requestParams(c)
  const bounds = parseBounds(p.get)
  checkQueryLength(settings, bounds.lengthNs)
  const lineLimit = parseLimit(p.get, 100, 'line_limit')
  const limitRaw = p.get('limit') || p.get('field_limit')
  const limit = positive(parseGoInt(limitRaw, 1000))
  parseStepMs(p.get, bounds)
  let expr: LogSelectorExpr
  try {
    expr = parseLogSelector(p.get('query') ?? '')
  } catch (err) {
    throw badRequest(err)
  }
  checkEntriesLimit(settings, lineLimit)
  return { expr, bounds, lineLimit, limit }
}

/** The newest `lineLimit` lines, grouped by indexed labels, streams by label string. */
async function fieldStreams(c: Context<AppEnv>, settings: Settings, r: FieldsRequest): Promise<FieldStream[]> {
  const src = new StoreSource(c.env, c.get('tenant'), headWindowMs(settings))
  const result = await evaluateLogQuery(r.expr, { start: r.bounds.start, end: r.bounds.end, limit: r.lineLimit, direction: 'backward' }, src)
  return groupByIndexedLabels(result, 'backward').map((g) => ({ stream: g.stream, entries: g.entries }))
}

async function detectedFields(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const r = await fieldsRequest(c, settings)
  const fields = detectFields(await fieldStreams(c, settings, r), r.limit)
  return jsonResponse({ fields, limit: r.limit })
}

async function detectedFieldValues(c: Context<AppEnv>): Promise<Response> {
  const settings = settingsFor(c.env)
  const name = c.req.param('name') ?? ''
  const r = await fieldsRequest(c, settings)
  const values = detectFieldValues(await fieldStreams(c, settings, r), name, r.limit)
  return jsonResponse({ values, limit: r.limit })
}

async function detectedLabels(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  const bounds = parseBounds(p.get)
  checkQueryLength(settingsFor(c.env), bounds.lengthNs)
  const query = p.get('query') ?? ''
  const matchers = query === '' ? [] : validatedMatchers(query)
  const streams = await findStreams(c.env.DB, c.get('tenant'), matchers, nsToMs(bounds.start), nsToMs(bounds.end))
  return jsonResponse({ detectedLabels: detectLabels(streams) })
}

/** No pattern ingester: every well-formed request has no patterns. */
async function patterns(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  const bounds = parseBounds(p.get)
  parseStepMs(p.get, bounds)
  return jsonResponse({ status: 'success', data: [] })
}

/** http.Error's answer: the text and a newline. */
function plainError(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } })
}

/**
 * Loki takes this route's tenant from `X-Scope-OrgID` alone, auth on or off: no header, several
 * tenants or an invalid id is a 401. With tokens, any valid token may read the limits.
 */
function limits(c: Context<AppEnv>): Response {
  const settings = settingsFor(c.env)
  if (!(settings.bool('auth_enabled') && settings.bool('auth_tokens'))) {
    const orgId = c.req.header('X-Scope-OrgID') ?? null
    if (orgId?.includes('|')) return plainError(401, MULTIPLE_ORG_IDS)
    try {
      resolveTenant(true, orgId)
    } catch (err) {
      if (err instanceof HttpError) return plainError(401, err.message)
      throw err
    }
  }
  // json.Encoder's framing: a trailing newline, no charset.
  return new Response(`${goJson(drilldownLimits(settings))}\n`, { headers: { 'Content-Type': 'application/json' } })
}

metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/index/stats', stats)
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/index/volume', (c) => volume(c, false))
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/index/volume_range', (c) => volume(c, true))
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/detected_fields', detectedFields)
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/detected_field/:name/values', detectedFieldValues)
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/detected_labels', detectedLabels)
metadataRoutes.on(['GET', 'POST'], '/loki/api/v1/patterns', patterns)
metadataRoutes.get('/loki/api/v1/drilldown-limits', limits)
