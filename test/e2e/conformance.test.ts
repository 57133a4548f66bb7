/**
 * Replays the conformance corpus: answers a real Loki 3.7.6 gave, compared with the rules of the
 * kit's `compareEntry` (test/fixtures/conformance). Each case is its own test, named by its id.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
// @ts-expect-error - plain JavaScript kit without type declarations
import { compareEntry } from '../fixtures/conformance/conformance.mjs'
// @ts-expect-error - plain JavaScript kit without type declarations
import { httpGet, loadCorpus, pushCorpusJson } from '../fixtures/conformance/lib.mjs'

interface GoldenCase {
  id: string
  request: { path: string; params: Record<string, string | string[]>; headers?: Record<string, string> }
}

const kit = join(__dirname, '..', 'fixtures', 'conformance')
const golden = JSON.parse(readFileSync(join(kit, 'golden-public.json'), 'utf8')) as { cases: GoldenCase[] }
const baseUrl = inject('baseUrl')

describe('Loki conformance corpus', () => {
  beforeAll(async () => {
    const { batches } = loadCorpus(join(kit, 'corpus')) as { batches: unknown[] }
    const pushed = (await pushCorpusJson(baseUrl, batches)) as { failed: unknown[] }
    expect(pushed.failed).toEqual([])
    // Like the kit, flush so the answers come from chunks in R2 as well as from heads.
    expect((await fetch(`${baseUrl}/flush`, { method: 'POST' })).status).toBe(204)
  }, 120_000)

  it.each(golden.cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const res = (await httpGet(baseUrl, c.request.path, c.request.params, c.request.headers ?? {})) as {
      status: number
      contentType: string
      body: unknown
    }
    const diffs = compareEntry(c, res) as string[]
    expect(diffs).toEqual([])
  })
})
