/**
 * Malformed query parameters answered exactly as Loki 3.7.6 answered them (status and text),
 * replayed from test/fixtures/params (recorded by its record.mjs against a real Loki).
 */
import { describe, expect, it } from 'vitest'
import recorded from '../fixtures/params/loki-3.7.6.json'
import { call } from '../helpers'

interface RecordedCase {
  readonly path: string
  readonly qs: string
  readonly status: number
  readonly body: string
}

/**
 * Where edgeloki answers differently on purpose: Loki's frontend hands an `end` within the first
 * ten seconds after the epoch to its querier as at most ten digits, which the querier then reads
 * as seconds, so a one-hour log query there "exceeds 11,000 points". edgeloki answers the range asked.
 */
function knownDifference(c: RecordedCase): boolean {
  const end = new URLSearchParams(c.qs).get('end')
  return end !== null && /^[\d.]+$/.test(end) && Number(end) < 10 && c.body.startsWith('exceeded maximum resolution')
}

const cases = (recorded as { cases: RecordedCase[] }).cases.filter((c) => !knownDifference(c))

describe('query parameters as Loki 3.7.6 answers them', () => {
  const byPath = new Map<string, RecordedCase[]>()
  for (const c of cases) byPath.set(c.path, [...(byPath.get(c.path) ?? []), c])

  it.each([...byPath.keys()])('%s', async (path) => {
    const mismatches: string[] = []
    for (const c of byPath.get(path) ?? []) {
      const res = await call(`${c.path}?${c.qs}`)
      const body = await res.text()
      if (res.status !== c.status || body.trim() !== c.body.trim()) {
        mismatches.push(`${c.qs.slice(-80)}: want ${c.status} ${c.body.slice(0, 120)} got ${res.status} ${body.slice(0, 120)}`)
      }
    }
    expect(mismatches).toEqual([])
  }, 120_000)
})
