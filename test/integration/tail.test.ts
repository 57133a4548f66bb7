import { describe, expect, it } from 'vitest'
import { call, pushJson } from '../helpers'
import { fetchTail, openTail, settle } from './tail-socket'
import httpErrors from '../fixtures/tail/http-errors.json'
import { CATEGORIZE_HEADERS, normalizeFrame, recordedSockets, replayPushes, socketParams } from '../tail-frames'

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

describe('tail: frames for stored and live entries match Loki 3.7.6', () => {
  it('sends stored entries first, then live ones, per query and encoding exactly as recorded', async () => {
    const app = `frames-${crypto.randomUUID().slice(0, 8)}`
    const now = BigInt(Date.now()) * 1_000_000n
    const backfillBase = now - 10_000_000_000n
    const { pushes, tokens } = replayPushes(app, [backfillBase, now])
    expect((await pushJson(pushes[0]!)).status).toBe(204)
    const vars = { max_concurrent_tail_requests: '50' }
    const sockets = await Promise.all(
      recordedSockets.map(async (rec) => ({
        rec,
        sock: await openTail(socketParams(rec, app, backfillBase - 1n), { path: rec.path, headers: rec.categorize ? CATEGORIZE_HEADERS : {}, vars }),
      })),
    )
    // Stored entries arrive first: wait for every socket's backfill frame before pushing more.
    await Promise.all(sockets.map(({ sock }) => sock.frameCount(1)))
    expect((await pushJson(pushes[1]!)).status).toBe(204)
    await Promise.all(sockets.map(({ rec, sock }) => sock.frameCount(rec.frames.length)))
    await settle(300)
    for (const { rec, sock } of sockets) {
      expect({ name: rec.name, frames: sock.frames.map((f) => normalizeFrame(f, app, tokens)) }).toEqual({ name: rec.name, frames: rec.frames })
      sock.close()
    }
  })
})
