import { describe, expect, it } from 'vitest'
import { constantTimeEqual, generateToken, secretMatches, sha256Hex, tokenId } from './token'

describe('API tokens', () => {
  it('carry their id and at least 128 random bits, never repeating', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const { id, token } = generateToken()
      expect(tokenId(token)).toBe(id)
      expect(token).toMatch(/^elk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/u)
      seen.add(token)
    }
    expect(seen.size).toBe(200)
  })

  it.each(['', 'elk_', 'elk_0123456789abcdef', 'elk_0123456789ABCDEF_' + 'a'.repeat(43), 'elk_0123456789abcdef_' + 'a'.repeat(42), 'xyz_0123456789abcdef_' + 'a'.repeat(43), `elk_0123456789abcdef_${'a'.repeat(43)} `])(
    'rejects the malformed token %j',
    (t) => expect(tokenId(t)).toBeNull(),
  )

  it('hashes with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('compares equal and unequal strings', async () => {
    expect(constantTimeEqual('abcd', 'abcd')).toBe(true)
    expect(constantTimeEqual('abcd', 'abce')).toBe(false)
    expect(constantTimeEqual('abc', 'abcd')).toBe(false)
    expect(constantTimeEqual('', '')).toBe(true)
    expect(await secretMatches('s3cret', 's3cret')).toBe(true)
    expect(await secretMatches('s3cret', 's3cret ')).toBe(false)
  })
})
