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
  /** Most candidate chunks read per pass. */
  readonly maxChunks: number
}

export const DEFAULT_RETENTION: RetentionOptions = { maxChunks: 2000 }

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

/** One tenant's expired chunks among its oldest candidates, dropped; then streams left empty forgotten. */
async function applyTenant(env: Env, tenant: string, policy: RetentionPolicy, nowMs: number, delayMs: number, budget: number): Promise<{ deleted: number; forgotten: number; read: number }> {
  const shortest = shortestPeriod(policy)
  if (shortest === 0) return { deleted: 0, forgotten: 0, read: 0 }
  const db = dbFor(env.DB)
  const candidates = await db
    .select()
    .from(chunks)
    .where(and(eq(chunks.tenant, tenant), lt(chunks.maxTsMs, nowMs - shortest)))
    .orderBy(asc(chunks.maxTsMs))
    .limit(budget)
  if (candidates.length === 0) return { deleted: 0, forgotten: 0, read: 0 }
  const labelsOf = await streamLabels(env.DB, tenant, [...new Set(candidates.map((c) => c.fingerprint))])
  const periods = new Map<string, number>()
  const expired = candidates.filter((c) => {
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
  await dropChunks(env.DB, expired, nowMs + delayMs)
  let forgotten = 0
  for (const fp of new Set(expired.map((c) => c.fingerprint))) {
    const left = await db.select({ n: sql<number>`count(*)` }).from(chunks).where(and(eq(chunks.tenant, tenant), eq(chunks.fingerprint, fp)))
    if ((left[0]?.n ?? 0) > 0) continue
    const canonical = labelsOf.get(fp)!
    doRequests(1)
    if (await ingesterFor(env, tenant, canonical).forgetIfEmpty(tenant, fp, Object.entries(parseCanonicalLabels(canonical)))) forgotten++
  }
  return { deleted: expired.length, forgotten, read: candidates.length }
}

/** One retention pass over every tenant, bounded by `opts.maxChunks` candidate chunks. */
export async function runRetention(env: Env, nowMs: number, opts: RetentionOptions = DEFAULT_RETENTION): Promise<RetentionReport> {
  let chunksDeleted = 0
  let streamsForgotten = 0
  let read = 0
  for (const tenant of await tenantsWithChunks(env.DB)) {
    const settings = await tenantSettings(env, tenant, nowMs)
    const budget = opts.maxChunks - read
    if (budget <= 0) return { chunksDeleted, streamsForgotten, more: true }
    const r = await applyTenant(env, tenant, retentionPolicy(settings), nowMs, settings.num('retention_delete_delay'), budget)
    chunksDeleted += r.deleted
    streamsForgotten += r.forgotten
    read += r.read
  }
  return { chunksDeleted, streamsForgotten, more: read >= opts.maxChunks }
}
