import { describe, expect, it } from 'vitest'
import { decodePushBody } from './decode'
import { distribute } from './distribute'
import { DEFAULT_PUSH_BODY_LIMITS, DEFAULT_VALIDATION_LIMITS } from './limits'

interface FsLike {
  readFile(path: URL, encoding: 'utf8'): Promise<string>
}
const FS_MODULE = 'node:fs/promises'

async function readFixture(rel: string): Promise<string> {
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as FsLike
  return fs.readFile(new URL(`../../test/fixtures/conformance/${rel}`, import.meta.url), 'utf8')
}

interface GoldenCase {
  id: string
  request: { params: Record<string, string> }
  body: unknown
}

interface Candidate {
  labels: Map<string, string>
  service: string
  level: string | undefined
}

function resultStreams(body: unknown): Array<{ stream: Record<string, string>; values: string[][] }> {
  if (typeof body !== 'object' || body === null) return []
  const data = (body as { data?: unknown }).data
  if (typeof data !== 'object' || data === null) return []
  const d = data as { resultType?: unknown; result?: unknown }
  if (d.resultType !== 'streams' || !Array.isArray(d.result)) return []
  return d.result as Array<{ stream: Record<string, string>; values: string[][] }>
}

describe('conformance corpus through decode + distribute', () => {
  it('derives the service_name and detected_level values Loki 3.7.6 stored', async () => {
    const corpus = new TextEncoder().encode(await readFixture('corpus/batch-0001.json'))
    const golden = JSON.parse(await readFixture('golden-public.json')) as { cases: GoldenCase[] }
    const decoded = await decodePushBody(corpus, { contentType: 'application/json', contentEncoding: null }, DEFAULT_PUSH_BODY_LIMITS)
    const pushed = distribute(decoded, { ...DEFAULT_VALIDATION_LIMITS, rejectOldSamples: false }, Date.UTC(2026, 10, 1, 2))
    expect(pushed.rejected).toBeNull()
    expect(pushed.stats.linesReceived).toBe(3000)
    expect(pushed.streams.reduce((n, s) => n + s.entries.length, 0)).toBe(3000)

    const byEntry = new Map<string, Candidate[]>()
    for (const s of pushed.streams) {
      const labels = new Map(s.labels)
      for (const e of s.entries) {
        const key = `${e.ts}\u0000${e.line}`
        const level = e.metadata?.find(([n]) => n === 'detected_level')?.[1]
        const list = byEntry.get(key) ?? []
        list.push({ labels, service: labels.get('service_name')!, level })
        byEntry.set(key, list)
      }
    }

    let compared = 0
    const mismatches: string[] = []
    for (const c of golden.cases) {
      if (/label_format|line_format/.test(c.request.params.query ?? '')) continue
      for (const r of resultStreams(c.body)) {
        const wantLevel = r.stream.detected_level
        const wantService = r.stream.service_name
        if (wantLevel === undefined && wantService === undefined) continue
        for (const [ts, line] of r.values) {
          const candidates = (byEntry.get(`${ts}\u0000${line}`) ?? []).filter((cand) =>
            [...cand.labels].every(([n, v]) => n === 'service_name' || r.stream[n] === undefined || r.stream[n] === v),
          )
          if (candidates.length === 0) continue
          compared++
          const ok = candidates.some(
            (cand) => (wantLevel === undefined || cand.level === wantLevel) && (wantService === undefined || cand.service === wantService),
          )
          if (!ok) {
            mismatches.push(`${c.id}: ${JSON.stringify(line).slice(0, 120)} want level=${wantLevel} service=${wantService}, got ${candidates.map((x) => `${x.level}/${x.service}`).join(',')}`)
          }
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(compared).toBeGreaterThan(350)
  })
})
