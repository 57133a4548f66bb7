/**
 * Opening a live tail (Loki's pkg/querier/tail): the checks Loki makes after the upgrade, which
 * close an accepted socket with 1011 and the reason (a metric query, too many matchers, a range
 * beyond `max_query_length` or a start after now, a pipeline that cannot be built), then the socket in the tenant's
 * Tailer object, then — after the response, through the query path — the newest `limit` entries
 * stored since `start`, which the object sends before any live entry.
 */
import type { Env } from '../env'
import type { Settings } from '../config/settings'
import { evaluateLogQuery } from '../logql/engine/log-query'
import { isLogExpr, selectorMatchers, type Expr, type LogSelectorExpr } from '../logql/syntax/ast'
import { formatGoDuration, formatPromDuration } from '../go/duration'
import { doRequests } from '../metrics/meters'
import { msToNs } from '../util/time'
import { compareEntries, sortedPairs, type TailEntry } from '../tail/entry'
import type { FrameFormat } from '../tail/frames'
import { tailerFor } from '../tail/naming'
import { BACKFILL_AT_HEADER, SOCKET_ID_HEADER, SPEC_HEADER, type TailSpec } from '../tail/protocol'
import { TailQuery } from '../tail/tail-query'
import { StoreSource } from './store-source'

export interface TailParams {
  readonly query: string
  readonly expr: Expr
  readonly limit: number
  readonly start: bigint
  readonly delayForSeconds: number
  readonly format: FrameFormat
}

/** Loki wraps its request-validation errors as gRPC status texts. */
function grpcBadRequest(message: string): string {
  return `rpc error: code = Code(400) desc = ${message}`
}

/** The reason an accepted tail must be closed at once, or null. */
function refusal(
  expr: Expr,
  start: bigint,
  now: bigint,
  settings: Settings,
): { readonly reason: string } | { readonly expr: LogSelectorExpr; readonly start: bigint } {
  if (!isLogExpr(expr)) return { reason: 'only log selector is supported' }
  const matchers = selectorMatchers(expr).length
  const maxMatchers = settings.num('max_streams_matchers_per_query')
  if (matchers > maxMatchers) {
    return { reason: grpcBadRequest(`max streams matchers per query exceeded, matchers-count > limit (${matchers} > ${maxMatchers})`) }
  }
  const lookback = msToNs(settings.num('max_query_lookback'))
  const from = lookback > 0n && start < now - lookback ? now - lookback : start
  const maxLength = msToNs(settings.num('max_query_length'))
  if (maxLength > 0n && now - from > maxLength) {
    return {
      reason: grpcBadRequest(
        `the query time range exceeds the limit (query length: ${formatGoDuration(now - from)}, limit: ${formatPromDuration(maxLength)})`,
      ),
    }
  }
  if (now < from) {
    return { reason: grpcBadRequest(`this data is no longer available, it is past now - max_query_lookback (${formatPromDuration(lookback)})`) }
  }
  return { expr, start: from }
}

function storedEntries(result: Awaited<ReturnType<typeof evaluateLogQuery>>): TailEntry[] {
  const out: TailEntry[] = []
  for (const s of result.streams) {
    for (const e of s.entries) {
      out.push({
        ts: e.ts,
        line: e.line,
        labels: s.labels,
        stream: s.stream,
        structuredMetadata: sortedPairs(e.structuredMetadata),
        parsed: sortedPairs(e.parsed),
      })
    }
  }
  return out.sort(compareEntries)
}

async function backfill(
  env: Env,
  tenant: string,
  settings: Settings,
  expr: LogSelectorExpr,
  p: TailParams,
  start: bigint,
  socket: string,
  notBefore: number,
): Promise<void> {
  const tailer = tailerFor(env, tenant)
  try {
    const wait = notBefore - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const timeoutMs = settings.num('query_timeout')
    const maxEntries = settings.num('max_entries_limit_per_query')
    const result = await evaluateLogQuery(
      expr,
      { start, end: msToNs(Date.now()) + 1n, limit: maxEntries > 0 ? Math.min(p.limit, maxEntries) : p.limit, direction: 'backward' },
      new StoreSource(env, tenant, settings.num('max_chunk_age') / 2),
      undefined,
      { splitMs: settings.num('split_queries_by_interval'), ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}) },
    )
    doRequests(1)
    await tailer.backfill(socket, storedEntries(result))
  } catch (err) {
    doRequests(1)
    await tailer.fail(socket, err instanceof Error ? err.message : String(err)).catch(() => undefined)
  }
}

function pipelineError(query: string): string | null {
  try {
    new TailQuery(query)
    return null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/**
 * Answers a WebSocket upgrade for a validated tail request: the 101 of the tenant's Tailer
 * object. `after` receives the work that must outlive the response (reading stored entries).
 */
export async function openTail(
  env: Env,
  tenant: string,
  settings: Settings,
  p: TailParams,
  after: (work: Promise<void>) => void,
): Promise<Response> {
  const checked = refusal(p.expr, p.start, msToNs(Date.now()), settings)
  const refused = 'reason' in checked ? checked.reason : pipelineError(p.query)
  const spec: TailSpec = {
    query: p.query,
    format: p.format,
    delayForMs: p.delayForSeconds * 1000,
    maxConcurrent: settings.num('max_concurrent_tail_requests'),
    maxDurationMs: settings.num('tail_max_duration'),
    ...(refused === null ? {} : { refusal: refused }),
  }
  doRequests(1)
  const res = await tailerFor(env, tenant).fetch('https://tailer/open', {
    headers: { Upgrade: 'websocket', [SPEC_HEADER]: encodeURIComponent(JSON.stringify(spec)) },
  })
  const socket = res.headers.get(SOCKET_ID_HEADER)
  if (res.status === 101 && socket && 'expr' in checked) {
    const notBefore = Number(res.headers.get(BACKFILL_AT_HEADER) ?? 0)
    after(backfill(env, tenant, settings, checked.expr, p, checked.start, socket, notBefore))
  }
  // The object's headers are for this call only.
  return new Response(null, { status: res.status, webSocket: res.webSocket })
}
