import { describe, expect, it } from 'vitest'
import { GrantCache, GRANT_TTL_MS } from './grant-cache'
import type { TokenGrant } from './token-store'

const grant: TokenGrant = { hash: 'h', tenants: ['t'], scopes: new Set(['push']) }

describe('GrantCache', () => {
  it('serves a lookup until its TTL, which keeps revocation within 10 s', () => {
    expect(GRANT_TTL_MS).toBeLessThanOrEqual(10_000)
    const c = new GrantCache()
    c.set('a', grant, 1_000)
    c.set('b', null, 1_000)
    expect(c.get('a', 1_000 + GRANT_TTL_MS - 1)).toBe(grant)
    expect(c.get('b', 1_000 + GRANT_TTL_MS - 1)).toBeNull()
    expect(c.get('a', 1_000 + GRANT_TTL_MS)).toBeUndefined()
    expect(c.get('b', 1_000 + GRANT_TTL_MS)).toBeUndefined()
    expect(c.get('never', 0)).toBeUndefined()
  })

  it('forgets a deleted id at once', () => {
    const c = new GrantCache()
    c.set('a', grant, 0)
    c.delete('a')
    expect(c.get('a', 1)).toBeUndefined()
  })

  it('stays bounded, dropping the oldest lookups first', () => {
    const c = new GrantCache(5_000, 3)
    for (const id of ['a', 'b', 'c', 'd']) c.set(id, null, 0)
    expect(c.size).toBe(3)
    expect(c.get('a', 1)).toBeUndefined()
    expect(c.get('d', 1)).toBeNull()
  })
})
