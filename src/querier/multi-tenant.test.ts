import { describe, expect, it } from 'vitest'
import type { LabelMatcher } from '../logql/syntax/ast'
import { MemorySource } from '../../test/support/memory-source'
import { filterTenants, MultiTenantSource, withTenant } from './multi-tenant'

const m = (type: LabelMatcher['type'], name: string, value: string): LabelMatcher => ({ type, name, value })

describe('filterTenants', () => {
  it.each([
    [[m('=', 'app', 'x')], ['a', 'b', 'c'], [m('=', 'app', 'x')]],
    [[m('=', '__tenant_id__', 'b'), m('=', 'app', 'x')], ['b'], [m('=', 'app', 'x')]],
    [[m('!=', '__tenant_id__', 'b')], ['a', 'c'], []],
    [[m('=~', '__tenant_id__', 'a|c'), m('!~', '__tenant_id__', 'c')], ['a'], []],
    [[m('=', '__tenant_id__', 'z')], [], []],
  ])('%j', (matchers, tenants, rest) => {
    expect(filterTenants(['a', 'b', 'c'], matchers)).toEqual({ tenants, matchers: rest })
  })
})

describe('withTenant', () => {
  it('adds the label unless the stream has it', () => {
    expect(withTenant({ app: 'x' }, 't')).toEqual({ app: 'x', __tenant_id__: 't' })
    expect(withTenant({ __tenant_id__: 'own' }, 't')).toEqual({ __tenant_id__: 'own' })
  })
})

describe('MultiTenantSource', () => {
  const stats = { streamsSelected: 1, headCalls: 0, chunksRef: 2, chunksRead: 0, linesScanned: 5, bytesScanned: 7 }
  const tenant = (line: string): MemorySource & { stats: typeof stats } =>
    Object.assign(new MemorySource([{ labels: { app: 'x' }, entries: [{ ts: 5n, line }] }]), { stats })

  it('reads the chosen tenants with the other matchers and labels their streams', async () => {
    const a = tenant('of a')
    const b = tenant('of b')
    const src = new MultiTenantSource(new Map([['a', a], ['b', b]]))
    const got: Array<[Record<string, string>, string[]]> = []
    const req = { matchers: [m('=', 'app', 'x'), m('!=', '__tenant_id__', 'a')], lineFilters: [], start: 0n, end: 10n, direction: 'forward' as const }
    for await (const s of src.select(req)) {
      const lines: string[] = []
      for await (const batch of s.entries) for (const e of batch) lines.push(e.line)
      got.push([{ ...s.labels }, lines])
    }
    expect(got).toEqual([[{ app: 'x', __tenant_id__: 'b' }, ['of b']]])
    expect(a.requests).toEqual([])
    expect(b.requests.map((r) => r.matchers)).toEqual([[m('=', 'app', 'x')]])
    expect(src.stats).toEqual({ streamsSelected: 2, headCalls: 0, chunksRef: 4, chunksRead: 0, linesScanned: 10, bytesScanned: 14 })
  })
})
