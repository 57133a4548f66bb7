/**
 * Loki's per-stream acceptance rules (pkg/ingester/stream.go): an entry equal to the stream's
 * last line is dropped silently, the per-stream rate limit applies per entry, and an entry older
 * than the highest timestamp minus max_chunk_age/2 is refused as too far behind. Refusals are
 * reported in Loki's text, at most ten lines of them.
 */
import type { IngestEntry, StreamPushRequest } from './types'
import type { TokenBucket } from './rate-limiter'
import { goTimeString, rfc3339, msToNs } from '../util/time'
import { humanizeBytes } from '../util/bytes'

const MAX_RETURNED_ERRORS = 10

export interface OrderOutcome {
  readonly accepted: IngestEntry[]
  readonly acceptedBytes: number
  readonly highestTs: bigint
  readonly lastLine: IngestEntry | null
  readonly error: { status: number; message: string } | null
  readonly discarded: Array<{ reason: string; lines: number; bytes: number }>
}

function entrySize(e: IngestEntry): number {
  let n = e.line.length
  if (e.metadata) for (const [k, v] of e.metadata) n += k.length + v.length
  return n
}

export function validateOrder(
  req: StreamPushRequest,
  entries: readonly IngestEntry[],
  highestTs: bigint,
  lastLine: IngestEntry | null,
  limiter: TokenBucket,
  now: number,
): OrderOutcome {
  const window = msToNs(req.limits.maxChunkAgeMs / 2)
  const accepted: IngestEntry[] = []
  const failures: Array<{ ts: bigint; text: string; rateLimited: boolean }> = []
  let acceptedBytes = 0
  let tooFarLines = 0
  let tooFarBytes = 0
  let limitedLines = 0
  let limitedBytes = 0
  let high = highestTs
  let last = lastLine
  for (const e of entries) {
    if (last && e.ts === last.ts && e.line === last.line) continue
    const size = entrySize(e)
    if (!limiter.allow(size, now)) {
      failures.push({
        ts: e.ts,
        rateLimited: true,
        text:
          `Per stream rate limit exceeded (limit: ${humanizeBytes(limiter.limit)}/sec) while attempting to ingest for stream ` +
          `'${req.stream.labels}' totaling ${humanizeBytes(size)}, consider splitting a stream via additional labels or ` +
          'contact your Loki administrator to see if the limit can be increased',
      })
      limitedLines++
      limitedBytes += size
      continue
    }
    const cutoff = high - window
    if (high !== 0n && e.ts < cutoff) {
      failures.push({
        ts: e.ts,
        rateLimited: false,
        text: `entry too far behind, entry timestamp is: ${rfc3339(e.ts)}, oldest acceptable timestamp is: ${rfc3339(cutoff)}`,
      })
      tooFarLines++
      tooFarBytes += size
      continue
    }
    accepted.push(e)
    acceptedBytes += e.line.length
    last = e
    if (e.ts > high) high = e.ts
  }
  const discarded: OrderOutcome['discarded'] = []
  if (tooFarLines) discarded.push({ reason: 'too_far_behind', lines: tooFarLines, bytes: tooFarBytes })
  if (limitedLines) discarded.push({ reason: 'per_stream_rate_limit', lines: limitedLines, bytes: limitedBytes })
  let error: OrderOutcome['error'] = null
  const lastFailure = failures[failures.length - 1]
  if (lastFailure) {
    const lines = failures
      .slice(0, MAX_RETURNED_ERRORS)
      .map((f) => `entry with timestamp ${goTimeString(f.ts)} ignored, reason: '${f.text}',\n`)
    const message =
      lines.join('') +
      `user '${req.stream.tenant}', total ignored: ${failures.length} out of ${entries.length} for stream: ${req.stream.labels}`
    error = { status: lastFailure.rateLimited ? 429 : 400, message }
  }
  return { accepted, acceptedBytes, highestTs: high, lastLine: last, error, discarded }
}
