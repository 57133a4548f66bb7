import { describe, expect, it } from 'vitest'
import { parseAuthorization } from './credentials'
import { AuthError } from './errors'

const basic = (s: string): string => `Basic ${btoa(s)}`

describe('parseAuthorization', () => {
  it.each([
    ['Bearer abc', { token: 'abc', user: null }],
    ['bearer abc', { token: 'abc', user: null }],
    [basic('tenant-1:abc'), { token: 'abc', user: 'tenant-1' }],
    [basic(':abc'), { token: 'abc', user: null }],
    [basic('t:a:b'), { token: 'a:b', user: 't' }],
  ])('%s', (header, want) => expect(parseAuthorization(header)).toEqual(want))

  it('finds nothing in an absent or blank header', () => {
    expect(parseAuthorization(null)).toBeNull()
    expect(parseAuthorization('  ')).toBeNull()
  })

  it.each(['Bearer', 'Bearer a b', 'Token abc', 'Basic !!!', basic('no-colon'), 'Bearer a, Basic b', `${basic('t:x')}, Bearer y`, 'Basic /w=='])(
    'refuses %j with 401',
    (header) => {
      try {
        parseAuthorization(header)
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(AuthError)
        expect((err as AuthError).status).toBe(401)
        expect((err as AuthError).message).toBe('invalid Authorization header')
      }
    },
  )
})
