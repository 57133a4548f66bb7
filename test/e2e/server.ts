/**
 * Vitest global setup for end-to-end tests: runs the real Worker under `wrangler dev` (workerd
 * with on-disk D1, R2 and Durable Objects in a temporary directory) on a free port, as `npm start`
 * does, and stops it afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

async function waitReady(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output()}`)
    try {
      const res = await fetch(`${url}/ready`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`wrangler dev did not become ready:\n${output()}`)
}

let proc: ChildProcess | undefined
let dir: string | undefined

export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'edgeloki-e2e-'))
  const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
  const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], {
    env,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)
  const port = await freePort()
  let log = ''
  proc = spawn(
    'npx',
    [
      'wrangler', 'dev', '--port', String(port), '--persist-to', dir,
      '--var', 'reject_old_samples:false',
      // The deployed default (.dev.vars turns splitting off for local use): replies are checked
      // through split queries here, and unsplit by the Worker tests and `npm start`.
      '--var', 'split_metric_queries:true',
      '--show-interactive-dev-session=false',
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const url = `http://127.0.0.1:${port}`
  await waitReady(url, proc, () => log)
  project.provide('baseUrl', url)
}

export async function teardown(): Promise<void> {
  if (proc?.pid) {
    try {
      process.kill(-proc.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
}
