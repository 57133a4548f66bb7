/**
 * Tenancy under API tokens: tenant A's token reads A's data on every read route and never B's,
 * whatever it sends beside it (other tenants in X-Scope-OrgID, `|` lists, header-name case,
 * repeated headers, Basic users, Bearer and Basic together), live tail included.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { authCall, basic, bearer, createToken, pushBody, TOKEN_VARS } from '../auth-support'
import { nowNs } from '../helpers'
import { fetchTail, openTail, settle } from './tail-socket'

const R = Math.random().toString(36).slice(2, 10)
const APP = `tn-${R}`
const A = `ta-${R}`
const B = `tb-${R}`
const A_MARK = `alice${R}`
const B_MARKS = [`bob${R}`, `bonly${R}`, `bfield${R}`]
const RANGE = { start: nowNs(-600_000), end: nowNs(60_000) }

let tokenA = ''
let tokenB = ''

/** Every read route, with the query that selects both tenants' streams; `a` says whether A's marker must show. */
const READS: Array<{ path: string; params: Record<string, string>; a: boolean }> = [
  { path: '/loki/api/v1/query_range', params: { query: `{app="${APP}"}`, ...RANGE }, a: true },
  { path: '/loki/api/v1/query', params: { query: `sum by (owner) (count_over_time({app="${APP}"}[15m]))`, time: RANGE.end }, a: true },
  { path: '/loki/api/v1/labels', params: RANGE, a: false },
  { path: '/loki/api/v1/label/owner/values', params: RANGE, a: true },
  { path: `/loki/api/v1/label/bonly${R}/values`, params: RANGE, a: false },
  { path: '/loki/api/v1/series', params: { 'match[]': `{app="${APP}"}`, ...RANGE }, a: true },
  { path: '/loki/api/v1/index/stats', params: { query: `{app="${APP}"}`, ...RANGE }, a: false },
  { path: '/loki/api/v1/index/volume', params: { query: `{app="${APP}"}`, targetLabels: 'owner', ...RANGE }, a: true },
  { path: '/loki/api/v1/index/volume_range', params: { query: `{app="${APP}"}`, targetLabels: 'owner', step: '60', ...RANGE }, a: true },
  { path: '/loki/api/v1/detected_fields', params: { query: `{app="${APP}"}`, ...RANGE }, a: false },
  { path: `/loki/api/v1/detected_field/afield${R}/values`, params: { query: `{app="${APP}"}`, ...RANGE }, a: true },
  { path: `/loki/api/v1/detected_field/bfield${R}/values`, params: { query: `{app="${APP}"}`, ...RANGE }, a: false },
  { path: '/loki/api/v1/detected_labels', params: { query: `{app="${APP}"}`, ...RANGE }, a: false },
  { path: '/loki/api/v1/patterns', params: { query: `{app="${APP}"}`, ...RANGE }, a: false },
  { path: '/api/prom/query', params: { query: `{app="${APP}"}`, ...RANGE }, a: true },
  { path: '/api/prom/label/owner/values', params: RANGE, a: true },
  { path: '/api/prom/series', params: { 'match[]': `{app="${APP}"}`, ...RANGE }, a: true },
]

async function read(path: string, params: Record<string, string>, headers: HeadersInit): Promise<[number, string]> {
  const res = await authCall(`${path}?${new URLSearchParams(params)}`, { headers })
  return [res.status, await res.text()]
}

function leaksB(text: string): boolean {
  return B_MARKS.some((m) => text.includes(m))
}

const tricks: Array<[string, () => HeadersInit]> = [
  ['X-Scope-OrgID: B', () => ({ Authorization: bearer(tokenA), 'X-Scope-OrgID': B })],
  ['lower-case x-scope-orgid: B', () => ({ Authorization: bearer(tokenA), 'x-scope-orgid': B })],
  ['X-SCOPE-ORGID: B', () => ({ Authorization: bearer(tokenA), 'X-SCOPE-ORGID': B })],
  ['X-Scope-OrgID: A|B', () => ({ Authorization: bearer(tokenA), 'X-Scope-OrgID': `${A}|${B}` })],
  ['X-Scope-OrgID: B|A', () => ({ Authorization: bearer(tokenA), 'X-Scope-OrgID': `${B}|${A}` })],
  ['repeated X-Scope-OrgID A then B', () => [['Authorization', bearer(tokenA)], ['X-Scope-OrgID', A], ['X-Scope-OrgID', B]]],
  ['repeated X-Scope-OrgID in two cases', () => [['Authorization', bearer(tokenA)], ['X-Scope-OrgID', A], ['x-scope-orgid', B]]],
  ['Basic with user B', () => ({ Authorization: basic(B, tokenA) })],
  ['Basic user A, X-Scope-OrgID B', () => ({ Authorization: basic(A, tokenA), 'X-Scope-OrgID': B })],
  ['Basic user A|B', () => ({ Authorization: basic(`${A}|${B}`, tokenA) })],
  ['Bearer A and Basic B', () => [['Authorization', bearer(tokenA)], ['Authorization', basic(B, tokenB)]]],
  ['Basic B and Bearer A', () => [['Authorization', basic(B, tokenB)], ['Authorization', bearer(tokenA)]]],
  ['two Bearer tokens', () => [['Authorization', bearer(tokenA)], ['authorization', bearer(tokenB)]]],
  ["B's token with user A", () => ({ Authorization: basic(A, tokenB) })],
  ["B's token with X-Scope-OrgID A", () => ({ Authorization: bearer(tokenB), 'X-Scope-OrgID': A })],
  ['Bearer with padding spaces', () => ({ Authorization: `  Bearer   ${tokenA}  `, 'X-Scope-OrgID': ` ${B} ` })],
  ["A's token without its prefix", () => ({ Authorization: tokenA, 'X-Scope-OrgID': B })],
]

beforeAll(async () => {
  const a = await createToken(A, ['push', 'query'])
  const b = await createToken(B, ['push', 'query'])
  tokenA = a.token
  tokenB = b.token
  const pa = await authCall('/loki/api/v1/push', {
    headers: { Authorization: bearer(tokenA), 'Content-Type': 'application/json' },
    body: pushBody([{ stream: { app: APP, owner: A_MARK }, values: [1, 2, 3].map((i) => [nowNs(-i * 1000), `msg=hello afield${R}=${A_MARK}`]) }]),
  })
  expect(pa.status).toBe(204)
  const pb = await authCall('/loki/api/v1/push', {
    headers: { Authorization: basic(B, tokenB), 'Content-Type': 'application/json' },
    body: pushBody([
      { stream: { app: APP, owner: `bob${R}`, [`bonly${R}`]: `bob${R}` }, values: [1, 2, 3, 4, 5].map((i) => [nowNs(-i * 1000), `msg=hello bfield${R}=bob${R}`]) },
    ]),
  })
  expect(pb.status).toBe(204)
})

describe("tenant A's token", () => {
  it.each(READS)('reads A and never B on $path', async ({ path, params, a }) => {
    const [status, text] = await read(path, params, { Authorization: bearer(tokenA) })
    expect(status, text).toBe(200)
    expect(leaksB(text)).toBe(false)
    if (a) expect(text).toContain(A_MARK)
    const [bStatus, bText] = await read(path, params, { Authorization: bearer(tokenB) })
    expect(bStatus).toBe(200)
    expect(bText).not.toContain(A_MARK)
  })

  it('counts only A in index/stats', async () => {
    const [, text] = await read('/loki/api/v1/index/stats', { query: `{app="${APP}"}`, ...RANGE }, { Authorization: bearer(tokenA) })
    expect(JSON.parse(text)).toMatchObject({ streams: 1, entries: 3 })
  })


  it.each(tricks)('gets a 4xx and no data from %s, on every read route', async (_, headers) => {
    for (const { path, params } of READS) {
      const [status, text] = await read(path, params, headers())
      expect(status, `${path}: ${text}`).toBeGreaterThanOrEqual(400)
      expect(status).toBeLessThan(500)
      expect(leaksB(text)).toBe(false)
      expect(text).not.toContain(A_MARK)
    }
  })

  it('cannot push into B by naming it', async () => {
    const res = await authCall('/loki/api/v1/push', {
      headers: { Authorization: bearer(tokenA), 'X-Scope-OrgID': B, 'Content-Type': 'application/json' },
      body: pushBody([{ stream: { app: APP, owner: 'intruder' }, values: [[nowNs(-1), 'intruder line']] }]),
    })
    expect(res.status).toBe(403)
    const [, text] = await read('/loki/api/v1/query_range', { query: `{app="${APP}"}`, ...RANGE }, { Authorization: bearer(tokenB) })
    expect(text).not.toContain('intruder')
  })
})

describe("tenant A's live tail", () => {
  const tail = { query: `{app="${APP}"}`, start: RANGE.start }

  it("replays and forwards A's entries, never B's", async () => {
    const socket = await openTail(tail, { headers: { Authorization: bearer(tokenA) }, vars: TOKEN_VARS })
    try {
      await socket.frameCount(1)
      const push = async (token: string, line: string): Promise<void> => {
        const res = await authCall('/loki/api/v1/push', {
          headers: { Authorization: bearer(token), 'Content-Type': 'application/json' },
          body: pushBody([{ stream: { app: APP, owner: 'live' }, values: [[nowNs(), line]] }]),
        })
        expect(res.status).toBe(204)
      }
      await push(tokenB, `live bob${R}`)
      await push(tokenA, `live ${A_MARK}`)
      const deadline = Date.now() + 5_000
      while (!socket.entries().some((e) => e.line === `live ${A_MARK}`) && Date.now() < deadline) await settle(50)
      await settle(200)
      const lines = socket.entries().map((e) => e.line)
      expect(lines).toContain(`live ${A_MARK}`)
      expect(lines.filter((l) => l.includes(A_MARK))).toHaveLength(4)
      expect(leaksB(socket.frames.join('\n'))).toBe(false)
    } finally {
      socket.close()
    }
  })

  it.each(tricks)('is refused before the upgrade for %s', async (_, headers) => {
    const res = await fetchTail(tail, { headers: Object.fromEntries(new Headers(headers())), vars: TOKEN_VARS })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.webSocket).toBeFalsy()
  })

  it('needs the query scope', async () => {
    const pushOnly = await createToken(A, ['push'])
    const res = await fetchTail(tail, { headers: { Authorization: bearer(pushOnly.token) }, vars: TOKEN_VARS })
    expect([res.status, await res.text()]).toEqual([403, "token lacks the 'query' scope"])
  })
})
