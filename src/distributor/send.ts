/**
 * Sends each stream's validated entries to the ingester object that owns the stream, in parallel
 * under a concurrency bound, and folds their answers into one push outcome. The push is
 * acknowledged only after every object has committed; what they stored then goes to the tenant's
 * live tails (tail/push-hook), which never delays the push.
 */
import type { Env } from '../env'
import type { DistributedPush } from './types'
import type { IngesterLimits, StreamPushRequest, StreamPushResult } from '../ingester/types'
import { ingesterFailed, type PushError } from './errors'
import { ingesterFor } from '../ingester/naming'
import { packEntries } from '../ingester/packing'
import { discardedBytes, discardedSamples, doRequests } from '../metrics/meters'
import { notifyTails } from '../tail/push-hook'
import { withoutDeletedStreams } from '../compactor/delete-filter'
import type { StoredStream } from '../tail/protocol'

const MAX_PARALLEL_STREAM_CALLS = 32

export interface PushOutcome {
  readonly status: number
  readonly message: string
}

/** Whether the runtime marks an object call's failure as safe to retry right away. */
function retryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { retryable?: unknown; overloaded?: unknown }
  return e.retryable === true && e.overloaded !== true
}

export async function sendToIngesters(
  env: Env,
  tenant: string,
  push: DistributedPush,
  limits: IngesterLimits,
): Promise<PushOutcome | null> {
  const results: StreamPushResult[] = []
  const failures: PushError[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < push.streams.length) {
      const s = push.streams[next++]!
      if (s.entries.length === 0) continue
      const entries = packEntries(s.entries)
      const req = { stream: { tenant, fingerprint: s.fingerprint, labels: s.canonical, labelPairs: s.labels }, entries, limits }
      let r: StreamPushResult
      try {
        r = await callIngester(env, tenant, s.canonical, req)
      } catch (err) {
        console.error('ingester push failed', s.canonical, err)
        failures.push(ingesterFailed(s.canonical, err))
        continue
      }
      results.push(r)
      if (r.accepted > 0) stored.push({ labels: s.labels, entries: r.stored ?? entries })
    }
  }
  const stored: StoredStream[] = []
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_STREAM_CALLS, push.streams.length) }, worker))
  notifyTails(env, tenant, stored, (streams) => withoutDeletedStreams(env, tenant, streams, Date.now()))

  const messages: string[] = []
  let status = 0
  if (push.rejected) {
    messages.push(push.rejected.message)
    status = push.rejected.status
  }
  for (const r of results) {
    for (const d of r.discarded) {
      discardedSamples(d.lines, { reason: d.reason, tenant })
      discardedBytes(d.bytes, { reason: d.reason, tenant })
    }
    if (r.error) {
      messages.push(r.error.message)
      // Rate limiting takes precedence over validation errors, as in Loki.
      if (r.error.status === 429 || status === 0) status = r.error.status
    }
  }
  for (const f of failures) {
    messages.push(f.message)
    // Entries not stored must be retried: a status the client retries wins over a 4xx.
    if (status < 500 && (f.status >= 500 || status !== 429)) status = f.status
  }
  return status === 0 ? null : { status, message: messages.join('\n') }
}

/** One stream's ingester call, retried once when the runtime says that is safe. */
async function callIngester(env: Env, tenant: string, canonical: string, req: StreamPushRequest): Promise<StreamPushResult> {
  for (let attempt = 0; ; attempt++) {
    doRequests(1)
    try {
      return await ingesterFor(env, tenant, canonical).push(req)
    } catch (err) {
      if (attempt > 0 || !retryable(err)) throw err
    }
  }
}
