import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call } from '../helpers'
import { replaceOverrides } from '../../src/overrides/overrides'
import recorded from '../fixtures/delete/loki-3.7.6.json'

const VARS = { auth_enabled: 'true', retention_enabled: 'true' }

interface RecordedCase {
  readonly name: string
  readonly method: string
  readonly tenant: string
  readonly query: string
  readonly status: number
  readonly contentType: string | null
  readonly requestIdHeader: boolean
  readonly body: string
  readonly nowMs: number
}

/** The recorder's time templates: `{now-3600}` in Unix seconds, `{rfc:now-60}` in RFC3339. */
function expandTemplate(template: string, nowMs: number): string {
  return template.replace(/\{(rfc:)?now([+-]\d+)?\}/g, (_, rfc: string | undefined, off: string | undefined) => {
    const sec = Math.floor(nowMs / 1000) + Number(off ?? 0)
    return rfc ? new Date(sec * 1000).toISOString().replace('.000Z', 'Z') : String(sec)
  })
}

interface ListedRequest {
  request_id: string
  start_time: number
  end_time: number
  query: string
  status: string
  created_at: number
  user_id: string
}

/** A listed request with its times relative to the listing moment (seconds), ids left out. */
function relative(body: string, nowMs: number): Array<Record<string, unknown>> {
  return (JSON.parse(body) as ListedRequest[]).map((r) => ({
    keys: Object.keys(r),
    query: r.query,
    status: r.status,
    user_id: r.user_id,
    idShape: /^[0-9a-f]{8}$/.test(r.request_id) || r.request_id === '<id>',
    start: r.start_time - nowMs / 1000,
    end: r.end_time - nowMs / 1000,
    created: r.created_at - nowMs / 1000,
  }))
}

function expectCloseTimes(ours: Array<Record<string, unknown>>, loki: Array<Record<string, unknown>>): void {
  expect(ours.length).toBe(loki.length)
  ours.forEach((o, i) => {
    const l = loki[i]!
    expect({ ...o, start: 0, end: 0, created: 0 }).toEqual({ ...l, start: 0, end: 0, created: 0 })
    for (const k of ['start', 'end', 'created'] as const) expect(Math.abs((o[k] as number) - (l[k] as number))).toBeLessThan(5)
  })
}

describe('delete API, replayed against answers recorded from Loki 3.7.6', () => {
  const cases = (recorded as { cases: RecordedCase[] }).cases
  const answers = new Map<string, { status: number; contentType: string | null; header: boolean; body: string; nowMs: number }>()

  beforeAll(async () => {
    await replaceOverrides(env.DB, { 'tenant-off': { deletion_mode: 'disabled' }, 'tenant-filter': { deletion_mode: 'filter-only' } }, Date.now())
    const ids: string[] = []
    for (const c of cases) {
      const nowMs = Date.now()
      const qs = expandTemplate(c.query, nowMs)
        .replace(/\{id(\d)\}/g, (_, i: string) => ids[Number(i)] ?? '')
        .replace(/\{prefix(\d)\}/g, (_, i: string) => (ids[Number(i)] ?? '').slice(0, 7))
      const res = await call(`/loki/api/v1/delete${qs ? `?${qs}` : ''}`, { method: c.method, vars: VARS, headers: { 'X-Scope-OrgID': c.tenant } })
      const id = res.headers.get('X-Delete-Request-Id')
      if (id) ids.push(id)
      answers.set(c.name, { status: res.status, contentType: res.headers.get('Content-Type'), header: id !== null, body: await res.text(), nowMs })
    }
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const ours = answers.get(c.name)!
    expect(ours.status).toBe(c.status)
    expect(ours.header).toBe(c.requestIdHeader)
    if (c.contentType === 'application/json') {
      expect(ours.contentType).toBe('application/json')
      expectCloseTimes(relative(ours.body, ours.nowMs), relative(c.body, c.nowMs))
    } else {
      expect(ours.body).toBe(c.body)
      if (c.contentType !== null) expect(ours.contentType).toBe(c.contentType)
    }
  })
})

describe('delete API settings', () => {
  it('is not served without retention_enabled, as Loki registers no route then', async () => {
    const res = await call('/loki/api/v1/delete', { vars: { auth_enabled: 'true', retention_enabled: 'false' }, headers: { 'X-Scope-OrgID': 'tenant-r' } })
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('404 page not found\n')
  })

  it('refuses to cancel a request past delete_request_cancel_period unless forced', async () => {
    const headers = { 'X-Scope-OrgID': 'tenant-cancel' }
    const start = Math.floor(Date.now() / 1000) - 3600
    const add = await call(`/loki/api/v1/delete?query=${encodeURIComponent('{app="x"}')}&start=${start}`, { method: 'POST', vars: VARS, headers })
    expect(add.status).toBe(204)
    const id = add.headers.get('X-Delete-Request-Id')!
    const vars = { ...VARS, delete_request_cancel_period: '0s' }
    await new Promise((r) => setTimeout(r, 5))
    const refused = await call(`/loki/api/v1/delete?request_id=${id}`, { method: 'DELETE', vars, headers })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toBe(
      'Cancellation of partially completed delete request or delete request past the deadline of 0s since its creation is not allowed. To force, use the ?force query parameter\n',
    )
    const forced = await call(`/loki/api/v1/delete?request_id=${id}&force=true`, { method: 'DELETE', vars, headers })
    expect(forced.status).toBe(204)
    const list = await call('/loki/api/v1/delete', { vars: VARS, headers })
    expect(await list.text()).toBe('[]\n')
  })

  it('shards a request with line filters by max_interval and lists it merged', async () => {
    const headers = { 'X-Scope-OrgID': 'tenant-shards' }
    const end = Math.floor(Date.now() / 1000) - 60
    const start = end - 3 * 3600 - 1800
    const q = encodeURIComponent('{app="x"} |= "secret"')
    const add = await call(`/loki/api/v1/delete?query=${q}&start=${start}&end=${end}&max_interval=1h`, { method: 'POST', vars: VARS, headers })
    expect(add.status).toBe(204)
    const shards = await env.DB.prepare('SELECT start_ms, end_ms FROM delete_requests WHERE tenant = ? ORDER BY shard').bind('tenant-shards').all<{ start_ms: number; end_ms: number }>()
    expect(shards.results.length).toBeGreaterThanOrEqual(4)
    expect(shards.results[0]!.start_ms).toBe(start * 1000)
    expect(shards.results.at(-1)!.end_ms).toBe(end * 1000)
    for (const s of shards.results) expect(s.end_ms - s.start_ms).toBeLessThanOrEqual(3_600_000)
    const list = JSON.parse(await (await call('/loki/api/v1/delete', { vars: VARS, headers })).text()) as ListedRequest[]
    expect(list).toEqual([
      { request_id: add.headers.get('X-Delete-Request-Id'), start_time: start, end_time: end, query: '{app="x"} |= "secret"', status: 'received', created_at: list[0]!.created_at, user_id: '' },
    ])
  })
})
