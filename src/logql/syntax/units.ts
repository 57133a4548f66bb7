/** Durations as LogQL's lexer reads them: Prometheus syntax first (`1h30m`, `2d`), then Go's (`1.5h`). */
import { parseGoDuration, parsePromDuration } from '../../go/duration'

export function parseLokiDuration(s: string): bigint {
  try {
    return parsePromDuration(s)
  } catch {
    return parseGoDuration(s)
  }
}
