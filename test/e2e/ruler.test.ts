/**
 * The ruler end to end: a real Alertmanager (Debian's prometheus-alertmanager) and a real
 * Prometheus with its remote-write receiver, each on a free loopback port in its own temporary
 * directory, and edgeloki under `wrangler dev` pointed at them with a 2 s evaluation interval.
 * Lines are pushed, an alerting and a recording rule written through the API; the alert must
 * reach Alertmanager's /api/v2/alerts and the recorded series must be queryable in Prometheus.
 * The recorded samples edgeloki keeps itself answer selector queries as Prometheus answers them.
 * Both are reached through a proxy that can refuse (503 and 500): while it does, the recording
 * rules report the remote-write error and evaluation goes on; once it passes again, the held
 * alert and the queued samples arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startWorker, type RunningWorker } from './server'
import { generatorURL } from '../../src/ruler/generator-url'

const PROMETHEUS = '/usr/bin/prometheus'
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager'
const missing = [PROMETHEUS, ALERTMANAGER].filter((b) => !existsSync(b))
if (missing.length > 0) console.warn(`ruler end-to-end test skipped: ${missing.join(', ')} not installed (apt-get install prometheus prometheus-alertmanager)`)


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

/** Forwards to `target`, or answers `failStatus` while `failing` is set. */
interface Proxy {
  readonly url: string
  failing: boolean
  close(): void
}

async function startProxy(target: string, failStatus: number): Promise<Proxy> {
  const port = await freePort()
  let server: HttpServer | undefined
  const proxy: Proxy = {
    url: `http://127.0.0.1:${port}`,
    failing: false,
    close: () => server?.close(),
  }
  server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (proxy.failing) {
        res.writeHead(failStatus).end('refused by the test proxy')
        return
      }
      const headers: Record<string, string> = {}
      for (const h of ['content-type', 'content-encoding', 'x-prometheus-remote-write-version', 'user-agent']) {
        const v = req.headers[h]
        if (typeof v === 'string') headers[h] = v
      }
      fetch(`${target}${req.url ?? ''}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) })
        .then(async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())))
        .catch(() => res.writeHead(502).end())
    })
  })
  await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', () => resolve()))
  return proxy
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
  let amProxy: Proxy | undefined
  let writeProxy: Proxy | undefined

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
    amProxy = await startProxy(am.url, 503)
    writeProxy = await startProxy(prom.url, 500)
    worker = await startWorker([
      `alertmanager_url:${amProxy.url}`,
      `ruler_remote_write_url:${writeProxy.url}/api/v1/write`,
      'evaluation_interval:2s',
    ])
  })

  afterAll(() => {
    worker?.stop()
    amProxy?.close()
    writeProxy?.close()
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

    interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string }; generatorURL: string }
    const alert = await eventually('the alert in Alertmanager', async () => {
      const alerts = (await (await fetch(`${am?.url}/api/v2/alerts`)).json()) as AmAlert[]
      return alerts.find((a) => a.labels['alertname'] === 'TooManyErrors')
    }, explain)
    expect(alert.labels).toEqual({ alertname: 'TooManyErrors', app: 'checkout', severity: 'page' })
    expect(alert.annotations).toEqual({ summary: 'checkout logged 3 errors' })
    expect(alert.status.state).toBe('active')
    expect(alert.generatorURL).toBe(generatorURL('sum by (app) (count_over_time({app="checkout"} |= "error" [5m])) > 2'))

    interface PromVector { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }
    const sample = await eventually('the recorded series in Prometheus', async () => {
      const res = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent('app:error_lines:count5m')}`)
      const body = (await res.json()) as PromVector
      return body.data.result[0]
    }, explain)
    expect(sample.metric).toEqual({ __name__: 'app:error_lines:count5m', app: 'checkout', source: 'edgeloki' })
    expect(sample.value[1]).toBe('3')

    // The samples edgeloki keeps answer as Prometheus answers for the same selectors. The time is
    // one of the samples (every one up to it has reached both), ranges avoid the 2 s grid's edges.
    interface PromMatrix { data: { result: Array<{ values: Array<[number, string]> }> } }
    const times = await eventually('two recorded samples in Prometheus', async () => {
      const window = (await (await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent('app:error_lines:count5m[1m]')}`)).json()) as PromMatrix
      const ts = window.data.result[0]?.values.map(([at]) => at) ?? []
      return ts.length > 1 ? ts : undefined
    }, explain)
    const t = times[times.length - 2] as number
    const queries = [
      `query?query=${encodeURIComponent('app:error_lines:count5m')}&time=${t}`,
      `query?query=${encodeURIComponent('app:error_lines:count5m{app=~"check.*",source="edgeloki"}')}&time=${t}`,
      `query?query=${encodeURIComponent('app:error_lines:count5m[9s]')}&time=${t}`,
      `query?query=${encodeURIComponent('{__name__=~"app:error_lines:.*"}')}&time=${t + 0.5}`,
      `query_range?query=app:error_lines:count5m&start=${t - 20}&end=${t}&step=3`,
      `query?query=${encodeURIComponent('nothing:recorded')}&time=${t}`,
      // Grafana's Prometheus data source checks a server with this one.
      `query?query=${encodeURIComponent('1+1')}&time=${t}`,
      `query?query=${encodeURIComponent('-2 ^ 2 * (3 % 2)')}&time=${t}`,
      `query_range?query=${encodeURIComponent('2 * 3')}&start=${t - 10}&end=${t}&step=5`,
      // What Grafana's query builder reads.
      `series?match[]=${encodeURIComponent('app:error_lines:count5m')}`,
      `series?match[]=${encodeURIComponent('{app="checkout"}')}&start=${t - 60}&end=${t}`,
      'labels',
      'label/__name__/values',
      `label/app/values?match[]=${encodeURIComponent('{source="edgeloki"}')}`,
    ]
    for (const q of queries) {
      const ours = (await (await fetch(`${base}/prometheus/api/v1/${q}`)).json()) as { data: unknown }
      const theirs = (await (await fetch(`${prom?.url}/api/v1/${q}`)).json()) as { data: unknown }
      expect(ours.data, q).toEqual(theirs.data)
    }
    const instant = (await (await fetch(`${base}/prometheus/api/v1/${queries[0]}`)).json()) as { data: { result: unknown[] } }
    expect(instant.data.result).toHaveLength(1)

    const rules = (await (await fetch(`${base}/prometheus/api/v1/rules`)).json()) as { data: { groups: Array<{ interval: number; rules: Array<{ health: string; state?: string }> }> } }
    expect(rules.data.groups[0]?.interval).toBe(2)
    expect(rules.data.groups[0]?.rules.map((r) => [r.health, r.state])).toEqual([['ok', 'firing'], ['ok', undefined]])
  })

  it('reports a refusing receiver in the rules, keeps evaluating, and delivers once it takes them again', async () => {
    const base = worker?.url as string
    const explain = async () => (await fetch(`${base}/prometheus/api/v1/rules`)).text()
    if (!amProxy || !writeProxy) throw new Error('proxies not started')
    amProxy.failing = true
    writeProxy.failing = true
    const now = Date.now()
    const values = ['error 1', 'error 2', 'error 3'].map((l, i) => [(BigInt(now - 1000 + i) * 1_000_000n).toString(), l])
    expect((await fetch(`${base}/loki/api/v1/push`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ streams: [{ stream: { app: 'billing' }, values }] }) })).status).toBe(204)
    const group = GROUP.replace('name: e2e', 'name: billing').replaceAll('checkout', 'billing').replace('TooManyErrors', 'BillingErrors').replace('app:error_lines:count5m', 'billing:error_lines:count5m')
    expect((await fetch(`${base}/loki/api/v1/rules/shop`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: group })).status).toBe(202)

    interface RulesBody { data: { groups: Array<{ name: string; lastEvaluation: string; rules: Array<{ name: string; health: string; lastError: string; state?: string }> }> } }
    const rulesOf = async (name: string) => ((await (await fetch(`${base}/prometheus/api/v1/rules`)).json()) as RulesBody).data.groups.find((g) => g.name === name)
    const failed = await eventually('the remote-write error in the rules', async () => {
      const g = await rulesOf('billing')
      return g?.rules[1]?.health === 'err' && g.rules[0]?.state === 'firing' ? g : undefined
    }, explain)
    expect(failed.rules[1]?.lastError).toContain('server returned HTTP status 500')
    expect(failed.rules[0]?.health).toBe('ok')
    const later = await eventually('another evaluation', async () => {
      const g = await rulesOf('billing')
      return g && g.lastEvaluation !== failed.lastEvaluation ? g : undefined
    }, explain)
    expect(later.rules[1]?.health).toBe('err')
    const held = (await (await fetch(`${am?.url}/api/v2/alerts`)).json()) as Array<{ labels: Record<string, string> }>
    expect(held.some((a) => a.labels['alertname'] === 'BillingErrors')).toBe(false)

    amProxy.failing = false
    writeProxy.failing = false
    await eventually('the held alert in Alertmanager', async () => {
      const alerts = (await (await fetch(`${am?.url}/api/v2/alerts`)).json()) as Array<{ labels: Record<string, string> }>
      return alerts.find((a) => a.labels['alertname'] === 'BillingErrors')
    }, explain)
    const sample = await eventually('the queued samples in Prometheus', async () => {
      const res = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent('billing:error_lines:count5m')}`)
      return ((await res.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]
    }, explain)
    expect(sample.value[1]).toBe('3')
    await eventually('the recording rule healthy again', async () => ((await rulesOf('billing'))?.rules[1]?.health === 'ok' ? true : undefined), explain)
  })
})
