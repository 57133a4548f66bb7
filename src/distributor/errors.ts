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
