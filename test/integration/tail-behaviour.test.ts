import { describe, expect, it, vi } from 'vitest'

vi.setConfig({ testTimeout: 30_000 })
import { env } from 'cloudflare:workers'
import { call, pushJson } from '../helpers'
import { packEntries } from '../../src/ingester/packing'
import { tailerFor } from '../../src/tail/naming'
import { fetchTail, lines, openTail, settle, type TailSocket } from './tail-socket'
import closes from '../fixtures/tail/closes.json'
import matchAll from '../fixtures/tail/match-all-filters.json'

const AUTH = { auth_enabled: 'true' }

function uid(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`
}

function ns(offsetMs = 0): bigint {
  return BigInt(Date.now() + offsetMs) * 1_000_000n
}

function tenantHeaders(tenant: string): Record<string, string> {
  return { 'X-Scope-OrgID': tenant }
}

/** Pushes one line per entry to `{app}` as `tenant` (auth on) and expects 204. */
async function pushLines(app: string, lines: string[], opts: { tenant?: string; base?: bigint } = {}): Promise<void> {
  const base = opts.base ?? ns()
  const res = await pushJson([{ stream: { app }, values: lines.map((l, i) => [(base + BigInt(i)).toString(), l] as [string, string]) }], {
    ...(opts.tenant ? { vars: AUTH, headers: tenantHeaders(opts.tenant) } : {}),
  })
  expect(res.status).toBe(204)
}

/**
 * Opens a tail on `{app}` and waits until it is live: a marker line (one the pipeline keeps)
 * stored before the upgrade comes back among the stored entries; after that every push reaches
 * the socket as a live entry. The marker's frame is removed.
 */
async function liveTail(app: string, pipeline = '', marker = 'tail is live', params: Record<string, string> = {}): Promise<TailSocket> {
  await pushLines(app, [marker], { base: ns(-1000) })
  const sock = await openTail({ query: `{app="${app}"}${pipeline}`, ...params })
  await sock.frameCount(1)
  sock.frames.splice(0, 1)
  return sock
}

describe('tail: tenancy', () => {
  it('answers 401 before anything else when auth is on and no tenant is given', async () => {
    for (const query of ['{app="x"}', '{app="x"']) {
      const res = await fetchTail({ query }, { vars: AUTH })
      expect(res.status).toBe(closes.auth.status)
      expect(res.webSocket).toBeFalsy()
      expect((await res.text()).trim()).toBe(closes.auth.body.trim())
    }
  })

  it("shows a tail only its own tenant's stored and live entries", async () => {
    const app = uid('tenancy')
    await pushLines(app, ['stored secret of b'], { tenant: 'tail-tenant-b', base: ns(-2000) })
    await pushLines(app, ['stored line of a'], { tenant: 'tail-tenant-a', base: ns(-2000) })
    const a = await openTail({ query: `{app="${app}"}` }, { vars: AUTH, headers: tenantHeaders('tail-tenant-a') })
    const b = await openTail({ query: `{app="${app}"}` }, { vars: AUTH, headers: tenantHeaders('tail-tenant-b') })
    expect(await lines(a, 1)).toEqual(['stored line of a'])
    expect(await lines(b, 1)).toEqual(['stored secret of b'])
    await pushLines(app, ['live secret of b'], { tenant: 'tail-tenant-b' })
    await pushLines(app, ['live line of a'], { tenant: 'tail-tenant-a' })
    expect(await lines(a, 2), JSON.stringify(a.frames)).toEqual(['stored line of a', 'live line of a'])
    expect(await lines(b, 2)).toEqual(['stored secret of b', 'live secret of b'])
    await settle(300)
    expect(a.entries().map((e) => e.line)).not.toContain('live secret of b')
    a.close()
    b.close()
  })

  it('refuses several tenants at once with Loki\'s text', async () => {
    const res = await fetchTail({ query: '{app="x"}' }, { vars: { ...AUTH, multi_tenant_queries_enabled: 'true' }, headers: tenantHeaders('t1|t2') })
    expect(res.status).toBe(400)
    expect(res.webSocket).toBeFalsy()
  })
})

describe('tail: closes after the upgrade, as Loki 3.7.6 does', () => {
  for (const c of closes.metricQueries.cases) {
    it(`closes a metric query with 1011: ${c.query}`, async () => {
      const sock = await openTail({ query: c.query.replace('APP', uid('metric')) })
      expect(await sock.closed).toEqual(c.close)
    })
  }

  it('closes with 1011 when start is after now', async () => {
    const sock = await openTail({ query: '{app="future"}', start: ns(3_600_000).toString() })
    expect(await sock.closed).toEqual(closes.startInTheFuture.close)
  })

  it('closes with 1011 when the pipeline cannot be built', async () => {
    const sock = await openTail({ query: '{app="x"} | logfmt | line_format "{{.a"' })
    const closed = await sock.closed
    expect(closed.code).toBe(1011)
    expect(closed.reason).toContain('template')
  })

  it('enforces max_concurrent_tail_requests per tenant with Loki\'s text', async () => {
    const tenant = uid('conc')
    const opts = { vars: { ...AUTH, max_concurrent_tail_requests: String(closes.maxConcurrentTailRequests.limit) }, headers: tenantHeaders(tenant) }
    const query = { query: '{app="conc"}' }
    const first = await openTail(query, opts)
    const second = await openTail(query, opts)
    const third = await openTail(query, opts)
    expect(await third.closed).toEqual(closes.maxConcurrentTailRequests.sockets[2]!.close)
    // Loki counts the tenant's tails before it looks at the query.
    const metric = await openTail({ query: 'count_over_time({app="conc"}[1m])' }, opts)
    expect(await metric.closed).toEqual(closes.maxConcurrentTailRequests.sockets[2]!.close)
    first.close()
    expect((await first.closed).code).toBe(1000)
    const fourth = await openTail(query, opts)
    const app = 'conc'
    await pushLines(app, ['after the first closed'], { tenant })
    expect(await lines(fourth, 1)).toEqual(['after the first closed'])
    expect(await lines(second, 1)).toEqual(['after the first closed'])
    second.close()
    fourth.close()
  })

  it('closes with 1011 at tail_max_duration', async () => {
    const sock = await openTail({ query: `{app="${uid('maxdur')}"}` }, { vars: { tail_max_duration: '1s' } })
    // Garbage from the client is ignored, as Loki reads and drops it.
    sock.ws.send('garbage text frame from the client')
    sock.ws.send(new Uint8Array([0, 1, 2, 255]))
    expect(await sock.closed).toEqual(closes.tailMaxDuration.close)
  })
})

describe('tail: live entries', () => {
  it('applies each socket\'s own pipeline to the same pushes', async () => {
    const app = uid('pipes')
    const all = await liveTail(app)
    const errors = await liveTail(app, ' |= "error"', 'an error marker')
    const formatted = await liveTail(app, ' | logfmt | level="warn" | line_format "{{.msg}}"', 'level=warn msg=marker')
    await pushLines(app, ['level=error msg=boom', 'level=warn msg="disk almost full"', 'level=info msg=ok'])
    // `all` was live before the other two sockets' markers were stored.
    expect(await lines(all, 5)).toEqual(['an error marker', 'level=warn msg=marker', 'level=error msg=boom', 'level=warn msg="disk almost full"', 'level=info msg=ok'])
    expect(await lines(errors, 1)).toEqual(['level=error msg=boom'])
    expect(await lines(formatted, 1)).toEqual(['disk almost full'])
    expect(formatted.entries()[0]!.stream).toMatchObject({ app, level: 'warn', msg: 'disk almost full', detected_level: 'warn' })
    await settle(300)
    expect(errors.entries()).toHaveLength(1)
    for (const s of [all, errors, formatted]) s.close()
  })

  it('treats line filters that keep every line as no stages, as Loki 3.7.6 does', async () => {
    const app = uid('matchall')
    await pushLines(app, ['level=info marker'], { base: ns(-1000) })
    const socks = await Promise.all(matchAll.cases.map((c) => openTail({ query: c.query.split('APP').join(app) })))
    // Live once the marker came back among the stored entries.
    for (const sock of socks) {
      await sock.frameCount(1)
      sock.frames.splice(0, 1)
    }
    const ts = ns()
    const [, line, metadata] = matchAll.push.values[0] as [string, string, Record<string, string>]
    expect((await pushJson([{ stream: { app }, values: [[ts.toString(), line, metadata]] }])).status).toBe(204)
    for (const [i, c] of matchAll.cases.entries()) {
      const [frame] = await socks[i]!.frameCount(1)
      expect({ query: c.query, frame: frame!.split(app).join('APP').replace(`"${ts}"`, '"T0"') }).toEqual({ query: c.query, frame: c.frame })
      socks[i]!.close()
    }
  })

  it('orders the entries of one push by timestamp across streams', async () => {
    const app = uid('order')
    const sock = await liveTail(app)
    const base = ns()
    const res = await pushJson([
      { stream: { app, part: 'b' }, values: [[(base + 3n).toString(), 'third'], [(base + 1n).toString(), 'first']] },
      { stream: { app, part: 'a' }, values: [[(base + 2n).toString(), 'second']] },
    ])
    expect(res.status).toBe(204)
    expect(await lines(sock, 3)).toEqual(['first', 'second', 'third'])
    sock.close()
  })

  it('forwards only what the ingester stored: a retried push shows nothing twice', async () => {
    const app = uid('retry')
    const sock = await liveTail(app)
    const base = ns()
    const first: [string, string] = [(base + 1n).toString(), 'first attempt']
    expect((await pushJson([{ stream: { app }, values: [first] }])).status).toBe(204)
    expect((await pushJson([{ stream: { app }, values: [first, [(base + 2n).toString(), 'new in the retry']] }])).status).toBe(204)
    expect(await lines(sock, 2)).toEqual(['first attempt', 'new in the retry'])
    await settle(300)
    expect(sock.entries()).toHaveLength(2)
    sock.close()
  })

  it('holds live entries back until their timestamp plus delay_for', async () => {
    const app = uid('delay')
    const sock = await liveTail(app, '', 'tail is live', { delay_for: '1' })
    const ts = ns()
    await pushLines(app, ['delayed'], { base: ts })
    await settle(400)
    expect(sock.entries()).toEqual([])
    expect(await lines(sock, 1)).toEqual(['delayed'])
    sock.close()
  })

  it('sends the newest `limit` stored entries, oldest first, then only new ones', async () => {
    const app = uid('limit')
    await pushLines(app, ['s1', 's2', 's3', 's4'], { base: ns(-3000) })
    const sock = await openTail({ query: `{app="${app}"}`, limit: '2', start: ns(-60_000).toString() })
    expect(await lines(sock, 2)).toEqual(['s3', 's4'])
    await pushLines(app, ['live'])
    expect(await lines(sock, 3)).toEqual(['s3', 's4', 'live'])
    await settle(300)
    expect(sock.entries()).toHaveLength(3)
    sock.close()
  })

  it('keeps a push stored before the socket opened out of its live entries, however late its forward comes', async () => {
    const app = uid('late')
    const storedBefore = Date.now() - 1
    await pushLines(app, ['s1', 's2', 's3'], { base: ns(-3000) })
    const sock = await openTail({ query: `{app="${app}"}`, limit: '1', start: ns(-60_000).toString() })
    expect(await lines(sock, 1)).toEqual(['s3'])
    // The forward of the earlier push reaches the tenant's Tailer only now.
    const early = packEntries([{ ts: ns(-2000), line: 's1 forwarded late' }])
    await tailerFor(env, 'fake').deliver([{ labels: [['app', app]], entries: early, storedAt: storedBefore }])
    await pushLines(app, ['live'])
    expect(await lines(sock, 2)).toEqual(['s3', 'live'])
    await settle(300)
    expect(sock.entries()).toHaveLength(2)
    sock.close()
  })

  it('drops what a socket cannot take and reports it in dropped_entries of the next frame', async () => {
    const app = uid('slow')
    const sock = await liveTail(app)
    const burst = Array.from({ length: 1200 }, (_, i) => `burst ${i}`)
    await pushLines(app, burst)
    await sock.frameCount(10)
    await settle(300)
    expect(sock.frames).toHaveLength(10)
    expect(sock.entries()).toHaveLength(1000)
    expect(sock.frames.every((f) => !f.includes('dropped_entries'))).toBe(true)
    await pushLines(app, ['after the burst'])
    await sock.frameCount(11)
    const last = JSON.parse(sock.frames[10]!) as { streams: unknown[]; dropped_entries: Array<{ timestamp: string; labels: Record<string, string> }> }
    expect(last.dropped_entries).toHaveLength(200)
    expect(last.dropped_entries[0]!.labels).toEqual({ app, service_name: app })
    expect(sock.entries().at(-1)!.line).toBe('after the burst')
    sock.close()
  })

  it('ends a tail cleanly on a client close; pushes go on', async () => {
    const app = uid('clientclose')
    const sock = await liveTail(app, ' |= "wake"', 'wake marker')
    await pushLines(app, ['sleeping line', 'wake one'])
    expect(await lines(sock, 1)).toEqual(['wake one'])
    sock.close()
    expect((await sock.closed).code).toBe(1000)
    const res = await pushJson([{ stream: { app }, values: [[ns().toString(), 'wake after close']] }])
    expect(res.status).toBe(204)
  })
})

describe('tail: bad input', () => {
  it('answers a plain GET with gorilla\'s 400', async () => {
    const res = await call(`/loki/api/v1/tail?query=${encodeURIComponent('{app="x"}')}`)
    expect(res.status).toBe(400)
    expect(await res.text()).toBe('Bad Request\n')
    expect(res.headers.get('Sec-Websocket-Version')).toBe('13')
  })

  it('answers other methods with an empty 405', async () => {
    const res = await call('/loki/api/v1/tail', { method: 'PUT' })
    expect(res.status).toBe(405)
    expect(await res.text()).toBe('')
  })
})
