/**
 * The credentials a request carries in its Authorization header: `Bearer <token>`, or Basic with
 * the tenant id as user and the token as password (as Grafana, Promtail, Alloy and logcli send).
 * Anything else, including several values joined by a repeated header, is malformed.
 */
import { AuthError, BAD_AUTHORIZATION } from './errors'

export interface Credentials {
  readonly token: string
  /** The Basic user, when one was sent and is not empty. */
  readonly user: string | null
}

function decodeBasic(b64: string): string | null {
  try {
    const bin = atob(b64)
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return null
  }
}

/** The credentials in `header`, null when there is none; throws 401 when it is malformed. */
export function parseAuthorization(header: string | null): Credentials | null {
  if (header === null || header.trim() === '') return null
  const m = /^\s*(\S+)\s+(\S+)\s*$/u.exec(header)
  if (!m) throw new AuthError(401, BAD_AUTHORIZATION)
  const scheme = (m[1] ?? '').toLowerCase()
  const value = m[2] ?? ''
  if (scheme === 'bearer') return { token: value, user: null }
  if (scheme !== 'basic') throw new AuthError(401, BAD_AUTHORIZATION)
  const decoded = decodeBasic(value)
  const colon = decoded === null ? -1 : decoded.indexOf(':')
  if (decoded === null || colon < 0) throw new AuthError(401, BAD_AUTHORIZATION)
  const user = decoded.slice(0, colon)
  return { token: decoded.slice(colon + 1), user: user === '' ? null : user }
}
