/**
 * Shared helpers for tests that run inside the Workers runtime: requests through the real Worker
 * (optionally with overridden settings) and push-body builders.
 */
import { env, exports } from 'cloudflare:workers'
import { createApp } from '../src/http/app'

const app = createApp()

export interface CallOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: BodyInit
  /** Wrangler vars to override for this call (e.g. `{ auth_enabled: 'true' }`). */
  readonly vars?: Record<string, string>
}

export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const req = new Request(`http://edgeloki.test${path}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: opts.headers,
    body: opts.body,
  })
  if (!opts.vars) return exports.default.fetch(req)
  const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext
  return app.fetch(req, { ...env, ...opts.vars }, ctx)
}

export function nowNs(offsetMs = 0): string {
  return (BigInt(Date.now() + offsetMs) * 1_000_000n).toString()
}

export interface JsonStream {
  readonly stream: Record<string, string>
  readonly values: Array<[string, string] | [string, string, Record<string, string>]>
}

export function pushJson(streams: JsonStream[], opts: Omit<CallOptions, 'body'> = {}): Promise<Response> {
  return call('/loki/api/v1/push', {
    ...opts,
    headers: { 'Content-Type': 'application/json', ...(opts.headers ?? {}) },
    body: JSON.stringify({ streams }),
  })
}

export async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T
}
