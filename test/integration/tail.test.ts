import { describe, expect, it } from 'vitest'
import { call, pushJson } from '../helpers'
import { fetchTail, openTail, settle } from './tail-socket'
import httpErrors from '../fixtures/tail/http-errors.json'
import recorded from '../fixtures/tail/frames.json'
import closes from '../fixtures/tail/closes.json'
import { rfc3339Nano } from '../../src/util/time'

interface HttpCase {
  name: string
  path: string
  method: string
  params: Record<string, string>
  status: number
  contentType: string | null
  body: string
}

const NO_REPLAY = 'Bad Request\n'

describe('tail: parameters answered before the upgrade (recorded from Loki 3.7.6)', () => {
  for (const c of httpErrors.cases as HttpCase[]) {
    it(`${c.method} ${c.path}: ${c.name}`, async () => {
      const query = new URLSearchParams(c.params).toString()
      const res =
        c.method === 'POST'
          ? await call(c.path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: query })
          : await call(`${c.path}?${query}`, { method: c.method })
      expect(res.status).toBe(c.status)
      expect(await res.text()).toBe(c.body)
      if (c.contentType) expect(res.headers.get('Content-Type')).toBe(c.contentType)
    })
    if (c.method === 'GET' && c.body !== NO_REPLAY) {
      it(`${c.path}: ${c.name}, with an upgrade`, async () => {
        const res = await fetchTail(c.params, { path: c.path })
        expect(res.status).toBe(c.status)
        expect(res.webSocket).toBeFalsy()
        expect(await res.text()).toBe(c.body)
      })
    }
  }
})

type PushedValue = [string, string] | [string, string, Record<string, string>]
interface RecordedPush {
  stream: Record<string, string>
  values: PushedValue[]
}

/** The recorded pushes with this run's app name and timestamps; `tokens` maps them back. */
function replayPushes(app: string, bases: readonly bigint[]): { pushes: RecordedPush[][]; tokens: Map<string, string> } {
  const tokens = new Map<string, string>()
  const pushes = (recorded.pushes as unknown as RecordedPush[][]).map((push, i) => {
    let step = 0n
    return push.map((s) => ({
      stream: Object.fromEntries(Object.entries(s.stream).map(([k, v]) => [k, v === 'APP' ? app : v])),
      values: s.values.map((v) => {
        const ts = (bases[i]! + ++step * 1_000_000n).toString()
        tokens.set(ts, v[0])
        tokens.set(rfc3339Nano(BigInt(ts)), v[0])
        return [ts, ...v.slice(1)] as PushedValue
      }),
    }))
  })
  return { pushes, tokens }
}

function normalized(frame: string, app: string, tokens: Map<string, string>): string {
  return frame
    .split(app)
    .join('APP')
    .replace(/"(\d{19}|\d{4}-\d\d-\d\dT[\d:.]+Z)"/g, (m, t: string) => (tokens.has(t) ? `"${tokens.get(t)}"` : m))
}

describe('tail: frames for stored and live entries match Loki 3.7.6', () => {
  it('sends stored entries first, then live ones, per query and encoding exactly as recorded', async () => {
    const app = `frames-${crypto.randomUUID().slice(0, 8)}`
    const now = BigInt(Date.now()) * 1_000_000n
    const backfillBase = now - 10_000_000_000n
    const { pushes, tokens } = replayPushes(app, [backfillBase, now])
    expect((await pushJson(pushes[0]!)).status).toBe(204)
    const vars = { max_concurrent_tail_requests: '50' }
    const sockets = await Promise.all(
      recorded.sockets.map(async (s) => {
        const params: Record<string, string> = { query: s.query.split('APP').join(app), start: (backfillBase - 1n).toString() }
        if (s.limit) params.limit = s.limit
        const headers: Record<string, string> = s.categorize ? { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } : {}
        return { rec: s, sock: await openTail(params, { path: s.path, headers, vars }) }
      }),
    )
    // Stored entries arrive first: wait for every socket's backfill frame before pushing more.
    await Promise.all(sockets.map(({ sock }) => sock.frameCount(1)))
    expect((await pushJson(pushes[1]!)).status).toBe(204)
    await Promise.all(sockets.map(({ rec, sock }) => sock.frameCount(rec.frames.length)))
    await settle(300)
    for (const { rec, sock } of sockets) {
      expect({ name: rec.name, frames: sock.frames.map((f) => normalized(f, app, tokens)) }).toEqual({ name: rec.name, frames: rec.frames })
      sock.close()
    }
  })
})
