/**
 * The stream index in D1: registering streams and their label postings, and answering which
 * streams of a tenant match a selector in a time range. Every statement names the tenant.
 */
import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { chunks, labelPostings, streams } from '../db/schema'
import type { StreamIdentity } from '../ingester/types'
import type { LabelMatcher } from '../logql/syntax/ast'
import { compileMatchers, matcherTest } from './matchers'
import { matchesEmpty } from '../logql/syntax/validate'
import { parseCanonicalLabels } from './canonical-labels'

/** D1 allows 100 bound parameters per statement. */
const MAX_IN_LIST = 90

export interface IndexedStream {
  readonly fingerprint: string
  readonly labels: Readonly<Record<string, string>>
  readonly canonical: string
  readonly firstSeenMs: number
  readonly lastSeenMs: number
}

export async function registerStream(d1: D1Database, s: StreamIdentity, firstMs: number, lastMs: number): Promise<void> {
  const db = dbFor(d1)
  const postingRows = s.labelPairs.map(([name, value]) => ({ tenant: s.tenant, name, value, fingerprint: s.fingerprint }))
  // Each posting row binds 4 values; keep statements under D1's parameter limit.
  const postingChunks: (typeof postingRows)[] = []
  for (let i = 0; i < postingRows.length; i += 20) postingChunks.push(postingRows.slice(i, i + 20))
  await db.batch([
    db
      .insert(streams)
      .values({ tenant: s.tenant, fingerprint: s.fingerprint, labels: s.labels, firstSeenMs: firstMs, lastSeenMs: lastMs })
      .onConflictDoUpdate({
        target: [streams.tenant, streams.fingerprint],
        set: {
          firstSeenMs: sql`min(${streams.firstSeenMs}, excluded.first_seen_ms)`,
          lastSeenMs: sql`max(${streams.lastSeenMs}, excluded.last_seen_ms)`,
        },
      }),
    ...postingChunks.map((rows) => db.insert(labelPostings).values(rows).onConflictDoNothing()),
  ])
}

/**
 * Removes a stream's row and postings when no chunk reference of it is left (retention), in one
 * batch; answers whether the stream was removed.
 */
export async function forgetStreamWithoutChunks(d1: D1Database, tenant: string, fingerprint: string, labelPairs: ReadonlyArray<readonly [string, string]>): Promise<boolean> {
  const db = dbFor(d1)
  const noChunks = sql`NOT EXISTS (SELECT 1 FROM ${chunks} WHERE ${chunks.tenant} = ${tenant} AND ${chunks.fingerprint} = ${fingerprint})`
  const gone = sql`NOT EXISTS (SELECT 1 FROM ${streams} WHERE ${streams.tenant} = ${tenant} AND ${streams.fingerprint} = ${fingerprint})`
  const [removed] = await db.batch([
    db.delete(streams).where(and(eq(streams.tenant, tenant), eq(streams.fingerprint, fingerprint), noChunks)),
    ...labelPairs.map(([name, value]) =>
      db
        .delete(labelPostings)
        .where(and(eq(labelPostings.tenant, tenant), eq(labelPostings.name, name), eq(labelPostings.value, value), eq(labelPostings.fingerprint, fingerprint), gone)),
    ),
  ])
  return removed.meta.changes > 0
}

export async function updateStreamRange(d1: D1Database, s: StreamIdentity, firstMs: number, lastMs: number): Promise<void> {
  await dbFor(d1)
    .update(streams)
    .set({
      firstSeenMs: sql`min(${streams.firstSeenMs}, ${firstMs})`,
      lastSeenMs: sql`max(${streams.lastSeenMs}, ${lastMs})`,
    })
    .where(and(eq(streams.tenant, s.tenant), eq(streams.fingerprint, s.fingerprint)))
}

/**
 * Fingerprints that can match: intersects the postings of every matcher that rejects the empty
 * string (those need the label present). Null means no such matcher, i.e. scan the tenant.
 */
async function candidateFingerprints(d1: D1Database, tenant: string, matchers: readonly LabelMatcher[]): Promise<Set<string> | null> {
  const db = dbFor(d1)
  let result: Set<string> | null = null
  const selective = matchers.filter((m) => !matchesEmpty(m))
  // Equality matchers first: they are the cheapest and usually the most selective.
  selective.sort((a, b) => (a.type === '=' ? 0 : 1) - (b.type === '=' ? 0 : 1))
  for (const m of selective) {
    const found = new Set<string>()
    if (m.type === '=') {
      const rows = await db
        .select({ fp: labelPostings.fingerprint })
        .from(labelPostings)
        .where(and(eq(labelPostings.tenant, tenant), eq(labelPostings.name, m.name), eq(labelPostings.value, m.value)))
      for (const r of rows) found.add(r.fp)
    } else {
      const test = matcherTest(m)
      const rows = await db
        .select({ value: labelPostings.value, fp: labelPostings.fingerprint })
        .from(labelPostings)
        .where(and(eq(labelPostings.tenant, tenant), eq(labelPostings.name, m.name)))
      for (const r of rows) if (test(r.value)) found.add(r.fp)
    }
    if (result === null) result = found
    else {
      const prev: Set<string> = result
      result = new Set([...found].filter((fp) => prev.has(fp)))
    }
    if (result.size === 0) return result
  }
  return result
}

function toIndexed(row: { fingerprint: string; labels: string; firstSeenMs: number; lastSeenMs: number }): IndexedStream {
  return {
    fingerprint: row.fingerprint,
    canonical: row.labels,
    labels: parseCanonicalLabels(row.labels),
    firstSeenMs: row.firstSeenMs,
    lastSeenMs: row.lastSeenMs,
  }
}

/** Streams of `tenant` matching every matcher and active in [startMs, endMs]. */
export async function findStreams(
  d1: D1Database,
  tenant: string,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
): Promise<IndexedStream[]> {
  const db = dbFor(d1)
  const candidates = await candidateFingerprints(d1, tenant, matchers)
  const active = and(eq(streams.tenant, tenant), lte(streams.firstSeenMs, endMs), gte(streams.lastSeenMs, startMs))
  const rows: Array<{ fingerprint: string; labels: string; firstSeenMs: number; lastSeenMs: number }> = []
  const cols = { fingerprint: streams.fingerprint, labels: streams.labels, firstSeenMs: streams.firstSeenMs, lastSeenMs: streams.lastSeenMs }
  if (candidates === null) {
    rows.push(...(await db.select(cols).from(streams).where(active)))
  } else {
    const fps = [...candidates]
    for (let i = 0; i < fps.length; i += MAX_IN_LIST) {
      rows.push(...(await db.select(cols).from(streams).where(and(active, inArray(streams.fingerprint, fps.slice(i, i + MAX_IN_LIST))))))
    }
  }
  const matches = compileMatchers(matchers)
  return rows.map(toIndexed).filter((s) => matches(s.labels))
}

/** Every registered stream of every tenant, a page at a time (for `/flush`, an operator action). */
export async function* allStreams(d1: D1Database, pageSize = 500): AsyncGenerator<{ tenant: string; labels: string }> {
  const db = dbFor(d1)
  let after: { tenant: string; fingerprint: string } | null = null
  for (;;) {
    const cursor: { tenant: string; fingerprint: string } | null = after
    const rows: Array<{ tenant: string; fingerprint: string; labels: string }> = await db
      .select({ tenant: streams.tenant, fingerprint: streams.fingerprint, labels: streams.labels })
      .from(streams)
      .where(cursor ? sql`(${streams.tenant}, ${streams.fingerprint}) > (${cursor.tenant}, ${cursor.fingerprint})` : undefined)
      .orderBy(streams.tenant, streams.fingerprint)
      .limit(pageSize)
    for (const r of rows) yield { tenant: r.tenant, labels: r.labels }
    const last = rows[rows.length - 1]
    if (!last || rows.length < pageSize) return
    after = { tenant: last.tenant, fingerprint: last.fingerprint }
  }
}
