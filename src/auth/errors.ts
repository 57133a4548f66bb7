/**
 * The auth component's one error type: a status (401 for who-are-you failures, 403 for
 * not-allowed, 400 for malformed admin input, 404 for an unknown token id) and a text that never
 * contains a token or a secret.
 */
export class AuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    message: string,
  ) {
    super(message)
    this.name = 'AuthError'
  }
}

export const MISSING_TOKEN = 'missing API token: send Authorization: Bearer <token> or Basic auth with the token as password'
export const BAD_AUTHORIZATION = 'invalid Authorization header'
export const INVALID_TOKEN = 'invalid API token'
export const INVALID_ADMIN_TOKEN = 'invalid admin token'
export const ADMIN_DISABLED = 'admin API disabled: the ADMIN_TOKEN secret is not set'

export function tenantNotAllowed(tenant: string): AuthError {
  return new AuthError(403, `tenant '${tenant}' is not allowed for this token`)
}

export function scopeMissing(scope: string): AuthError {
  return new AuthError(403, `token lacks the '${scope}' scope`)
}

export const ADMIN_ONLY = new AuthError(403, 'this endpoint needs the admin token')
