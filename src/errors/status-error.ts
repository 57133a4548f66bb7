/**
 * Errors that carry the status Loki answers them with and Loki's text, for every component below
 * the HTTP layer; `http/errors.ts` turns them into responses. A component's own error class only
 * needs a numeric `status` (400-599) beside its message to be classified; anything else is a 500.
 */

export class StatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'StatusError'
  }
}

/** An error's status and Loki text. */
export interface ClassifiedError {
  readonly status: number
  readonly message: string
}

function carriesStatus(err: unknown): err is ClassifiedError {
  if (!(err instanceof Error) || !('status' in err)) return false
  const status = (err as { status: unknown }).status
  return typeof status === 'number' && status >= 400 && status < 600
}

/** The status an error is answered with: its own, 400 for a LogQL parse error, else 500. */
export function classifyError(err: unknown): ClassifiedError {
  if (carriesStatus(err)) return { status: err.status, message: err.message }
  if (err instanceof Error && err.name === 'ParseError') return { status: 400, message: err.message }
  return { status: 500, message: err instanceof Error ? err.message : String(err) }
}
