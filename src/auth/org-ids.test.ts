import { describe, expect, it } from 'vitest'
import { AuthError } from './errors'
import { parseOrgIds } from './org-ids'

describe('parseOrgIds', () => {
  it.each([
    ['b|a', ['a', 'b']],
    ['a|a|b', ['a', 'b']],
    ['a|', ['', 'a']],
    ['x', ['x']],
  ])('%s', (org, want) => expect(parseOrgIds(org)).toEqual(want))

  it.each([
    ['a|b/c', "rpc error: code = Code(400) desc = tenant ID 'b/c' contains unsupported character '/'"],
    ['a | b', "rpc error: code = Code(400) desc = tenant ID 'a ' contains unsupported character ' '"],
    [`a|${'x'.repeat(151)}`, 'rpc error: code = Code(400) desc = tenant ID is too long: max 150 characters'],
  ])('refuses %s with 400', (org, text) => {
    expect(() => parseOrgIds(org)).toThrow(new AuthError(400, text))
  })
})
