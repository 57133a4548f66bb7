/**
 * Loki's delete API (`/loki/api/v1/delete`, served only with `retention_enabled`): POST or PUT
 * adds a request, GET lists the tenant's requests, DELETE cancels one. Parameters are checked in
 * Loki's order with its texts (pkg/compactor/deletion/request_handler.go); a tenant whose
 * `deletion_mode` is `disabled` gets 403 before any parameter is read.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { settingsFor } from '../../config/settings'
import { tenantSettings } from '../../overrides/overrides'
import { parseDeletionMode } from '../../overrides/deletion-mode'
import { DELETION_NOT_AVAILABLE, DeleteRequestError } from '../../compactor/errors'
import { forgetForwardFilter } from '../../compactor/delete-filter'
import {
  addDeleteRequest,
  cancelDeleteRequest,
  hasFilter,
  listDeleteRequests,
  parseDeletionQuery,
  type DeleteRequestView,
} from '../../compactor/delete-requests'
import { parseRfc3339Ns } from '../params'
import { formatGoDuration, parseGoDuration } from '../../go/duration'

export const deleteRoutes = new Hono<AppEnv>()

const NS_PER_MS = 1_000_000n
const GO_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u

/** Loki's deletion parseTime: RFC3339, or exactly ten characters read by util.ParseTime (ms). */
function parseTime(raw: string, nowMs: number): number | null {
  if (raw === '') return nowMs
  const rfc = parseRfc3339Ns(raw)
  if (rfc !== null) return Number(rfc / NS_PER_MS)
  if (raw.length !== 10 || !GO_FLOAT.test(raw)) return null
  const t = Number(raw)
  const whole = Math.trunc(t)
  const frac = Math.round((t - whole) * 1000) / 1000
  return whole * 1000 + Math.trunc(Math.trunc(frac * 1e9) / 1e6)
}

function bad(message: string): DeleteRequestError {
  return new DeleteRequestError(400, message)
}

/** Loki's interval(): the shard length of a request with filters (ms). */
function shardInterval(raw: string | undefined, maxMs: number, startMs: number, endMs: number): number {
  if (raw === undefined || raw === '') return maxMs
  let ns: bigint
  try {
    ns = parseGoDuration(raw)
  } catch {
    ns = 0n
  }
  if (ns < 1_000_000_000n) throw bad("invalid max_interval: valid time units are 's', 'm', 'h'")
  const ms = Number(ns / NS_PER_MS)
  if (ms > maxMs && maxMs !== 0) throw bad(`max_interval can't be greater than ${formatGoDuration(BigInt(maxMs) * NS_PER_MS)}`)
  if (ms > endMs - startMs) {
    throw bad(`max_interval can't be greater than the interval to be deleted (${formatGoDuration(BigInt(endMs - startMs) * NS_PER_MS)})`)
  }
  return ms
}

function toJson(v: DeleteRequestView): Record<string, unknown> {
  return {
    request_id: v.requestId,
    start_time: v.startMs / 1000,
    end_time: v.endMs / 1000,
    query: v.query,
    status: v.status,
    created_at: v.createdMs / 1000,
    user_id: '',
  }
}

async function add(c: Context<AppEnv>, tenant: string, nowMs: number): Promise<Response> {
  const settings = await tenantSettings(c.env, tenant, nowMs)
  const query = c.req.query('query') ?? ''
  if (query === '') throw bad('query not set')
  const expr = parseDeletionQuery(query)
  const startRaw = c.req.query('start') ?? ''
  if (startRaw === '') throw bad('start time not set')
  const startMs = parseTime(startRaw, nowMs)
  if (startMs === null) throw bad('invalid start time: require unix seconds or RFC3339 format')
  const endMs = parseTime(c.req.query('end') ?? '', nowMs)
  if (endMs === null) throw bad('invalid end time: require unix seconds or RFC3339 format')
  if (endMs > nowMs) throw bad('deletes in the future are not allowed')
  if (startMs >= endMs) throw bad("start time can't be greater than or equal to end time")
  const shardMs = hasFilter(expr) ? shardInterval(c.req.query('max_interval'), settings.num('delete_max_interval'), startMs, endMs) : 0
  const id = await addDeleteRequest(c.env.DB, tenant, { query, startMs, endMs, shardMs }, nowMs)
  forgetForwardFilter(tenant)
  return new Response(null, { status: 204, headers: { 'X-Delete-Request-Id': id } })
}

async function list(c: Context<AppEnv>, tenant: string, nowMs: number): Promise<Response> {
  const sp = c.req.query('start') ?? ''
  const ep = c.req.query('end') ?? ''
  let range: { startMs: number; endMs: number } | undefined
  if (sp !== '' && ep !== '') {
    const startMs = parseTime(sp, nowMs)
    const endMs = parseTime(ep, nowMs)
    if (startMs === null) throw bad('invalid start time: require unix seconds or RFC3339 format')
    if (endMs === null) throw bad('invalid end time: require unix seconds or RFC3339 format')
    range = { startMs, endMs }
  }
  const views = await listDeleteRequests(c.env.DB, tenant, range)
  return new Response(`${JSON.stringify(views.map(toJson))}\n`, { status: 200, headers: { 'Content-Type': 'application/json' } })
}

async function cancel(c: Context<AppEnv>, tenant: string, nowMs: number): Promise<Response> {
  const settings = settingsFor(c.env)
  await cancelDeleteRequest(c.env.DB, tenant, c.req.query('request_id') ?? '', c.req.query('force') === 'true', settings.num('delete_request_cancel_period'), nowMs)
  forgetForwardFilter(tenant)
  return new Response(null, { status: 204 })
}

/** Loki answers with http.Error: the text, a newline, nosniff. */
function errorText(err: DeleteRequestError): Response {
  return new Response(`${err.message}\n`, {
    status: err.status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  })
}

deleteRoutes.all('/loki/api/v1/delete', async (c) => {
  try {
    return await serve(c)
  } catch (err) {
    if (err instanceof DeleteRequestError) return errorText(err)
    throw err
  }
})

async function serve(c: Context<AppEnv>): Promise<Response> {
  if (!settingsFor(c.env).bool('retention_enabled')) return c.text('404 page not found\n', 404)
  const method = c.req.method
  if (method !== 'POST' && method !== 'PUT' && method !== 'GET' && method !== 'DELETE') return c.body(null, 405)
  const tenant = c.get('tenant')
  const nowMs = Date.now()
  const mode = parseDeletionMode((await tenantSettings(c.env, tenant, nowMs)).text('deletion_mode'))
  if (mode === 'disabled') throw new DeleteRequestError(403, DELETION_NOT_AVAILABLE)
  if (method === 'GET') return list(c, tenant, nowMs)
  if (method === 'DELETE') return cancel(c, tenant, nowMs)
  return add(c, tenant, nowMs)
}
