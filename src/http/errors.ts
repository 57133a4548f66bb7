/**
 * The one place that decides an error's HTTP status and body, so the classification and the
 * status served cannot drift (as Loki's pkg/util/server/error.go). Query errors are plain text.
 */
import { PushError } from '../distributor/errors'

const TEXT = 'text/plain; charset=utf-8'

/** An error with Loki's status and text, raised at the HTTP edge (parameters, auth, routing). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** Errors from other components that carry their own client status (parse, limits, pipeline). */
interface StatusCarrier {
  readonly status: number
  readonly message: string
}

function hasStatus(err: unknown): err is StatusCarrier {
  return (
    err instanceof Error &&
    'status' in err &&
    typeof (err as { status: unknown }).status === 'number' &&
    (err as { status: number }).status >= 400 &&
    (err as { status: number }).status < 600
  )
}

export interface ErrorResponse {
  readonly status: number
  readonly body: string
  readonly contentType: string
}

export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof HttpError || err instanceof PushError || hasStatus(err)) {
    return { status: err.status, body: err.message, contentType: TEXT }
  }
  if (err instanceof Error && err.name === 'ParseError') {
    return { status: 400, body: err.message, contentType: TEXT }
  }
  console.error('internal error', err)
  const message = err instanceof Error ? err.message : String(err)
  return { status: 500, body: message, contentType: TEXT }
}
