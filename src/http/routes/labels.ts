/**
 * The index endpoints: label names, label values and series, current and legacy paths, GET and
 * form-encoded POST. Only streams active in the requested range are considered.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { requestParams } from '../request-params'
import { DATA_NOT_AVAILABLE, parseBounds } from '../params'
import { checkQueryLength } from '../../frontend/limits'
import { jsonResponse } from '../json'
import { HttpError } from '../errors'
import { settingsFor } from '../../config/settings'
import { findStreams, type IndexedStream } from '../../storage/label-index'
import { parseLogSelector, parseMatchers } from '../../logql/syntax/parse'
import { selectorMatchers } from '../../logql/syntax/ast'
import type { LabelMatcher } from '../../logql/syntax/ast'
import { nsToMs } from '../../util/time'
import { TENANT_LABEL, withTenant } from '../../querier/multi-tenant'

export const labelRoutes = new Hono<AppEnv>()

interface FoundStream {
  /** Unique across the tenants asked. */
  readonly key: string
  readonly labels: IndexedStream['labels']
}

/**
 * The streams of the request's tenants; with several, each tenant's carry `__tenant_id__` and the
 * matchers reach every tenant unchanged, as in Loki's multi-tenant label and series calls.
 */
async function streamsFor(c: Context<AppEnv>, matchers: readonly LabelMatcher[], start: bigint, end: bigint): Promise<FoundStream[]> {
  const tenants = c.get('tenants')
  const found: FoundStream[] = []
  for (const tenant of tenants) {
    for (const s of await findStreams(c.env.DB, tenant, matchers, nsToMs(start), nsToMs(end))) {
      found.push({ key: `${tenant}/${s.fingerprint}`, labels: tenants.length > 1 ? withTenant(s.labels, tenant) : s.labels })
    }
  }
  return found
}

function selectorParam(query: string | undefined): readonly LabelMatcher[] {
  if (query === undefined || query.trim() === '') return []
  try {
    return selectorMatchers(parseLogSelector(query))
  } catch (err) {
    throw new HttpError(400, (err as Error).message)
  }
}

async function labelNames(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  const bounds = parseBounds(p.get, DATA_NOT_AVAILABLE)
  checkQueryLength(settingsFor(c.env), bounds.lengthNs)
  const matchers = selectorParam(p.get('query'))
  const names = new Set<string>()
  if (c.get('tenants').length > 1) names.add(TENANT_LABEL)
  for (const s of await streamsFor(c, matchers, bounds.start, bounds.end)) for (const n of Object.keys(s.labels)) names.add(n)
  const data = [...names].sort()
  return jsonResponse(data.length > 0 ? { status: 'success', data } : { status: 'success' })
}

async function labelValues(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param('name') ?? ''
  const p = await requestParams(c)
  const bounds = parseBounds(p.get, DATA_NOT_AVAILABLE)
  checkQueryLength(settingsFor(c.env), bounds.lengthNs)
  const matchers = selectorParam(p.get('query'))
  if (name === TENANT_LABEL && settingsFor(c.env).bool('multi_tenant_queries_enabled')) {
    return jsonResponse({ status: 'success', data: c.get('tenants') })
  }
  const values = new Set<string>()
  for (const s of await streamsFor(c, matchers, bounds.start, bounds.end)) {
    const v = s.labels[name]
    if (v !== undefined) values.add(v)
  }
  const data = [...values].sort()
  return jsonResponse(data.length > 0 ? { status: 'success', data } : { status: 'success' })
}

async function series(c: Context<AppEnv>): Promise<Response> {
  const p = await requestParams(c)
  const bounds = parseBounds(p.get, DATA_NOT_AVAILABLE)
  checkQueryLength(settingsFor(c.env), bounds.lengthNs)
  const selectors = [...p.all('match[]'), ...p.all('match')]
  const groups: Array<readonly LabelMatcher[]> = []
  for (const sel of selectors) {
    try {
      groups.push(parseMatchers(sel))
    } catch (err) {
      throw new HttpError(400, (err as Error).message)
    }
  }
  const maxMatchers = settingsFor(c.env).num('max_streams_matchers_per_query')
  if (maxMatchers > 0 && groups.length > maxMatchers) {
    throw new HttpError(400, `max streams matchers per query exceeded, matchers-count > limit (${groups.length} > ${maxMatchers})`)
  }
  if (groups.length === 0) groups.push([])
  const seen = new Map<string, Readonly<Record<string, string>>>()
  for (const matchers of groups) {
    for (const s of await streamsFor(c, matchers, bounds.start, bounds.end)) seen.set(s.key, s.labels)
  }
  const data = [...seen.values()]
  return jsonResponse({ status: 'success', data })
}

for (const prefix of ['/loki/api/v1', '/api/prom']) {
  labelRoutes.on(['GET', 'POST'], `${prefix}/labels`, labelNames)
  labelRoutes.on(['GET', 'POST'], `${prefix}/label`, labelNames)
  labelRoutes.on(['GET', 'POST'], `${prefix}/label/:name/values`, labelValues)
  labelRoutes.on(['GET', 'POST'], `${prefix}/series`, series)
}
