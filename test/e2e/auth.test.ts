/**
 * API tokens end to end, as deployed (`auth_enabled` and `auth_tokens` on): tokens made and
 * revoked with `npm run token`, winston-loki and pino-loki pushing with Basic auth (tenant as
 * user, token as password), reads scoped to the token's tenant.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import winston from 'winston'
import LokiTransport from 'winston-loki'
import pino from 'pino'
import { pinoLoki } from 'pino-loki'
import { startWorker, type RunningWorker } from './server'

const ADMIN_TOKEN = `e2e-admin-${Math.random().toString(36).slice(2)}`
let worker: RunningWorker

interface Created {
  id: string
  token: string
}

function tokenCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['scripts/token.mjs', '--url', worker.url, ...args], {
    env: { ...process.env, ADMIN_TOKEN },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function create(tenant: string, scopes: string): Created {
  const r = tokenCli('create', '--tenant', tenant, '--scopes', scopes, '--name', 'e2e', '--json')
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Created
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

async function lines(selector: string, authorization: string): Promise<string[]> {
  const url = `${worker.url}/loki/api/v1/query_range?query=${encodeURIComponent(selector)}&since=1h&limit=100`
  const res = await fetch(url, { headers: { Authorization: authorization } })
  expect(res.status, await res.clone().text()).toBe(200)
  const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } }
  return body.data.result.flatMap((s) => s.values.map((v) => v[1]))
}

async function eventually(selector: string, authorization: string, n: number): Promise<string[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const got = await lines(selector, authorization)
    if (got.length >= n || Date.now() > deadline) return got
    await new Promise((r) => setTimeout(r, 250))
  }
}

beforeAll(async () => {
  worker = await startWorker(['auth_enabled:true', 'auth_tokens:true', `ADMIN_TOKEN:${ADMIN_TOKEN}`, 'reject_old_samples:false'])
})

afterAll(() => worker?.stop())

describe('API tokens end to end', () => {
  it('refuse requests without a token, but leave /ready open', async () => {
    expect((await fetch(`${worker.url}/ready`)).status).toBe(200)
    const res = await fetch(`${worker.url}/loki/api/v1/labels`, { headers: { 'X-Scope-OrgID': 'e2e-a' } })
    expect(res.status).toBe(401)
  })

  it('winston-loki and pino-loki push with Basic auth into the token\'s tenant only', async () => {
    const a = create('e2e-a', 'push,query')
    const b = create('e2e-b', 'push,query')

    const transport = new LokiTransport({
      host: worker.url,
      basicAuth: `e2e-a:${a.token}`,
      labels: { app: 'winston-auth' },
      json: false,
      batching: true,
      interval: 0.2,
      replaceTimestamp: true,
      onConnectionError: (err: unknown) => {
        throw err
      },
    })
    const logger = winston.createLogger({ transports: [transport] })
    logger.info('winston with a token')
    logger.error('winston again')
    await transport.flush()
    logger.close()

    const stream = pinoLoki({
      host: worker.url,
      basicAuth: { username: 'e2e-a', password: a.token },
      labels: { app: 'pino-auth' },
      batching: false,
      silenceErrors: false,
    })
    pino({ level: 'info' }, stream).info('pino with a token')

    const winstonLines = await eventually('{app="winston-auth"}', basic('e2e-a', a.token), 2)
    expect(winstonLines.sort()).toEqual(['winston again {"level":"error"}', 'winston with a token {"level":"info"}'])
    const pinoLines = await eventually('{app="pino-auth"}', `Bearer ${a.token}`, 1)
    expect(pinoLines).toHaveLength(1)
    expect(pinoLines[0]).toContain('pino with a token')
    stream.end()

    expect(await lines('{app=~"winston-auth|pino-auth"}', basic('e2e-b', b.token))).toEqual([])
    const crossed = await fetch(`${worker.url}/loki/api/v1/query_range?query=${encodeURIComponent('{app="winston-auth"}')}`, {
      headers: { Authorization: basic('e2e-b', b.token), 'X-Scope-OrgID': 'e2e-a' },
    })
    expect(crossed.status).toBe(403)
  })

  it('a client with a wrong password is refused and stores nothing', async () => {
    const a = create('e2e-c', 'push,query')
    const res = await fetch(`${worker.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { Authorization: basic('e2e-c', `${a.token}x`), 'Content-Type': 'application/json' },
      body: JSON.stringify({ streams: [{ stream: { app: 'refused' }, values: [[`${Date.now()}000000`, 'no']] }] }),
    })
    expect([res.status, await res.text()]).toEqual([401, 'invalid API token'])
    expect(await lines('{app="refused"}', basic('e2e-c', a.token))).toEqual([])
  })

  it('npm run token lists without secrets and revokes within 10 s', async () => {
    const t = create('e2e-d', 'query')
    const listed = tokenCli('list')
    expect(listed.status, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`^${t.id}\\te2e-d\\tquery\\t`, 'mu'))
    expect(listed.stdout).not.toContain(t.token)
    expect(await lines('{app="x"}', `Bearer ${t.token}`)).toEqual([])

    const revoked = tokenCli('revoke', t.id)
    expect([revoked.status, revoked.stdout]).toEqual([0, `revoked ${t.id}\n`])
    const deadline = Date.now() + 10_000
    let status = 0
    while (Date.now() < deadline) {
      status = (await fetch(`${worker.url}/loki/api/v1/labels`, { headers: { Authorization: `Bearer ${t.token}` } })).status
      if (status === 401) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(status).toBe(401)
    const again = tokenCli('revoke', t.id)
    expect([again.status, again.stderr]).toEqual([1, '404: token not found\n'])
    const wrongAdmin = spawnSync('node', ['scripts/token.mjs', '--url', worker.url, 'list'], {
      env: { ...process.env, ADMIN_TOKEN: 'wrong' },
      encoding: 'utf8',
    })
    expect([wrongAdmin.status, wrongAdmin.stderr]).toEqual([1, '401: invalid admin token\n'])
  })
})
