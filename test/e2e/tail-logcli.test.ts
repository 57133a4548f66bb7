/**
 * `logcli query --tail`, Loki's own client, against `wrangler dev`. logcli is built from Loki's
 * source and cannot be committed, so this runs only where a binary is found: `LOGCLI=path`, or
 * `logcli` on PATH. Without one the test is skipped and says why.
 */
import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'

const baseUrl = inject('baseUrl')

function findLogcli(): string | null {
  const candidates = [process.env.LOGCLI, 'logcli'].filter((c): c is string => Boolean(c))
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' })
    if (r.status === 0) return c
  }
  return null
}

const logcli = findLogcli()
const why = logcli ? '' : ' (skipped: no logcli binary; set LOGCLI to a logcli built from Loki 3.7 or put it on PATH)'

describe('logcli query --tail', () => {
  it.skipIf(!logcli)(`receives stored and newly pushed lines${why}`, async () => {
    const app = `logcli-${Date.now()}`
    const push = async (line: string, offsetMs: number): Promise<void> => {
      const ts = (BigInt(Date.now() + offsetMs) * 1_000_000n).toString()
      const res = await fetch(`${baseUrl}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ streams: [{ stream: { app }, values: [[ts, line]] }] }),
      })
      expect(res.status).toBe(204)
    }
    await push('stored before the tail', -2000)
    const child = spawn(logcli!, ['--addr', baseUrl, '--quiet', 'query', '--tail', '--output', 'raw', '--since', '1m', `{app="${app}"} != "skip"`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    try {
      const waitFor = async (text: string): Promise<void> => {
        const deadline = Date.now() + 20_000
        while (!out.includes(text)) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`logcli printed ${JSON.stringify(out)}; stderr ${err}`)
          await new Promise((r) => setTimeout(r, 100))
        }
      }
      await waitFor('stored before the tail')
      await push('skip this one', 0)
      await push('pushed while tailing', 0)
      await waitFor('pushed while tailing')
      expect(out.split('\n').filter((l) => l !== '')).toEqual(['stored before the tail', 'pushed while tailing'])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
