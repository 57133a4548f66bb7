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

async function pushCorpus(): Promise<Array<{ status: number; text: string }>> {
  const { batches } = loadCorpus(join(kit, 'corpus')) as { batches: unknown[] }
  const pushed = (await pushCorpusJson(baseUrl, batches)) as { failed: Array<{ status: number; text: string }> }
  return pushed.failed
}

async function differences(c: GoldenCase): Promise<string[]> {
  const res = (await httpGet(baseUrl, c.request.path, c.request.params, c.request.headers ?? {})) as {
    status: number
    contentType: string
    body: unknown
  }
  return compareEntry(c, res) as string[]
}

const cases = golden.cases.map((c) => [c.id, c] as const)

describe('Loki conformance corpus', () => {
  beforeAll(async () => {
    expect(await pushCorpus()).toEqual([])
    // Like the kit, flush so the answers come from chunks in R2 as well as from heads.
    expect((await fetch(`${baseUrl}/flush`, { method: 'POST' })).status).toBe(204)
  }, 120_000)

  it.each(cases)('%s', async (_id, c) => {
    expect(await differences(c)).toEqual([])
  })
})

describe('Loki conformance corpus, pushed a second time', () => {
  // A retried push: as in Loki, entries older than the stream's newest minus max_chunk_age/2 are
  // refused (400 too_far_behind) and the rest duplicate stored entries, which are not stored
  // again. Every answer, index statistics included, must stay the same.
  beforeAll(async () => {
    for (const f of await pushCorpus()) {
      expect(f.status).toBe(400)
      expect(f.text).toContain("reason: 'entry too far behind")
    }
  }, 120_000)

  it.each(cases)('%s', async (_id, c) => {
    expect(await differences(c)).toEqual([])
  })
})
