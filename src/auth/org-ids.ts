/**
 * Several tenants in one X-Scope-OrgID, as dskit's TenantIDs reads them: split on `|`, each id
 * validated, sorted and de-duplicated. Loki answers an invalid id in such a list with 400 and the
 * text its querier hop gives it.
 */
import { tenantIdError } from '../tenant/tenant'
import { AuthError } from './errors'

export const TENANT_SEPARATOR = '|'

export function parseOrgIds(orgId: string): string[] {
  const ids = orgId.split(TENANT_SEPARATOR)
  for (const id of ids) {
    const err = tenantIdError(id)
    if (err) throw new AuthError(400, `rpc error: code = Code(400) desc = ${err}`)
  }
  return [...new Set(ids)].sort()
}

export const MULTIPLE_ORG_IDS = 'multiple org IDs present'
