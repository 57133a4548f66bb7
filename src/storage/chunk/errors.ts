/**
 * The one error type of the chunk codec. Every malformed, truncated or foreign input ends in a
 * `ChunkError` with a machine-readable `code`, so callers (querier, compactor) can tell a corrupt
 * object (skip it, report it) from a bug, and never see an unbounded loop or allocation instead.
 */

export type ChunkErrorCode =
  | 'bad_magic'
  | 'unsupported_version'
  | 'unsupported_codec'
  | 'truncated'
  | 'corrupt'
  | 'checksum'
  | 'too_large'
  | 'invalid_input'

export class ChunkError extends Error {
  override readonly name = 'ChunkError'
  readonly code: ChunkErrorCode

  constructor(code: ChunkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

export function corrupt(message: string): ChunkError {
  return new ChunkError('corrupt', message)
}

export function invalid(message: string): ChunkError {
  return new ChunkError('invalid_input', message)
}
