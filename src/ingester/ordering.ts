/**
 * Loki's per-stream acceptance rules (pkg/ingester/stream.go): an entry equal to the stream's
 * last line is dropped silently, the per-stream rate limit applies per entry, and an entry older
 * than the highest timestamp minus max_chunk_age/2 is refused as too far behind. Refusals are
 * reported in Loki's text, at most ten lines of them.
 */
import type { IngestEntry, StreamPushRequest } from './types'
import type { TokenBucket } from './rate-limiter'
import { goTimeString, rfc3339, msToNs } from '../util/time'
import { humanizeBytes } from '../go/bytes'

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
  const lastFailure = failures[failures.length - 1]
  const error = lastFailure ? { status: lastFailure.rateLimited ? 429 : 400, message: failureText(req, failures, failures.length, entries.length) } : null
  return { accepted, acceptedBytes, highestTs: high, lastLine: last, error, discarded }
}

/** Loki's text for a push's refused entries: at most ten of them, then the totals. */
function failureText(
  req: StreamPushRequest,
  failures: ReadonlyArray<{ ts: bigint; text: string }>,
  ignored: number,
  total: number,
): string {
  const lines = failures
    .slice(0, MAX_RETURNED_ERRORS)
    .map((f) => `entry with timestamp ${goTimeString(f.ts)} ignored, reason: '${f.text}',\n`)
  return lines.join('') + `user '${req.stream.tenant}', total ignored: ${ignored} out of ${total} for stream: ${req.stream.labels}`
}

/**
 * A push refused whole because the stream's unflushed head would exceed its memory bound: 429 in
 * the shape of Loki's per-stream rate limit refusal, so clients back off and retry as they do
 * for that one.
 */
export function memoryRefusal(
  req: StreamPushRequest,
  entries: readonly IngestEntry[],
  limitBytes: number,
): Pick<OrderOutcome, 'error' | 'discarded'> {
  let bytes = 0
  for (const e of entries) bytes += entrySize(e)
  const failures = entries.slice(0, MAX_RETURNED_ERRORS).map((e) => ({
    ts: e.ts,
    text:
      `Per stream memory limit exceeded (limit: ${humanizeBytes(limitBytes)}) while attempting to ingest for stream ` +
      `'${req.stream.labels}' totaling ${humanizeBytes(entrySize(e))}, the stream's unflushed entries are being flushed, retry the push`,
  }))
  return {
    error: { status: 429, message: failureText(req, failures, entries.length, entries.length) },
    discarded: [{ reason: 'per_stream_memory_limit', lines: entries.length, bytes }],
  }
}
