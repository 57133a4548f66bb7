/**
 * An in-memory `LogSource` for tests: streams held as arrays, selected with Loki's matcher
 * semantics, recording every request it receives.
 */
import { matchesLabels } from '../../src/logql/engine/matchers'
import type { LogEntry, LogSource, SelectRequest, StreamSelection, Labels } from '../../src/logql/engine/source'

export interface MemoryStream {
  readonly labels: Labels
  readonly entries: readonly LogEntry[]
}

/** Yields entries in small batches, so consumers see batch boundaries as with real storage. */
async function* iterate(entries: readonly LogEntry[]): AsyncGenerator<readonly LogEntry[]> {
  for (let i = 0; i < entries.length; i += 2) yield entries.slice(i, i + 2)
}

export class MemorySource implements LogSource {
  readonly requests: SelectRequest[] = []
  private readonly streams: MemoryStream[]

  constructor(streams: readonly MemoryStream[]) {
    // Entries are kept in timestamp order; equal timestamps keep their insertion order.
    this.streams = streams.map((s) => ({
      labels: s.labels,
      entries: s.entries
        .map((e, i) => ({ e, i }))
        .sort((a, b) => (a.e.ts < b.e.ts ? -1 : a.e.ts > b.e.ts ? 1 : a.i - b.i))
        .map((x) => x.e),
    }))
  }

  async *select(req: SelectRequest): AsyncGenerator<StreamSelection> {
    this.requests.push(req)
    for (const s of this.streams) {
      if (!matchesLabels(req.matchers, s.labels)) continue
      const inRange = s.entries.filter((e) => e.ts >= req.start && e.ts < req.end)
      if (inRange.length === 0) continue
      const ordered = req.direction === 'forward' ? inRange : [...inRange].reverse()
      yield { labels: s.labels, entries: iterate(ordered) }
    }
  }
}
