import { describe, expect, it } from 'vitest'
import { call, pushJson } from '../helpers'
import { lines, openTail, settle } from './tail-socket'

const NOW = Date.now()

function at(offsetMs: number): string {
  return (BigInt(NOW + offsetMs) * 1_000_000n).toString()
}

describe('live tail and delete requests', () => {
  it('keeps the lines of an accepted request out of a tail, stored and live, and only those', async () => {
    const stream = { app: 'delete-tail' }
    expect((await pushJson([{ stream, values: [[at(-400_000), 'stored secret'], [at(-390_000), 'stored fine'], [at(-1000), 'marker']] }])).status).toBe(204)
    const q = new URLSearchParams({ query: '{app="delete-tail"} |= "secret"', start: String(Math.floor((NOW - 600_000) / 1000)), end: String(Math.floor((NOW - 100_000) / 1000)) })
    expect((await call(`/loki/api/v1/delete?${q}`, { method: 'POST' })).status).toBe(204)

    const sock = await openTail({ query: '{app="delete-tail"}', start: String(BigInt(NOW - 3_600_000) * 1_000_000n) })
    expect(await lines(sock, 2)).toEqual(['stored fine', 'marker'])
    // Late entries inside the request's range, and one after its end.
    expect((await pushJson([{ stream, values: [[at(-300_000), 'late secret'], [at(-299_000), 'late fine'], [at(500), 'new secret']] }])).status).toBe(204)
    expect(await lines(sock, 4)).toEqual(['stored fine', 'marker', 'late fine', 'new secret'])
    await settle(300)
    expect(sock.entries().map((e) => e.line)).not.toContain('late secret')
    sock.close()
  })
})
