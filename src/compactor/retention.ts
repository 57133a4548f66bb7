/**
 * Retention as Loki's compactor applies it (pkg/compactor/retention/expiration.go): a stream's
 * period is that of the highest-priority `retention_stream` rule whose selector matches it (on
 * equal priority the shortest), else the tenant's `retention_period`; 0 keeps data forever. A
 * chunk whose newest entry is older than its stream's period is dropped whole: its reference
 * goes, its object is deleted after `retention_delete_delay` once nothing references it, and a
 * stream with nothing left is removed from the index (so labels and series forget it). A pass
 * reads at most a bounded number of candidate chunks; the next pass continues.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Env } from '../env'
import { dbFor } from '../db/client'
import { chunks, pendingDeletes, streams, type ChunkRow } from '../db/schema'
import { tenantSettings } from '../overrides/overrides'
import { retentionPolicy, type RetentionPolicy, type StreamRetentionRule } from '../overrides/retention-stream'
import { matchesLabels } from '../logql/engine/matchers'
import { parseCanonicalLabels } from '../storage/canonical-labels'
import { ingesterFor } from '../ingester/naming'
import { doRequests } from '../metrics/meters'

const IN_LIST = 90

export interface RetentionOptions {
  /** Most chunk references looked at per pass (each costs a D1 row read). */
  readonly maxCandidates: number
  /** Most chunks dropped per pass (each costs D1 writes). */
  readonly maxDeletes: number
  /** Candidate references read per D1 query. */
  readonly pageSize: number
}

export const DEFAULT_RETENTION: RetentionOptions = { maxCandidates: 20_000, maxDeletes: 2_000, pageSize: 500 }

export interface RetentionReport {
  readonly chunksDeleted: number
  readonly streamsForgotten: number
  readonly more: boolean
}

/** Loki's RetentionPeriodFor. */
export function retentionPeriodFor(policy: RetentionPolicy, labels: Readonly<Record<string, string>>): number {
  let matched: StreamRetentionRule | null = null
  for (const r of policy.rules) {
    if (!matchesLabels(r.matchers, labels)) continue
    if (matched && (matched.priority > r.priority || (matched.priority === r.priority && matched.periodMs <= r.periodMs))) continue
    matched = r
  }
  return matched ? matched.periodMs : policy.periodMs
}

/** The shortest period any stream of the tenant can have (0: nothing ever expires). */
function shortestPeriod(policy: RetentionPolicy): number {
  const periods = [policy.periodMs, ...policy.rules.map((r) => r.periodMs)].filter((p) => p > 0)
  if (policy.periodMs === 0 && policy.rules.length === 0) return 0
  return periods.length === 0 ? 0 : Math.min(...periods)
}

async function tenantsWithChunks(d1: D1Database): Promise<string[]> {
  const rows = await dbFor(d1).selectDistinct({ tenant: streams.tenant }).from(streams).orderBy(streams.tenant)
  return rows.map((r) => r.tenant)
}

async function streamLabels(d1: D1Database, tenant: string, fingerprints: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < fingerprints.length; i += IN_LIST) {
    const rows = await dbFor(d1)
      .select({ fp: streams.fingerprint, labels: streams.labels })
      .from(streams)
      .where(and(eq(streams.tenant, tenant), inArray(streams.fingerprint, fingerprints.slice(i, i + IN_LIST))))
    for (const r of rows) out.set(r.fp, r.labels)
  }
  return out
}

async function dropChunks(d1: D1Database, expired: readonly ChunkRow[], deleteAfterMs: number): Promise<void> {
  const db = dbFor(d1)
  for (let i = 0; i < expired.length; i += 40) {
    const part = expired.slice(i, i + 40)
    const keys = [...new Set(part.map((r) => r.objectKey))]
    const [first, ...rest] = part.map((r) =>
      db
        .delete(chunks)
        .where(and(eq(chunks.tenant, r.tenant), eq(chunks.fingerprint, r.fingerprint), eq(chunks.objectKey, r.objectKey), eq(chunks.byteOffset, r.byteOffset))),
    )
    if (!first) continue
    await db.batch([first, ...rest, db.insert(pendingDeletes).values(keys.map((objectKey) => ({ objectKey, deleteAfterMs }))).onConflictDoNothing()])
  }
}

/**
 * One tenant's expired chunks dropped, oldest candidates first, paging by (maxTsMs, chunk) so
 * chunks of streams kept longer (retention_stream rules) do not hide the expired ones behind
 * them; then streams left empty are forgotten.
 */
async function applyTenant(env: Env, tenant: string, policy: RetentionPolicy, nowMs: number, delayMs: number, budget: Budget, pageSize: number): Promise<{ deleted: number; forgotten: number }> {
  const shortest = shortestPeriod(policy)
  if (shortest === 0) return { deleted: 0, forgotten: 0 }
  const db = dbFor(env.DB)
  const labelsOf = new Map<string, string>()
  const periods = new Map<string, number>()
  const emptied = new Set<string>()
  let deleted = 0
  let after: ChunkRow | undefined
  while (budget.reads > 0 && budget.deletes > 0) {
    const older = and(eq(chunks.tenant, tenant), lt(chunks.maxTsMs, nowMs - shortest))
    const page = await db
      .select()
      .from(chunks)
      .where(after ? and(older, sql`(${chunks.maxTsMs}, ${chunks.fingerprint}, ${chunks.objectKey}, ${chunks.byteOffset}) > (${after.maxTsMs}, ${after.fingerprint}, ${after.objectKey}, ${after.byteOffset})`) : older)
      .orderBy(asc(chunks.maxTsMs), asc(chunks.fingerprint), asc(chunks.objectKey), asc(chunks.byteOffset))
      .limit(Math.min(pageSize, budget.reads))
    if (page.length === 0) break
    budget.reads -= page.length
    after = page[page.length - 1]
    const unknown = [...new Set(page.map((c) => c.fingerprint))].filter((fp) => !labelsOf.has(fp))
    for (const [fp, labels] of await streamLabels(env.DB, tenant, unknown)) labelsOf.set(fp, labels)
    const expired = page
      .filter((c) => {
        const canonical = labelsOf.get(c.fingerprint)
        if (canonical === undefined) return false
        let period = periods.get(c.fingerprint)
        if (period === undefined) {
          period = retentionPeriodFor(policy, parseCanonicalLabels(canonical))
          periods.set(c.fingerprint, period)
        }
        // A reference's maxTsMs lies just past its newest entry (Loki compares chunk.Through).
        return period > 0 && nowMs - (c.maxTsMs - 1) > period
      })
      .slice(0, budget.deletes)
    await dropChunks(env.DB, expired, nowMs + delayMs)
    budget.deletes -= expired.length
    deleted += expired.length
    for (const c of expired) emptied.add(c.fingerprint)
    if (page.length < pageSize) break
  }
  let forgotten = 0
  for (const fp of emptied) {
    const left = await db.select({ n: sql<number>`count(*)` }).from(chunks).where(and(eq(chunks.tenant, tenant), eq(chunks.fingerprint, fp)))
    if ((left[0]?.n ?? 0) > 0) continue
    const canonical = labelsOf.get(fp)!
    doRequests(1)
    if (await ingesterFor(env, tenant, canonical).forgetIfEmpty(tenant, fp, Object.entries(parseCanonicalLabels(canonical)))) forgotten++
  }
  return { deleted, forgotten }
}

interface Budget {
  reads: number
  deletes: number
}

/** One retention pass over every tenant, bounded by candidate references read and chunks dropped. */
export async function runRetention(env: Env, nowMs: number, opts: RetentionOptions = DEFAULT_RETENTION): Promise<RetentionReport> {
  const budget: Budget = { reads: opts.maxCandidates, deletes: opts.maxDeletes }
  let chunksDeleted = 0
  let streamsForgotten = 0
  for (const tenant of await tenantsWithChunks(env.DB)) {
    if (budget.reads <= 0 || budget.deletes <= 0) return { chunksDeleted, streamsForgotten, more: true }
    const settings = await tenantSettings(env, tenant, nowMs)
    const r = await applyTenant(env, tenant, retentionPolicy(settings), nowMs, settings.num('retention_delete_delay'), budget, opts.pageSize)
    chunksDeleted += r.deleted
    streamsForgotten += r.forgotten
  }
  return { chunksDeleted, streamsForgotten, more: budget.reads <= 0 || budget.deletes <= 0 }
}
