/**
 * The one error type of the distributor: an HTTP status plus Loki's exact message text, and the
 * discard reason label when Loki has one.
 */

export class PushError extends Error {
  readonly status: number
  readonly reason: string | undefined

  constructor(status: number, message: string, reason?: string) {
    super(message)
    this.name = 'PushError'
    this.status = status
    this.reason = reason
  }
}

export const REQUEST_BODY_TOO_LARGE = 'request_body_too_large'

/** Loki's `RequestBodyTooLargeErrorMsg` (413). */
export function bodyTooLarge(size: number, limit: number): PushError {
  return new PushError(
    413,
    `request body too large: ${size} bytes, limit: ${limit} bytes`,
    REQUEST_BODY_TOO_LARGE,
  )
}

/**
 * A stream's ingester call that failed or was reset: its entries were not stored, so the push
 * is answered with a status clients retry (429 when the object is overloaded, else 500), never
 * with a dropped connection. Retrying is safe: ingesters drop entries they already hold.
 */
export function ingesterFailed(labels: string, err: unknown): PushError {
  const overloaded = typeof err === 'object' && err !== null && (err as { overloaded?: unknown }).overloaded === true
  const cause = err instanceof Error ? err.message : String(err)
  return overloaded
    ? new PushError(429, `ingester for stream ${labels} is overloaded, retry the push: ${cause}`, 'ingester_overloaded')
    : new PushError(500, `failed to store the entries of stream ${labels}, retry the push: ${cause}`)
}
