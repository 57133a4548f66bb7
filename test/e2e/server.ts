/**
 * Vitest global setup for end-to-end tests: runs the real Worker under `wrangler dev` (workerd
 * with on-disk D1, R2 and Durable Objects in a temporary directory) on a free port, as `npm start`
 * does, and stops it afterwards. Test files that need other settings start their own with
 * `startWorker`.
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

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
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

export interface RunningWorker {
  readonly url: string
  stop(): void
}

const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

/** A fresh on-disk state directory with the D1 migrations applied. */
export function prepareState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgeloki-e2e-'))
  const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], {
    env: ENV,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)
  return dir
}

export interface RuntimeProcess {
  readonly url: string
  /** Signals the runtime's whole process group (wrangler and workerd). */
  signal(sig: NodeJS.Signals): void
  /** Resolves once every process of the group has exited. */
  exited(): Promise<void>
}

/** Runs `wrangler dev` on `dir` until it answers /ready. */
export async function runRuntime(dir: string, vars: readonly string[], port?: number): Promise<RuntimeProcess> {
  const listen = port ?? (await freePort())
  let log = ''
  const proc = spawn(
    'npx',
    [
      'wrangler', 'dev', '--port', String(listen), '--persist-to', dir,
      ...vars.flatMap((v) => ['--var', v]),
      '--show-interactive-dev-session=false',
    ],
    { env: ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const closed = new Promise<void>((resolve) => proc.on('close', () => resolve()))
  const signal = (sig: NodeJS.Signals): void => {
    if (!proc.pid) return
    try {
      process.kill(-proc.pid, sig)
    } catch {
      // already gone
    }
  }
  const exited = async (): Promise<void> => {
    await closed
    // workerd is a grandchild: wait until nothing of the group is left.
    for (let i = 0; i < 200 && proc.pid; i++) {
      try {
        process.kill(-proc.pid, 0)
      } catch {
        return
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const url = `http://127.0.0.1:${listen}`
  try {
    await waitReady(url, proc, () => log)
  } catch (err) {
    signal('SIGKILL')
    throw err
  }
  return { url, signal, exited }
}

/** Starts the Worker under `wrangler dev` with its own on-disk state and the given `--var key:value` settings. */
export async function startWorker(vars: readonly string[]): Promise<RunningWorker> {
  const dir = prepareState()
  try {
    const runtime = await runRuntime(dir, vars)
    return {
      url: runtime.url,
      stop: () => {
        runtime.signal('SIGTERM')
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

let worker: RunningWorker | undefined

export async function setup(project: TestProject): Promise<void> {
  worker = await startWorker([
    'reject_old_samples:false',
    // The deployed default (.dev.vars turns splitting off for local use): replies are checked
    // through split queries here, and unsplit by the Worker tests and `npm start`.
    'split_metric_queries:true',
  ])
  project.provide('baseUrl', worker.url)
}

export async function teardown(): Promise<void> {
  worker?.stop()
}
