/**
 * Request parameters as Loki reads them (Go's `r.ParseForm`): the URL query merged with a
 * form-encoded POST body, the body's values first, decoded by Go's `url.ParseQuery` rules, whose
 * first error (a bad %-escape, a semicolon separator) is Loki's 400.
 */
import type { Context } from 'hono'
import { HttpError } from './errors'
import type { Params } from './params'

export interface RequestParams {
  readonly get: Params
  readonly all: (name: string) => string[]
}

const UTF8 = new TextDecoder()

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** Go's `url.QueryUnescape` over the UTF-8 of `s`; throws Go's EscapeError text. */
function queryUnescape(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s
  const bytes = new TextEncoder().encode(s)
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (b === 0x25) {
      const hi = i + 1 < bytes.length ? hexValue(bytes[i + 1] as number) : -1
      const lo = i + 2 < bytes.length ? hexValue(bytes[i + 2] as number) : -1
      if (hi < 0 || lo < 0) {
        const bad = UTF8.decode(bytes.subarray(i, Math.min(i + 3, bytes.length)))
        throw new HttpError(400, `invalid URL escape ${JSON.stringify(bad)}`)
      }
      out[n++] = hi * 16 + lo
      i += 2
    } else {
      out[n++] = b === 0x2b ? 0x20 : b
    }
  }
  return UTF8.decode(out.subarray(0, n))
}

/** Go's `url.ParseQuery`: every well-formed pair, and the first error, if any. */
function parseQuery(raw: string, into: Array<[string, string]>): HttpError | null {
  let first: HttpError | null = null
  for (const part of raw.split('&')) {
    if (part.includes(';')) {
      first ??= new HttpError(400, 'invalid semicolon separator in query')
      continue
    }
    if (part === '') continue
    const eq = part.indexOf('=')
    try {
      const key = queryUnescape(eq < 0 ? part : part.slice(0, eq))
      const value = queryUnescape(eq < 0 ? '' : part.slice(eq + 1))
      into.push([key, value])
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      first ??= err
    }
  }
  return first
}

export async function requestParams(c: Context): Promise<RequestParams> {
  const pairs: Array<[string, string]> = []
  let error: HttpError | null = null
  if (c.req.method === 'POST') {
    const type = (c.req.header('Content-Type') ?? '').toLowerCase()
    if (type.startsWith('application/x-www-form-urlencoded')) {
      error = parseQuery(UTF8.decode(await c.req.arrayBuffer()), pairs)
    } else if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData().catch(() => null)
      for (const [k, v] of form ?? []) if (typeof v === 'string') pairs.push([k, v])
    }
  }
  const url = c.req.url
  const q = url.indexOf('?')
  const queryError = q < 0 ? null : parseQuery(url.slice(q + 1).split('#')[0] ?? '', pairs)
  error ??= queryError
  if (error) throw error
  return {
    get: (name) => pairs.find(([k]) => k === name)?.[1],
    all: (name) => pairs.filter(([k]) => k === name).map(([, v]) => v),
  }
}
