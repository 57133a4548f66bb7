/**
 * Request parameters as Loki reads them (Go's `r.Form`): the URL query merged with a
 * form-encoded POST body, the body's values first.
 */
import type { Context } from 'hono'
import type { Params } from './params'

export interface RequestParams {
  readonly get: Params
  readonly all: (name: string) => string[]
}

export async function requestParams(c: Context): Promise<RequestParams> {
  const url = new URL(c.req.url)
  const merged = new URLSearchParams()
  if (c.req.method === 'POST') {
    const type = c.req.header('Content-Type') ?? ''
    if (type.startsWith('application/x-www-form-urlencoded')) {
      const body = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()))
      for (const [k, v] of body) merged.append(k, v)
    } else if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData()
      for (const [k, v] of form) if (typeof v === 'string') merged.append(k, v)
    }
  }
  for (const [k, v] of url.searchParams) merged.append(k, v)
  return {
    get: (name) => merged.get(name) ?? undefined,
    all: (name) => merged.getAll(name),
  }
}
