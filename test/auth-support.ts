/**
 * Requests through the Worker with API tokens enforced (`auth_enabled` and `auth_tokens` on, an
 * ADMIN_TOKEN set), with any headers, repeated ones included, and tokens made through the admin API.
 */
import { env } from 'cloudflare:workers'
import { createApp } from '../src/http/app'

const app = createApp()

export const ADMIN_TOKEN = 'admin-secret-for-tests-0123456789'
export const TOKEN_VARS: Record<string, string> = { auth_enabled: 'true', auth_tokens: 'true', ADMIN_TOKEN }

export interface AuthCallOptions {
  readonly method?: string
  readonly headers?: HeadersInit
  readonly body?: BodyInit
  readonly vars?: Record<string, string>
}

export async function authCall(path: string, opts: AuthCallOptions = {}): Promise<Response> {
  const req = new Request(`http://edgeloki.test${path}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: opts.headers,
    body: opts.body,
  })
  const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext
  return app.fetch(req, { ...env, ...(opts.vars ?? TOKEN_VARS) }, ctx)
}

export const bearer = (token: string): string => `Bearer ${token}`
export const basic = (user: string, password: string): string => `Basic ${btoa(`${user}:${password}`)}`

export interface Created {
  readonly id: string
  readonly token: string
}

/** Creates a token through the admin API; `tenant` may be `a|b`. */
export async function createToken(tenant: string, scopes: readonly string[], name = 'test'): Promise<Created> {
  const res = await authCall('/admin/api/v1/tokens', {
    method: 'POST',
    headers: { Authorization: bearer(ADMIN_TOKEN), 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant, scopes, name }),
  })
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as Created
}

export function pushBody(streams: ReadonlyArray<{ stream: Record<string, string>; values: Array<[string, string]> }>): string {
  return JSON.stringify({ streams })
}
