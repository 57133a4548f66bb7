/**
 * Entries that share a timestamp, replayed against Loki 3.7.6's answers: streams whose entries at
 * one nanosecond differ in structured metadata and line, read forward and backward, with and
 * without `categorize-labels`, with and without parsers, with a limit that cuts inside a timestamp.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, pushJson, type JsonStream } from '../helpers'
import recorded from '../fixtures/equal-timestamps/loki-3.7.6.json'

interface Case {
  readonly query: string
  readonly direction: string
  readonly limit: number
  readonly categorize: boolean
  readonly result: unknown[]
  readonly encodingFlags: unknown
}

type Stream = { stream: unknown; values: Array<[string, string, ...unknown[]]> }

/**
 * With categorize-labels, `label_format` of an indexed label merges several stored streams into
 * one answered stream; reading backward, Loki's frontend then interleaves their entries of one
 * timestamp in an order its merge does not define. There only the entries of each timestamp are
 * compared, not their order.
 */
function unorderedWithinTimestamp(c: Case): boolean {
  return c.categorize && c.direction === 'backward' && c.limit === 100 && c.query.includes('label_format')
}

function byTimestampThenText(result: unknown[]): unknown[] {
  return (result as Stream[]).map((s) => ({
    stream: s.stream,
    values: [...s.values].sort((a, b) => (a[0] !== b[0] ? (BigInt(a[0]) > BigInt(b[0]) ? -1 : 1) : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  }))
}

const VARS = { reject_old_samples: 'false', creation_grace_period: '87600h', auth_enabled: 'true' }
const TENANT = { 'X-Scope-OrgID': 'equal-ts' }

beforeAll(async () => {
  const res = await pushJson(recorded.streams as unknown as JsonStream[], { headers: TENANT, vars: VARS })
  expect(res.status).toBe(204)
})

describe('entries sharing a timestamp come in Loki 3.7.6 order', () => {
  it('compares the order of all but one recorded case', () => {
    expect((recorded.cases as Case[]).filter(unorderedWithinTimestamp)).toHaveLength(1)
  })
  describe('read from the heads', () => {
    replay()
  })
  describe('read from chunks after a flush', () => {
    beforeAll(async () => {
      expect((await call('/flush', { method: 'POST' })).status).toBe(204)
      const listed = await env.CHUNKS.list({ prefix: 'chunks/equal-ts/' })
      expect(listed.objects.length).toBeGreaterThan(0)
    })
    replay()
  })
})

function replay(): void {
  for (const c of recorded.cases as Case[]) {
    it(`${c.query} ${c.direction} limit=${c.limit}${c.categorize ? ' categorize-labels' : ''}`, async () => {
      const qs = new URLSearchParams({ query: c.query, direction: c.direction, limit: String(c.limit), start: recorded.start, end: recorded.end })
      const headers: Record<string, string> = { ...TENANT }
      if (c.categorize) headers['X-Loki-Response-Encoding-Flags'] = 'categorize-labels'
      const res = await call(`/loki/api/v1/query_range?${qs}`, { headers, vars: VARS })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { data: { result: unknown[]; encodingFlags?: unknown } }
      if (unorderedWithinTimestamp(c)) expect(byTimestampThenText(body.data.result)).toEqual(byTimestampThenText(c.result))
      else expect(body.data.result).toEqual(c.result)
      expect(body.data.encodingFlags ?? null).toEqual(c.encodingFlags)
    })
  }
}
