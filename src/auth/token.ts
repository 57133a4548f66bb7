/**
 * API token secrets: generation, the public id they carry, hashing and constant-time comparison.
 * A token reads `elk_<id>_<secret>`: the id (64 random bits, hex) names its D1 row and may be
 * logged or listed; the secret (256 random bits, base64url) is never stored, only the SHA-256 of
 * the whole token is, and the check compares digests in constant time.
 */

const PREFIX = 'elk_'
const ID_BYTES = 8
const SECRET_BYTES = 32
const TOKEN_RE = /^elk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/u

function hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '')
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n))
}

export interface NewToken {
  readonly id: string
  readonly token: string
}

/** A fresh token and its id. */
export function generateToken(): NewToken {
  const id = hex(randomBytes(ID_BYTES))
  return { id, token: `${PREFIX}${id}_${base64url(randomBytes(SECRET_BYTES))}` }
}

/** The id inside a well-formed token, or null for anything else. */
export function tokenId(token: string): string | null {
  return TOKEN_RE.exec(token)?.[1] ?? null
}

/** SHA-256 of the text, hex. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))))
}

/** Equal strings, compared in time that depends only on their lengths (used on equal-length digests). */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

/** Whether `given` is `expected`, compared through their digests so neither length nor content leaks. */
export async function secretMatches(given: string, expected: string): Promise<boolean> {
  const [g, e] = await Promise.all([sha256Hex(given), sha256Hex(expected)])
  return constantTimeEqual(g, e)
}
