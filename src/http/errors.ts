/**
 * The one place that turns an error into an HTTP answer, so the classification and the status
 * served cannot drift (as Loki's pkg/util/server/error.go). Query errors are plain text.
 */
import { classifyError, StatusError } from '../errors/status-error'

const TEXT = 'text/plain; charset=utf-8'

/** An error with Loki's status and text, raised at the HTTP edge (parameters, auth, routing). */
export class HttpError extends StatusError {
  constructor(status: number, message: string) {
    super(status, message)
    this.name = 'HttpError'
  }
}

export interface ErrorResponse {
  readonly status: number
  readonly body: string
  readonly contentType: string
}

export function toErrorResponse(err: unknown): ErrorResponse {
  const { status, message } = classifyError(err)
  if (status === 500 && !(err instanceof StatusError)) console.error('internal error', err)
  return { status, body: message, contentType: TEXT }
}
