/**
 * The ruler API as Loki serves it: rule groups in YAML under `/loki/api/v1/rules` and
 * `/api/prom/rules` (202 on writes, Loki's 400/404 texts), and the evaluation state under
 * `/prometheus/api/v1/rules` and `/prometheus/api/v1/alerts`. Paths are split as Loki's router
 * splits them: percent-decoded first, then each name unescaped once more.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor } from '../../config/settings'
import { goJson } from '../../util/go-json'
import { RuleStore } from '../../ruler/store'
import { decodeRuleGroup } from '../../ruler/yaml-decode'
import { checkGroupSize, checkGroupsPerTenant, checkRulesPerGroup, validateRuleGroup } from '../../ruler/validate'
import { groupYaml, namespacesYaml } from '../../ruler/yaml-groups'
import { RuleGroupDecodeError, RuleGroupInvalidError, RuleGroupNotFoundError } from '../../ruler/errors'
import { badTypeResponse, type RulesFilter } from '../../ruler/status'
import { rulerFor } from '../../ruler/naming'
import type { LabelMatcher } from '../../logql/syntax/ast'
import { requestParams } from '../request-params'
import { constantInstantResponse, constantRangeResponse, errorResponse, instantResponse, LOOKBACK_MS, MAX_POINTS, parseSelector, PromQueryError, rangeResponse } from '../../ruler/prom-query'
import { constantValue } from '../../ruler/prom-constant'
import { parsePromDuration } from '../../go/duration'

export const rulesRoutes = new Hono<AppEnv>()

const PREFIXES = ['/loki/api/v1/rules', '/api/prom/rules'] as const
const TEXT = 'text/plain; charset=utf-8'
const ACCEPTED = goJson({ status: 'success', data: null, errorType: '', error: '' })

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { 'Content-Type': TEXT, 'X-Content-Type-Options': 'nosniff' } })
}

function serverError(message: string): Response {
  return new Response(goJson({ status: 'error', data: null, errorType: 'server_error', error: message }), { status: 500, headers: { 'Content-Type': TEXT } })
}

const yaml = (body: string): Response => new Response(body, { status: 200, headers: { 'Content-Type': 'application/yaml' } })
const accepted = (): Response => new Response(ACCEPTED, { status: 202, headers: { 'Content-Type': 'application/json' } })

/** Go's url.PathUnescape. */
function pathUnescape(s: string): string {
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`)
      bytes.push(parseInt(hex, 16))
      i += 2
    } else bytes.push(...new TextEncoder().encode(c))
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** Go's filepath.IsLocal on Unix. */
function isLocal(p: string): boolean {
  if (p === '' || p.startsWith('/')) return false
  return !p.split('/').includes('..')
}

interface RulePath {
  readonly namespace?: string
  readonly group?: string
}

/** The namespace and group named by the path, or null when the path is not a rules route. */
function rulePath(c: Context<AppEnv>): RulePath | null {
  let path: string
  try {
    path = decodeURIComponent(new URL(c.req.url).pathname)
  } catch {
    path = c.req.path
  }
  const prefix = PREFIXES.find((p) => path === p || path.startsWith(`${p}/`))
  if (prefix === undefined) return null
  const rest = path.slice(prefix.length)
  if (rest === '') return {}
  const parts = rest.slice(1).split('/')
  if (parts.length > 2 || parts.some((p) => p === '')) return null
  return { namespace: parts[0], group: parts[1] }
}

function checkName(raw: string, kind: 'namespace' | 'groupname'): string {
  const name = pathUnescape(raw)
  if (!isLocal(name)) throw new Error(`invalid ${kind}: path traversal not allowed`)
  return name
}

async function handle(c: Context<AppEnv>): Promise<Response> {
  const p = rulePath(c)
  if (p === null) return text(404, '404 page not found')
  const method = c.req.method
  let namespace: string | undefined
  let group: string | undefined
  try {
    namespace = p.namespace === undefined ? undefined : checkName(p.namespace, 'namespace')
    group = p.group === undefined ? undefined : checkName(p.group, 'groupname')
  } catch (e) {
    return serverError((e as Error).message)
  }
  const tenant = c.get('tenant')
  const store = new RuleStore(c.env.DB, tenant)
  try {
    if (method === 'GET' && group === undefined) {
      const groups = await store.list(namespace)
      if (groups.length === 0) throw new RuleGroupNotFoundError('no rule groups found')
      return yaml(namespacesYaml(groups))
    }
    if (method === 'GET' && namespace !== undefined && group !== undefined) {
      const g = await store.get(namespace, group)
      if (g === null) throw new RuleGroupNotFoundError('group does not exist')
      return yaml(groupYaml(g))
    }
    if (method === 'POST' && namespace !== undefined && group === undefined) {
      const settings = settingsFor(c.env)
      const g = decodeRuleGroup(new TextDecoder().decode(await c.req.arrayBuffer()))
      validateRuleGroup(g)
      checkRulesPerGroup(settings.num('ruler_max_rules_per_rule_group'), g.rules.length)
      checkGroupSize(g)
      checkGroupsPerTenant(settings.num('ruler_max_rule_groups_per_tenant'), await store.countGroups())
      await store.put(namespace, g, Date.now())
      await rulerFor(c.env, tenant).sync(tenant)
      return accepted()
    }
    if (method === 'DELETE' && namespace !== undefined) {
      if (group !== undefined) await store.deleteGroup(namespace, group)
      else if (!(await store.deleteNamespace(namespace))) throw new RuleGroupNotFoundError('group namespace does not exist')
      await rulerFor(c.env, tenant).sync(tenant)
      return accepted()
    }
  } catch (e) {
    if (e instanceof RuleGroupNotFoundError || e instanceof RuleGroupDecodeError || e instanceof RuleGroupInvalidError) return text(e.status, e.message)
    throw e
  }
  return methodNotAllowed()
}

/** What Loki's router answers a known path asked with another method: 405, no body. */
const methodNotAllowed = (): Response => new Response(null, { status: 405 })

for (const prefix of PREFIXES) {
  rulesRoutes.all(prefix, handle)
  rulesRoutes.all(`${prefix}/*`, handle)
}

function rulesFilter(c: Context<AppEnv>): RulesFilter | string {
  const type = (c.req.query('type') ?? '').toLowerCase()
  if (type !== '' && type !== 'alert' && type !== 'record') return type
  return {
    type: type === '' ? null : type,
    files: c.req.queries('file') ?? [],
    groups: c.req.queries('rule_group') ?? [],
    names: c.req.queries('rule_name') ?? [],
  }
}

const json = (body: string): Response => new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })

rulesRoutes.get('/prometheus/api/v1/rules', async (c) => {
  const filter = rulesFilter(c)
  if (typeof filter === 'string') return new Response(badTypeResponse(filter), { status: 400, headers: { 'Content-Type': TEXT } })
  const tenant = c.get('tenant')
  return json(await rulerFor(c.env, tenant).rules(tenant, filter))
})

rulesRoutes.get('/prometheus/api/v1/alerts', async (c) => {
  const tenant = c.get('tenant')
  return json(await rulerFor(c.env, tenant).alerts(tenant))
})

rulesRoutes.all('/prometheus/api/v1/rules', methodNotAllowed)
rulesRoutes.all('/prometheus/api/v1/alerts', methodNotAllowed)

const MAX_TIME_MS = 9_223_372_036_854
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/

/** Prometheus' parseTime: Unix seconds (with a fraction) or RFC 3339; ms. */
function promTime(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def
  const ms = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Math.round(Number(raw) * 1000) : RFC3339.test(raw) ? Date.parse(raw) : NaN
  // Go's time.Time stays within int64 nanoseconds' reach of the epoch.
  if (Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS) return ms
  throw new PromQueryError(`invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`)
}

/** Prometheus' parseDuration for `step`: seconds (with a fraction) or a duration; ms. */
function promStep(raw: string | undefined): number {
  if (raw !== undefined && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) {
    const ms = Math.round(Number(raw) * 1000)
    if (Number.isFinite(ms)) return ms
  }
  try {
    return Number(parsePromDuration(raw ?? '') / 1_000_000n)
  } catch {
    throw new PromQueryError(`invalid parameter "step": cannot parse "${raw ?? ''}" to a valid duration`)
  }
}

function promAnswer(run: () => Promise<string>): Promise<Response> {
  return run().then(
    (body) => json(body),
    (e: unknown) => {
      if (e instanceof PromQueryError) return new Response(errorResponse(e.message), { status: 400, headers: { 'Content-Type': 'application/json' } })
      throw e
    },
  )
}

// Not Loki's: the recording rules' own samples, queryable as from a Prometheus.
rulesRoutes.on(['GET', 'POST'], '/prometheus/api/v1/query', (c) =>
  promAnswer(async () => {
    const p = await requestParams(c)
    const t = promTime('time', p.get('time'), Date.now())
    const constant = constantValue(p.get('query') ?? '')
    if (constant !== null) return constantInstantResponse(constant, t)
    const sel = parseSelector(p.get('query') ?? '')
    const from = t - (sel.rangeMs ?? LOOKBACK_MS)
    return instantResponse(sel, await rulerFor(c.env, c.get('tenant')).selectSeries(sel.matchers, from, t), t)
  }),
)

rulesRoutes.on(['GET', 'POST'], '/prometheus/api/v1/query_range', (c) =>
  promAnswer(async () => {
    const p = await requestParams(c)
    const start = promTime('start', p.get('start'), NaN)
    const end = promTime('end', p.get('end'), NaN)
    if (Number.isNaN(start)) throw new PromQueryError('invalid parameter "start": cannot parse "" to a valid timestamp')
    if (Number.isNaN(end)) throw new PromQueryError('invalid parameter "end": cannot parse "" to a valid timestamp')
    if (end < start) throw new PromQueryError('invalid parameter "end": end timestamp must not be before start time')
    const step = promStep(p.get('step'))
    if (step <= 0) throw new PromQueryError('invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer')
    if ((end - start) / step > MAX_POINTS) throw new PromQueryError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)')
    const constant = constantValue(p.get('query') ?? '')
    if (constant !== null) return constantRangeResponse(constant, start, end, step)
    const sel = parseSelector(p.get('query') ?? '')
    return rangeResponse(sel, await rulerFor(c.env, c.get('tenant')).selectSeries(sel.matchers, start - LOOKBACK_MS, end), start, end, step)
  }),
)

/** The `match[]` selectors of a metadata request, their matchers each. */
function matchSelectors(all: readonly string[]): Array<readonly LabelMatcher[]> {
  return all.map((m) => {
    const sel = parseSelector(m)
    if (sel.rangeMs !== null) throw new PromQueryError(`invalid parameter "match[]": parse error: expected type instant vector in series selector, got range vector`)
    return sel.matchers
  })
}

async function seriesFor(c: Context<AppEnv>, requireMatch: boolean): Promise<Array<Record<string, string>>> {
  const p = await requestParams(c)
  const start = promTime('start', p.get('start'), -MAX_TIME_MS)
  const end = promTime('end', p.get('end'), MAX_TIME_MS)
  const matches = p.all('match[]')
  if (requireMatch && matches.length === 0) throw new PromQueryError('no match[] parameter provided')
  return rulerFor(c.env, c.get('tenant')).seriesLabels(matchSelectors(matches), start, end)
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort()

// Not Loki's: the metadata Grafana's Prometheus query builder reads, over the recorded series.
rulesRoutes.on(['GET', 'POST'], '/prometheus/api/v1/series', (c) =>
  promAnswer(async () => goJson({ status: 'success', data: await seriesFor(c, true) })),
)

rulesRoutes.on(['GET', 'POST'], '/prometheus/api/v1/labels', (c) =>
  promAnswer(async () => goJson({ status: 'success', data: sortedUnique((await seriesFor(c, false)).flatMap((l) => Object.keys(l))) })),
)

rulesRoutes.get('/prometheus/api/v1/label/:name/values', (c) =>
  promAnswer(async () => {
    const name = c.req.param('name')
    const values = (await seriesFor(c, false)).map((l) => l[name]).filter((v): v is string => v !== undefined)
    return goJson({ status: 'success', data: sortedUnique(values) })
  }),
)
