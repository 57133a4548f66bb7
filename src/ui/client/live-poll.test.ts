import { describe, expect, it } from 'vitest'
import { pastBoundary } from './live-poll.mjs'
import { rowsOf } from './log-rows.mjs'

const rows = (values: [string, string][], labels = { app: 'a' }) => rowsOf([{ labels, values: values.map(([ts, line]) => ({ ts, line, metadata: {}, parsed: {} })) }])
const lines = (r: { line: string }[]) => r.map((x) => x.line)

describe('pastBoundary', () => {
  it('keeps everything at first and remembers the entries at the newest timestamp', () => {
    const first = pastBoundary(rows([['1', 'one'], ['3', 'three a'], ['3', 'three b']]), null)
    expect(lines(first.rows)).toEqual(['three a', 'three b', 'one'])
    expect(first.boundary?.ts).toBe('3')
    expect(first.boundary?.keys.size).toBe(2)
  })

  it('drops the entries already shown at the boundary and keeps new ones sharing its timestamp', () => {
    const { boundary } = pastBoundary(rows([['3', 'three a']]), null)
    const next = pastBoundary([...rows([['3', 'three a'], ['3', 'three b'], ['10', 'ten']]), ...rows([['3', 'three a']], { app: 'b' })], boundary)
    expect(lines(next.rows).sort()).toEqual(['ten', 'three a', 'three b'])
    expect(next.rows.find((r) => r.line === 'three a')?.labels).toEqual({ app: 'b' })
    expect(next.boundary?.ts).toBe('10')
    expect([...(next.boundary?.keys ?? [])]).toHaveLength(1)
  })

  it('adds to the boundary when the new entries share its timestamp, and keeps it when nothing is new', () => {
    const { boundary } = pastBoundary(rows([['3', 'a']]), null)
    const same = pastBoundary(rows([['3', 'a'], ['3', 'b']]), boundary)
    expect(lines(same.rows)).toEqual(['b'])
    expect(same.boundary?.keys.size).toBe(2)
    const again = pastBoundary(rows([['3', 'a'], ['3', 'b'], ['2', 'older']]), same.boundary)
    expect(again.rows).toEqual([])
    expect(again.boundary).toBe(same.boundary)
  })
})
