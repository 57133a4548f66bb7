/**
 * Per-tenant overrides of limits, kept in D1 in the shape of one tenant's block of Loki's
 * runtime-config `overrides` (keys are Loki's YAML keys). A tenant's effective settings are the
 * wrangler vars with its overrides on top. Each isolate re-reads a tenant's overrides at most
 * every `per_tenant_override_period` (10s, Loki's default reload period), so a change reaches
 * every isolate within that time without a deploy.
 */
import { eq } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { tenantOverrides } from '../db/schema'
import { SETTING_SPECS, Settings, SettingsError, settingsFor, type VarSource } from '../config/settings'
import { retentionPolicy } from './retention-stream'
import { parseDeletionMode } from './deletion-mode'

export type TenantLimits = Readonly<Record<string, unknown>>

const RELOAD_MS = 10_000
const NO_OVERRIDES: TenantLimits = Object.freeze({})

interface CachedLimits {
  readonly at: number
  readonly generation: number
  readonly limits: TenantLimits
}

/** A tenant's overrides as last read, per D1 binding (every env of an isolate shares it). */
const limitsCache = new WeakMap<D1Database, Map<string, CachedLimits>>()
/** The env with a tenant's overrides applied, per env object, rebuilt when the overrides change. */
const envCache = new WeakMap<object, Map<string, { readonly limits: TenantLimits; readonly env: object }>>()
/** Bumped when this isolate replaces the overrides, so it sees its own change at once. */
let generation = 0

/** Overridable keys: the per-tenant limits of Loki's limits_config. */
function isOverridable(key: string): boolean {
  return SETTING_SPECS.some((s) => s.key === key && s.section === 'limits_config')
}

/** A setting's value as a var string: lists and objects (retention_stream, otlp_config) as JSON. */
function asVar(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** Checks one tenant's block: known per-tenant keys whose values parse; throws SettingsError. */
function validateLimits(tenant: string, limits: unknown): TenantLimits {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new SettingsError(`overrides for ${tenant}: expected a mapping of limits`)
  }
  const vars: Record<string, string> = {}
  for (const [k, v] of Object.entries(limits)) {
    if (!isOverridable(k)) throw new SettingsError(`overrides for ${tenant}: field ${k} not found in limits`)
    vars[k] = Array.isArray(v) && SETTING_SPECS.find((s) => s.key === k)?.kind === 'list' ? v.join(',') : asVar(v)
  }
  const settings = Settings.fromVars(vars)
  retentionPolicy(settings)
  parseDeletionMode(settings.text('deletion_mode'))
  return limits as TenantLimits
}

function withOverrides<E extends object>(env: E, limits: TenantLimits): E {
  if (Object.keys(limits).length === 0) return env
  const vars: Record<string, unknown> = { ...(env as VarSource) }
  for (const [k, v] of Object.entries(limits)) {
    vars[k] = Array.isArray(v) && SETTING_SPECS.find((s) => s.key === k)?.kind === 'list' ? v.join(',') : asVar(v)
  }
  return vars as E
}

/**
 * The env a tenant's requests see: bindings and vars with the tenant's overrides, so every
 * `settingsFor` below reads the tenant's limits. One D1 read per tenant per reload period.
 */
export async function tenantEnv<E extends { DB: D1Database }>(env: E, tenant: string, nowMs = Date.now()): Promise<E> {
  const limits = await limitsOf(env.DB, tenant, nowMs)
  let byTenant = envCache.get(env)
  if (!byTenant) {
    byTenant = new Map()
    envCache.set(env, byTenant)
  }
  const hit = byTenant.get(tenant)
  if (hit && hit.limits === limits) return hit.env as E
  const derived = withOverrides(env, limits)
  byTenant.set(tenant, { limits, env: derived })
  return derived
}

async function limitsOf(d1: D1Database, tenant: string, nowMs: number): Promise<TenantLimits> {
  let byTenant = limitsCache.get(d1)
  if (!byTenant) {
    byTenant = new Map()
    limitsCache.set(d1, byTenant)
  }
  const hit = byTenant.get(tenant)
  if (hit && hit.generation === generation && nowMs - hit.at < RELOAD_MS) return hit.limits
  const row = await dbFor(d1).select().from(tenantOverrides).where(eq(tenantOverrides.tenant, tenant)).get()
  const limits: TenantLimits = row ? (JSON.parse(row.limits) as TenantLimits) : NO_OVERRIDES
  byTenant.set(tenant, { at: nowMs, generation, limits })
  return limits
}

/** A tenant's effective settings (vars with its overrides). */
export async function tenantSettings(env: { DB: D1Database }, tenant: string, nowMs = Date.now()): Promise<Settings> {
  return settingsFor(await tenantEnv(env, tenant, nowMs))
}

/** Every tenant's overrides, by tenant. */
export async function allOverrides(d1: D1Database): Promise<Record<string, TenantLimits>> {
  const rows = await dbFor(d1).select().from(tenantOverrides).orderBy(tenantOverrides.tenant)
  return Object.fromEntries(rows.map((r) => [r.tenant, JSON.parse(r.limits) as TenantLimits]))
}

/** Replaces every tenant's overrides with `overrides` (Loki reloads its whole runtime config the same way). */
export async function replaceOverrides(d1: D1Database, overrides: Readonly<Record<string, unknown>>, nowMs: number): Promise<void> {
  const db = dbFor(d1)
  const rows = Object.entries(overrides).map(([tenant, limits]) => ({ tenant, limits: JSON.stringify(validateLimits(tenant, limits)), updatedMs: nowMs }))
  await db.batch([db.delete(tenantOverrides), ...rows.map((r) => db.insert(tenantOverrides).values(r))])
  generation++
}
