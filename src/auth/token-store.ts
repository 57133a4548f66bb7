/**
 * API tokens in D1: create, list, revoke, and the lookup by id that authentication uses.
 */
import { asc, eq } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { apiTokens, type ApiTokenRow } from '../db/schema'
import type { Scope } from './scopes'

/** A token as listed: everything but its hash. */
export interface TokenInfo {
  readonly id: string
  readonly name: string
  readonly tenants: readonly string[]
  readonly scopes: readonly Scope[]
  readonly createdMs: number
}

/** What authentication needs of a token. */
export interface TokenGrant {
  readonly hash: string
  readonly tenants: readonly string[]
  readonly scopes: ReadonlySet<Scope>
}

function splitScopes(text: string): Scope[] {
  return text.split(',').filter((s) => s !== '') as Scope[]
}

function toInfo(row: ApiTokenRow): TokenInfo {
  return { id: row.id, name: row.name, tenants: row.tenants.split('|'), scopes: splitScopes(row.scopes), createdMs: row.createdMs }
}

export async function insertToken(d1: D1Database, info: TokenInfo, hash: string): Promise<void> {
  await dbFor(d1).insert(apiTokens).values({
    id: info.id,
    hash,
    tenants: info.tenants.join('|'),
    scopes: info.scopes.join(','),
    name: info.name,
    createdMs: info.createdMs,
  })
}

export async function listTokens(d1: D1Database): Promise<TokenInfo[]> {
  const rows = await dbFor(d1).select().from(apiTokens).orderBy(asc(apiTokens.createdMs), asc(apiTokens.id))
  return rows.map(toInfo)
}

/** Deletes the token; false when there was none with that id. */
export async function deleteToken(d1: D1Database, id: string): Promise<boolean> {
  const deleted = await dbFor(d1).delete(apiTokens).where(eq(apiTokens.id, id)).returning({ id: apiTokens.id })
  return deleted.length > 0
}

export async function findGrant(d1: D1Database, id: string): Promise<TokenGrant | null> {
  const row = await dbFor(d1).select().from(apiTokens).where(eq(apiTokens.id, id)).get()
  if (!row) return null
  return { hash: row.hash, tenants: row.tenants.split('|'), scopes: new Set(splitScopes(row.scopes)) }
}
