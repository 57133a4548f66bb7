/**
 * Typed errors of query evaluation. Each carries the HTTP status Loki answers with and Loki's
 * message text, so the HTTP layer only maps `status` and writes `message` as a plain-text body.
 * Loki returns 400 for pipeline and limit errors and 500 for evaluation errors it does not
 * classify (for example vector matching conflicts).
 */
import type { Labels } from './source'
import { labelsToString } from './labels'

export class QueryError extends Error {
  readonly status: number

  constructor(message: string, status = 400) {
    super(message)
    this.name = 'QueryError'
    this.status = status
  }
}

/** A metric query whose samples still carry `__error__` (Loki's `logqlmodel.PipelineError`). */
export class PipelineError extends QueryError {
  readonly errorType: string
  readonly series: Labels

  constructor(series: Labels) {
    const errorType = series.__error__ ?? ''
    super(
      `pipeline error: '${errorType}' for series: '${labelsToString(series)}'.\n` +
        `Use a label filter to intentionally skip this error. (e.g | __error__!="${errorType}").\n` +
        'To skip all potential errors you can match empty errors.(e.g __error__="")\n' +
        'The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )\n',
      400,
    )
    this.name = 'PipelineError'
    this.errorType = errorType
    this.series = series
  }
}

/** A query limit was exceeded (series, entries...). */
export class LimitError extends QueryError {
  constructor(message: string) {
    super(message, 400)
    this.name = 'LimitError'
  }
}

export function seriesLimitError(limit: number): LimitError {
  return new LimitError(
    `maximum number of series (${limit}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()`,
  )
}

/** Evaluation failures Loki does not classify as user errors: they come back as 500. */
export class EvaluationError extends QueryError {
  constructor(message: string) {
    super(message, 500)
    this.name = 'EvaluationError'
  }
}

export const ERR_UNSUPPORTED_INSTANT_LOG_QUERY =
  'log queries are not supported as an instant query type, please change your query to a range query type'

/** The error to raise when an evaluation's AbortSignal fires: its reason, or Loki's 499. */
export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason
  if (r instanceof Error && r.name !== 'AbortError') return r
  return new QueryError('the request was cancelled by the client', 499)
}

export function samplesLimitError(limit: number, series: number, steps: number): LimitError {
  return new LimitError(
    `the query would hold more than ${limit} samples in memory (${series} series × ${steps} steps); reduce the time range, increase the step or aggregate with sum(), count() or topk()`,
  )
}
