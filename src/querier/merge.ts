/**
 * Merges the time-ordered entry batches of one stream's sources (its chunks, oldest first, then
 * its head) into one batch sequence, in the query's direction. Entries sharing a timestamp keep
 * their order: earlier sources first going forward, later sources first going backward, which
 * is push order. An entry identical to one already emitted at the same timestamp is dropped:
 * the same entry can sit in a chunk and in the head while a flush is in progress, or in two
 * chunks after a retried flush. Work is synchronous within batches; it awaits only when a
 * source's batch runs out.
 */
import type { LogEntry } from '../logql/engine/source'

type Batch = readonly LogEntry[]

interface Cursor {
  readonly it: AsyncIterator<Batch>
  readonly order: number
  batch: Batch
  at: number
}

/** Refills a cursor's batch; false when its source is exhausted. */
async function refill(c: Cursor): Promise<boolean> {
  for (;;) {
    const r = await c.it.next()
    if (r.done) return false
    if (r.value.length > 0) {
      c.batch = r.value
      c.at = 0
      return true
    }
  }
}

export async function* mergeEntries(sources: ReadonlyArray<AsyncIterable<Batch>>, forward: boolean): AsyncGenerator<Batch> {
  // A single source (a head, or chunks that do not overlap) holds no duplicates of its own.
  if (sources.length === 1) {
    yield* sources[0]!
    return
  }
  const cursors: Cursor[] = []
  for (let i = 0; i < sources.length; i++) {
    const c: Cursor = { it: sources[i]![Symbol.asyncIterator](), order: forward ? i : -i, batch: [], at: 0 }
    if (await refill(c)) cursors.push(c)
  }
  let groupTs: bigint | null = null
  let groupLines = new Set<string>()
  let out: LogEntry[] = []
  while (cursors.length > 1) {
    let best = 0
    for (let i = 1; i < cursors.length; i++) {
      const a = cursors[i]!
      const b = cursors[best]!
      const ea = a.batch[a.at]!
      const eb = b.batch[b.at]!
      const earlier = ea.ts === eb.ts ? a.order < b.order : forward ? ea.ts < eb.ts : ea.ts > eb.ts
      if (earlier) best = i
    }
    const cur = cursors[best]!
    const e = cur.batch[cur.at++]!
    if (e.ts !== groupTs) {
      groupTs = e.ts
      groupLines = new Set([e.line])
      out.push(e)
    } else if (!groupLines.has(e.line)) {
      groupLines.add(e.line)
      out.push(e)
    }
    if (cur.at >= cur.batch.length) {
      if (out.length > 0) {
        yield out
        out = []
      }
      if (!(await refill(cur))) cursors.splice(best, 1)
    }
  }
  const last = cursors[0]
  if (!last) {
    if (out.length > 0) yield out
    return
  }
  // One source left: only its entries at the timestamp of the last emitted group can repeat one
  // already emitted; after them its batches pass through untouched.
  while (last.at < last.batch.length) {
    const e = last.batch[last.at]!
    if (e.ts !== groupTs) break
    if (!groupLines.has(e.line)) {
      groupLines.add(e.line)
      out.push(e)
    }
    last.at++
    if (last.at >= last.batch.length && !(await refill(last))) break
  }
  if (last.at < last.batch.length) {
    if (out.length > 0) {
      yield out
      out = []
    }
    yield last.at === 0 ? last.batch : last.batch.slice(last.at)
    for (;;) {
      const r = await last.it.next()
      if (r.done) break
      if (r.value.length > 0) yield r.value
    }
  } else if (out.length > 0) yield out
}

