/**
 * An in-memory `LogSource`: streams held as arrays, selected with Loki's matcher semantics
 * (fully anchored RE2 regexes, a missing label reads as ""). It serves tests and small
 * embedded uses, and records every request it receives.
 */
import { RE2JS } from 're2js'
import type { LabelMatcher } from '../syntax/ast'
import type { Labels, LogEntry, LogSource, SelectRequest, StreamSelection } from './source'

export interface MemoryStream {
  readonly labels: Labels
  readonly entries: readonly LogEntry[]
}

const regexCache = new Map<string, RE2JS>()

function anchored(re: string): RE2JS {
  let c = regexCache.get(re)
  if (!c) {
    c = RE2JS.compile(`^(?:${re})$`)
    regexCache.set(re, c)
  }
  return c
}

export function matchesLabels(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  for (const m of matchers) {
    const v = labels[m.name] ?? ''
    switch (m.type) {
      case '=':
        if (v !== m.value) return false
        break
      case '!=':
        if (v === m.value) return false
        break
      case '=~':
        if (!anchored(m.value).matches(v)) return false
        break
      case '!~':
        if (anchored(m.value).matches(v)) return false
        break
    }
  }
  return true
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
