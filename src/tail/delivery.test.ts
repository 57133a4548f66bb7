import { describe, expect, it } from 'vitest'
import { Delivery } from './delivery'
import type { TailEntry } from './entry'

function entries(n: number, fromMs = 0): TailEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: BigInt(fromMs + i) * 1_000_000n,
    line: `l${i}`,
    labels: { app: 'a', extra: 'x' },
    stream: { app: 'a' },
    structuredMetadata: [],
    parsed: [],
  }))
}

describe('tail delivery', () => {
  it('admits a burst of 1000 entries, then 1000 a second', () => {
    const d = new Delivery(0, false)
    expect(d.admit(1500, 0)).toBe(1000)
    expect(d.admit(10, 0)).toBe(0)
    expect(d.admit(1000, 250)).toBe(250)
    expect(d.admit(5000, 10_000)).toBe(1000)
  })

  it('lists at most 1000 dropped entries, with the labels of the chosen encoding, once', () => {
    const plain = new Delivery(0, false)
    plain.drop(entries(1200))
    const listed = plain.takeDropped()
    expect(listed).toHaveLength(1000)
    expect(listed[0]).toEqual({ ts: 0n, labels: { app: 'a', extra: 'x' } })
    expect(plain.takeDropped()).toEqual([])
    const categorized = new Delivery(0, true)
    categorized.drop(entries(1))
    expect(categorized.takeDropped()[0]!.labels).toEqual({ app: 'a' })
  })

  it('keeps at most a bucket of entries waiting for the stored ones; the rest is dropped', () => {
    const d = new Delivery(0, false)
    d.wait(entries(1100))
    expect(d.waiting).toHaveLength(1000)
    expect(d.takeDropped()).toHaveLength(100)
  })

  it('holds at most 6,000 entries back and drops the rest', () => {
    const d = new Delivery(0, false)
    expect(d.hold(entries(6100, 10_000), 0, (e) => Number(e.ts / 1_000_000n))).toEqual([])
    expect(d.delayed).toHaveLength(6000)
    expect(d.takeDropped()).toHaveLength(100)
  })

  it('holds entries until their timestamp plus the delay, releasing them oldest first', () => {
    const d = new Delivery(0, false)
    const due = (e: TailEntry): number => Number(e.ts / 1_000_000n) + 1000
    const [a, b, c] = entries(3, 500)
    expect(d.hold([c!, a!, b!], 1500, due)).toEqual([a])
    expect(d.release(1500, due)).toEqual([])
    expect(d.release(1502, due)).toEqual([b, c])
    expect(d.delayed).toEqual([])
  })
})
