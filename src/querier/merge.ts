/**
 * Merges several time-ordered entry iterators of one stream into one, in the query's direction,
 * dropping identical (timestamp, line) pairs — the same entry can sit in a chunk and in the head
 * while a flush is in progress, or in two chunks after a retried flush.
 */
import type { LogEntry } from '../logql/engine/source'

type Iter = AsyncIterator<LogEntry>

interface Cursor {
  readonly it: Iter
  entry: LogEntry
}

function before(a: LogEntry, b: LogEntry, forward: boolean): boolean {
  if (a.ts !== b.ts) return forward ? a.ts < b.ts : a.ts > b.ts
  return forward ? a.line < b.line : a.line > b.line
}

export async function* mergeEntries(sources: ReadonlyArray<AsyncIterable<LogEntry>>, forward: boolean): AsyncGenerator<LogEntry> {
  if (sources.length === 1) {
    let prev: LogEntry | null = null
    for await (const e of sources[0]!) {
      if (prev && prev.ts === e.ts && prev.line === e.line) continue
      prev = e
      yield e
    }
    return
  }
  const cursors: Cursor[] = []
  for (const s of sources) {
    const it = s[Symbol.asyncIterator]()
    const first = await it.next()
    if (!first.done) cursors.push({ it, entry: first.value })
  }
  let prev: LogEntry | null = null
  while (cursors.length > 0) {
    let best = 0
    for (let i = 1; i < cursors.length; i++) if (before(cursors[i]!.entry, cursors[best]!.entry, forward)) best = i
    const cur = cursors[best]!
    const e = cur.entry
    if (!prev || prev.ts !== e.ts || prev.line !== e.line) {
      prev = e
      yield e
    }
    const next = await cur.it.next()
    if (next.done) cursors.splice(best, 1)
    else cur.entry = next.value
  }
}
