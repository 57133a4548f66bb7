/**
 * Loki's `max_global_streams_per_user`: one object per tenant holds the set of its active streams.
 * A stream's ingester asks for a slot only when the stream becomes active (its first push, or the
 * first after its head was flushed empty) and gives it back when its head is flushed empty, as
 * Loki drops flushed streams from memory; steady pushes never call it and write nothing to D1.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { doRowsWritten } from '../metrics/meters'

export class StreamLimiter extends DurableObject<Env> {
  private active: number

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    const sql = ctx.storage.sql
    sql.exec('CREATE TABLE IF NOT EXISTS active (fingerprint TEXT PRIMARY KEY)')
    this.active = sql.exec<{ n: number }>('SELECT count(*) AS n FROM active').one().n
  }

  /** Whether the stream may be active: it already is, or fewer than `limit` are (0: no limit). */
  async admit(fingerprint: string, limit: number): Promise<boolean> {
    const sql = this.ctx.storage.sql
    if (sql.exec('SELECT 1 FROM active WHERE fingerprint = ?', fingerprint).toArray().length > 0) return true
    if (limit > 0 && this.active >= limit) return false
    sql.exec('INSERT INTO active (fingerprint) VALUES (?)', fingerprint)
    doRowsWritten(1)
    this.active++
    return true
  }

  async release(fingerprint: string): Promise<void> {
    const removed = this.ctx.storage.sql.exec('DELETE FROM active WHERE fingerprint = ?', fingerprint).rowsWritten
    if (removed > 0) {
      doRowsWritten(removed)
      this.active--
    }
  }
}

/** The limiter object of a tenant. */
export function streamLimiterFor(env: Env, tenant: string): DurableObjectStub<StreamLimiter> {
  return env.STREAM_LIMITER.get(env.STREAM_LIMITER.idFromName(tenant))
}

/** Loki's text for a stream refused by the limit (pkg/validation, StreamLimitErrorMsg). */
export function streamLimitMessage(labels: string, tenant: string): string {
  return `maximum active stream limit exceeded when trying to create stream ${labels}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: '${tenant}'`
}
