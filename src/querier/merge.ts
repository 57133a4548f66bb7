/**
 * Merges the time-ordered entry iterators of one stream (its chunks, oldest first, then its head)
 * into one, in the query's direction. Entries sharing a timestamp keep their order: earlier
 * sources first going forward, later sources first going backward, which is push order. An
 * entry identical to one already yielded at the same timestamp is dropped: the same entry can
 * sit in a chunk and in the head while a flush is in progress, or in two chunks after a retry.
 */
import type { LogEntry } from '../logql/engine/source'

interface Cursor {
  readonly it: AsyncIterator<LogEntry>
  readonly order: number
  entry: LogEntry
}

export async function* mergeEntries(sources: ReadonlyArray<AsyncIterable<LogEntry>>, forward: boolean): AsyncGenerator<LogEntry> {
  const cursors: Cursor[] = []
  for (let i = 0; i < sources.length; i++) {
    const it = sources[i]![Symbol.asyncIterator]()
    const first = await it.next()
    if (!first.done) cursors.push({ it, order: forward ? i : -i, entry: first.value })
  }
  let groupTs: bigint | null = null
  let groupLines = new Set<string>()
  while (cursors.length > 0) {
    let best = 0
    for (let i = 1; i < cursors.length; i++) {
      const a = cursors[i]!
      const b = cursors[best]!
      const earlier = a.entry.ts === b.entry.ts ? a.order < b.order : forward ? a.entry.ts < b.entry.ts : a.entry.ts > b.entry.ts
      if (earlier) best = i
    }
    const cur = cursors[best]!
    const e = cur.entry
    if (e.ts !== groupTs) {
      groupTs = e.ts
      groupLines = new Set([e.line])
      yield e
    } else if (!groupLines.has(e.line)) {
      groupLines.add(e.line)
      yield e
    }
    const next = await cur.it.next()
    if (next.done) cursors.splice(best, 1)
    else cur.entry = next.value
  }
}
