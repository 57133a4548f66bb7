/**
 * The public Loki API as the page calls it: the same requests Grafana's Loki data source makes,
 * with the tenant (X-Scope-OrgID) and, once signed in, a bearer token kept in this browser only.
 * Replies start as `unknown` and are narrowed here; an error reply keeps Loki's text.
 */

export interface Credentials {
  readonly tenant: string
  readonly token: string
}

/** A non-2xx reply: its status and Loki's message, as the server wrote it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export type Labels = Record<string, string>

export interface StreamValue {
  readonly ts: string
  readonly line: string
  readonly metadata: Labels
  readonly parsed: Labels
}

export interface Stream {
  readonly labels: Labels
  readonly values: readonly StreamValue[]
}

export interface Series {
  readonly metric: Labels
  /** [unix seconds, value] pairs. */
  readonly points: readonly (readonly [number, number])[]
}

export type QueryResult =
  | { readonly kind: 'streams'; readonly streams: readonly Stream[] }
  | { readonly kind: 'matrix'; readonly series: readonly Series[] }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function labelsOf(v: unknown): Labels {
  const out: Labels = {}
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val
  return out
}

function headers(creds: Credentials, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra)
  if (creds.tenant !== '') h.set('X-Scope-OrgID', creds.tenant)
  if (creds.token !== '') h.set('Authorization', `Bearer ${creds.token}`)
  return h
}

async function getJson(path: string, params: Record<string, string>, creds: Credentials, signal?: AbortSignal, extra?: Record<string, string>): Promise<unknown> {
  const res = await fetch(`${path}?${new URLSearchParams(params)}`, { headers: headers(creds, extra), signal })
  const text = await res.text()
  if (!res.ok) throw new ApiError(res.status, text.trim() || `${res.status} ${res.statusText}`)
  return JSON.parse(text) as unknown
}

function streamValue(v: unknown): StreamValue | null {
  if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string') return null
  const cat: unknown = v[2]
  return {
    ts: v[0],
    line: v[1],
    metadata: isRecord(cat) ? labelsOf(cat.structuredMetadata) : {},
    parsed: isRecord(cat) ? labelsOf(cat.parsed) : {},
  }
}

function decodeStreams(result: readonly unknown[]): Stream[] {
  return result.filter(isRecord).map((s) => ({
    labels: labelsOf(s.stream),
    values: (Array.isArray(s.values) ? s.values : []).map(streamValue).filter((x): x is StreamValue => x !== null),
  }))
}

function decodeResult(body: unknown): QueryResult {
  const data = isRecord(body) ? body.data : undefined
  if (!isRecord(data) || !Array.isArray(data.result)) throw new ApiError(0, 'unexpected reply: no data.result')
  const result: unknown[] = data.result
  if (data.resultType === 'streams') return { kind: 'streams', streams: decodeStreams(result) }
  if (data.resultType === 'matrix') {
    const series = result.filter(isRecord).map((s) => ({
      metric: labelsOf(s.metric),
      points: (Array.isArray(s.values) ? s.values : [])
        .filter((p): p is [number, string] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'string')
        .map(([t, v]) => [t, Number(v)] as const),
    }))
    return { kind: 'matrix', series }
  }
  throw new ApiError(0, `unexpected result type ${String(data.resultType)}`)
}

export interface RangeQuery {
  readonly query: string
  readonly startNs: bigint
  readonly endNs: bigint
  readonly limit?: number
  readonly stepSeconds?: number
  /** Newest first unless `forward`. */
  readonly direction?: 'backward' | 'forward'
}

/** `query_range` (newest first unless asked otherwise), with the categorize-labels encoding Grafana asks for. */
export async function queryRange(q: RangeQuery, creds: Credentials, signal?: AbortSignal): Promise<QueryResult> {
  const params: Record<string, string> = { query: q.query, start: String(q.startNs), end: String(q.endNs), direction: q.direction ?? 'backward' }
  if (q.limit !== undefined) params.limit = String(q.limit)
  if (q.stepSeconds !== undefined) params.step = String(q.stepSeconds)
  const body = await getJson('/loki/api/v1/query_range', params, creds, signal, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' })
  return decodeResult(body)
}

function stringList(body: unknown): string[] {
  const data = isRecord(body) ? body.data : undefined
  return Array.isArray(data) ? data.filter((x): x is string => typeof x === 'string') : []
}

/** `labels` over the range. */
export async function labelNames(startNs: bigint, endNs: bigint, creds: Credentials): Promise<string[]> {
  return stringList(await getJson('/loki/api/v1/labels', { start: String(startNs), end: String(endNs) }, creds))
}

/** `label/<name>/values` over the range. */
export async function labelValues(name: string, startNs: bigint, endNs: bigint, creds: Credentials): Promise<string[]> {
  return stringList(await getJson(`/loki/api/v1/label/${encodeURIComponent(name)}/values`, { start: String(startNs), end: String(endNs) }, creds))
}

/** The streams of one live-tail frame (`{streams, dropped_entries}`). */
export function tailFrameStreams(text: string): Stream[] {
  const body: unknown = JSON.parse(text)
  return isRecord(body) && Array.isArray(body.streams) ? decodeStreams(body.streams) : []
}

/**
 * The live-tail WebSocket URL on the server that served `pageUrl`. A browser sets no headers on
 * a WebSocket, so the tail reads the server's default tenant (`fake` with auth disabled).
 */
export function tailUrl(pageUrl: string, query: string, startNs: bigint, limit: number): string {
  const url = new URL('/loki/api/v1/tail', pageUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.search = String(new URLSearchParams({ query, start: String(startNs), limit: String(limit) }))
  return url.href
}
