/**
 * The query frontend's request limits, with Loki's texts: the time range a query may span
 * (`max_query_length`) and the entries it may ask for (`max_entries_limit_per_query`).
 */
import type { Settings } from '../config/settings'
import { formatGoDuration, formatPromDuration, durationMsToNs } from '../go/duration'

/** A request over a frontend limit: a client error (400). */
export class QueryLimitError extends Error {
  readonly status = 400
  constructor(message: string) {
    super(message)
    this.name = 'QueryLimitError'
  }
}

/** `lengthNs` is the length Loki's frontend measures (millisecond bounds, saturating). */
export function checkQueryLength(settings: Settings, lengthNs: bigint): void {
  const limitNs = durationMsToNs(settings.num('max_query_length'))
  if (limitNs > 0n && lengthNs > limitNs) {
    throw new QueryLimitError(
      `the query time range exceeds the limit (query length: ${formatGoDuration(lengthNs)}, limit: ${formatPromDuration(limitNs)})`,
    )
  }
}

export function checkEntriesLimit(settings: Settings, limit: number): void {
  const max = settings.num('max_entries_limit_per_query')
  if (max > 0 && limit > max) {
    throw new QueryLimitError(`max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${max})`)
  }
}
