/**
 * LogQL parse errors, formatted exactly as Loki's `logqlmodel.ParseError`: with a position,
 * `parse error at line L, col C: <msg>`; without one (validation and semantic errors raised
 * after the grammar accepted the input), `parse error : <msg>`.
 */

export class ParseError extends Error {
  readonly line: number
  readonly col: number
  readonly detail: string

  constructor(detail: string, line = 0, col = 0) {
    super(formatParseError(detail, line, col))
    this.name = 'ParseError'
    this.detail = detail
    this.line = line
    this.col = col
  }
}

export function formatParseError(detail: string, line: number, col: number): string {
  if (line === 0 && col === 0) return `parse error : ${detail}`
  return `parse error at line ${line}, col ${col}: ${detail}`
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError
}
