/**
 * Runs an async task for every item of an async iterable with at most `limit` tasks in flight,
 * so reading many streams overlaps their I/O without opening all of them at once. The first
 * failure stops taking new items and is rethrown once the running tasks have settled.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>()
  const state: { failure: { error: unknown } | null } = { failure: null }
  for await (const item of items) {
    if (state.failure) break
    const p: Promise<void> = task(item).then(
      () => {
        running.delete(p)
      },
      (error: unknown) => {
        running.delete(p)
        state.failure ??= { error }
      },
    )
    running.add(p)
    if (running.size >= Math.max(1, limit)) await Promise.race(running)
  }
  await Promise.all(running)
  if (state.failure) throw state.failure.error
}
