/**
 * Sends each stream's validated entries to the ingester object that owns the stream, in parallel
 * under a concurrency bound, and folds their answers into one push outcome. The push is
 * acknowledged only after every object has committed; what they stored then goes to the tenant's
 * live tails (tail/push-hook), which never delays the push.
 */
import type { Env } from '../env'
import type { DistributedPush } from './types'
import type { IngesterLimits, StreamPushResult } from '../ingester/types'
import { ingesterFor } from '../ingester/naming'
import { packEntries } from '../ingester/packing'
import { discardedBytes, discardedSamples, doRequests } from '../metrics/meters'
import { notifyTails } from '../tail/push-hook'
import type { StoredStream } from '../tail/protocol'

const MAX_PARALLEL_STREAM_CALLS = 32

export interface PushOutcome {
  readonly status: number
  readonly message: string
}

export async function sendToIngesters(
  env: Env,
  tenant: string,
  push: DistributedPush,
  limits: IngesterLimits,
): Promise<PushOutcome | null> {
  const results: StreamPushResult[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < push.streams.length) {
      const s = push.streams[next++]!
      if (s.entries.length === 0) continue
      doRequests(1)
      const stub = ingesterFor(env, tenant, s.canonical)
      const entries = packEntries(s.entries)
      const r = await stub.push({
        stream: { tenant, fingerprint: s.fingerprint, labels: s.canonical, labelPairs: s.labels },
        entries,
        limits,
      })
      results.push(r)
      if (r.accepted > 0) stored.push({ labels: s.labels, entries: r.stored ?? entries })
    }
  }
  const stored: StoredStream[] = []
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_STREAM_CALLS, push.streams.length) }, worker))
  notifyTails(env, tenant, stored)

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
  return status === 0 ? null : { status, message: messages.join('\n') }
}
