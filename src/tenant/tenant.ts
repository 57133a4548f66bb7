/**
 * Tenant resolution as Loki's auth middleware: with `auth_enabled` off every request belongs to
 * `fake`; with it on, `X-Scope-OrgID` is required (401 `no org id`) and validated like dskit's
 * ValidTenantID. Every read and write downstream is scoped by the tenant resolved here.
 */
import { StatusError } from '../errors/status-error'

export const SINGLE_TENANT = 'fake'
const MAX_TENANT_ID_LENGTH = 150
const SUPPORTED = /^[A-Za-z0-9!\-_.*'()]$/u

/** Returns the error text for an invalid tenant id, or null when it is valid. */
export function tenantIdError(id: string): string | null {
  for (const ch of id) {
    if (!SUPPORTED.test(ch)) return `tenant ID '${id}' contains unsupported character '${ch}'`
  }
  if (id.length > MAX_TENANT_ID_LENGTH) return `tenant ID is too long: max ${MAX_TENANT_ID_LENGTH} characters`
  if (id === '.' || id === '..') return "tenant ID is '.' or '..'"
  return null
}

export function resolveTenant(authEnabled: boolean, header: string | null): string {
  if (!authEnabled) return SINGLE_TENANT
  // dskit's middleware answers with Go's http.Error, which ends the text with a newline.
  if (header === null || header.trim() === '') throw new StatusError(401, 'no org id\n')
  const id = header.trim()
  if (id.includes('|')) throw new StatusError(400, 'multiple org IDs present')
  const err = tenantIdError(id)
  if (err) throw new StatusError(401, err)
  return id
}
