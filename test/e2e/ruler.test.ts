/**
 * The ruler end to end: a real Alertmanager (Debian's prometheus-alertmanager) and a real
 * Prometheus with its remote-write receiver, each on a free loopback port in its own temporary
 * directory, and edgeloki under `wrangler dev` pointed at them with a 2 s evaluation interval.
 * Lines are pushed, an alerting and a recording rule written through the API; the alert must
 * reach Alertmanager's /api/v2/alerts and the recorded series must be queryable in Prometheus.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type RunningWorker } from './server'

const PROMETHEUS = '/usr/bin/prometheus'
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager'
const missing = [PROMETHEUS, ALERTMANAGER].filter((b) => !existsSync(b))
if (missing.length > 0) console.warn(`ruler end-to-end test skipped: ${missing.join(', ')} not installed (apt-get install prometheus prometheus-alertmanager)`)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

interface Server {
  readonly url: string
  readonly proc: ChildProcess
  readonly dir: string
  log(): string
}

async function startServer(bin: string, args: (dir: string, port: number) => string[], ready: string, config: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'edgeloki-ruler-e2e-'))
  writeFileSync(join(dir, 'config.yml'), config)
  const port = await freePort()
  let log = ''
  const proc = spawn(bin, args(dir, port), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${bin} exited:\n${log}`)
    try {
      if ((await fetch(`${url}${ready}`)).ok) return { url, proc, dir, log: () => log }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  proc.kill('SIGKILL')
  throw new Error(`${bin} did not become ready:\n${log}`)
}

function stop(s: Server | undefined): void {
  if (!s) return
  if (s.proc.pid) process.kill(s.proc.pid, 'SIGTERM')
  rmSync(s.dir, { recursive: true, force: true })
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, explain: () => Promise<string>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the ruler's state: ${await explain()}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

const GROUP = `name: e2e
rules:
  - alert: TooManyErrors
    expr: sum by (app) (count_over_time({app="checkout"} |= "error" [5m])) > 2
    labels:
      severity: page
    annotations:
      summary: '{{ $labels.app }} logged {{ $value }} errors'
  - record: app:error_lines:count5m
    expr: sum by (app) (count_over_time({app="checkout"} |= "error" [5m]))
    labels:
      source: edgeloki
`

describe.skipIf(missing.length > 0)('ruler with a real Alertmanager and Prometheus', () => {
  let am: Server | undefined
  let prom: Server | undefined
  let worker: RunningWorker | undefined

  beforeAll(async () => {
    am = await startServer(
      ALERTMANAGER,
      (dir, port) => [`--config.file=${join(dir, 'config.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      '/-/ready',
      'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n',
    )
    prom = await startServer(
      PROMETHEUS,
      (dir, port) => [`--config.file=${join(dir, 'config.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver'],
      '/-/ready',
      'global:\n  scrape_interval: 1h\n',
    )
    worker = await startWorker([
      `alertmanager_url:${am.url}`,
      `ruler_remote_write_url:${prom.url}/api/v1/write`,
      'evaluation_interval:2s',
    ])
  })

  afterAll(() => {
    worker?.stop()
    stop(am)
    stop(prom)
  })

  it('sends the firing alert to Alertmanager and the recorded series to Prometheus', async () => {
    const base = worker?.url as string
    const explain = async () => (await fetch(`${base}/prometheus/api/v1/rules`)).text()
    const now = Date.now()
    const lines = ['error: card declined', 'error: timeout', 'error: timeout', 'ok']
    const values = lines.map((l, i) => [(BigInt(now - 1000 + i) * 1_000_000n).toString(), l])
    const push = await fetch(`${base}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ streams: [{ stream: { app: 'checkout' }, values }] }),
    })
    expect(push.status).toBe(204)
    const write = await fetch(`${base}/loki/api/v1/rules/shop`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: GROUP })
    expect(write.status).toBe(202)

    interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } }
    const alert = await eventually('the alert in Alertmanager', async () => {
      const alerts = (await (await fetch(`${am?.url}/api/v2/alerts`)).json()) as AmAlert[]
      return alerts.find((a) => a.labels['alertname'] === 'TooManyErrors')
    }, explain)
    expect(alert.labels).toEqual({ alertname: 'TooManyErrors', app: 'checkout', severity: 'page' })
    expect(alert.annotations).toEqual({ summary: 'checkout logged 3 errors' })
    expect(alert.status.state).toBe('active')

    interface PromVector { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }
    const sample = await eventually('the recorded series in Prometheus', async () => {
      const res = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent('app:error_lines:count5m')}`)
      const body = (await res.json()) as PromVector
      return body.data.result[0]
    }, explain)
    expect(sample.metric).toEqual({ __name__: 'app:error_lines:count5m', app: 'checkout', source: 'edgeloki' })
    expect(sample.value[1]).toBe('3')

    const rules = (await (await fetch(`${base}/prometheus/api/v1/rules`)).json()) as { data: { groups: Array<{ interval: number; rules: Array<{ health: string; state?: string }> }> } }
    expect(rules.data.groups[0]?.interval).toBe(2)
    expect(rules.data.groups[0]?.rules.map((r) => [r.health, r.state])).toEqual([['ok', 'firing'], ['ok', undefined]])
  })
})
