/**
 * Starts reading an async iterable at once, so that the I/O behind the first items of many
 * streams (R2 range reads, head pages) runs concurrently instead of one stream after another
 * when a merge asks each stream for its first entry in turn.
 */
export function prefetched<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]()
  let first: Promise<IteratorResult<T>> | null = it.next()
  // A stream the evaluator never reads must not surface as an unhandled rejection.
  first.catch(() => undefined)
  return {
    [Symbol.asyncIterator]() {
      return {
        next(): Promise<IteratorResult<T>> {
          if (first) {
            const p = first
            first = null
            return p
          }
          return it.next()
        },
        return(value?: unknown): Promise<IteratorResult<T>> {
          return it.return ? it.return(value) : Promise.resolve({ done: true, value: undefined as T })
        },
      }
    },
  }
}
