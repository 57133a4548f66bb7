/**
 * Bounded concurrency over async iterables: every item runs, the limit holds, the first failure
 * stops the loop.
 */
import { describe, expect, it } from 'vitest'
import { forEachConcurrent } from './concurrency'

async function* items(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i
}

const tick = () => new Promise<void>((r) => setTimeout(r, 1))

describe('forEachConcurrent', () => {
  it('runs every item, never more than the limit at once', async () => {
    let active = 0
    let peak = 0
    const seen: number[] = []
    await forEachConcurrent(items(20), 3, async (i) => {
      active++
      peak = Math.max(peak, active)
      await tick()
      seen.push(i)
      active--
    })
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(peak).toBe(3)
  })
  it('rethrows the first failure and stops taking items', async () => {
    const started: number[] = []
    const p = forEachConcurrent(items(100), 2, async (i) => {
      started.push(i)
      await tick()
      if (i === 3) throw new Error('boom')
    })
    await expect(p).rejects.toThrow('boom')
    expect(started.length).toBeLessThan(10)
  })
})
