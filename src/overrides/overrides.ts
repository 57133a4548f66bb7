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

interface Cached {
  readonly at: number
  readonly settings: Settings
  readonly limits: TenantLimits
}

const cache = new Map<string, Cached>()

/** Overridable keys: the per-tenant limits of Loki's limits_config. */
export function isOverridable(key: string): boolean {
  return SETTING_SPECS.some((s) => s.key === key && s.section === 'limits_config')
}

/** A setting's value as a var string: lists and objects (retention_stream, otlp_config) as JSON. */
function asVar(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** Checks one tenant's block: known per-tenant keys whose values parse; throws SettingsError. */
export function validateLimits(tenant: string, limits: unknown): TenantLimits {
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

function withOverrides(env: object, limits: TenantLimits): Settings {
  if (Object.keys(limits).length === 0) return settingsFor(env)
  const vars: Record<string, unknown> = { ...(env as VarSource) }
  for (const [k, v] of Object.entries(limits)) {
    vars[k] = Array.isArray(v) && SETTING_SPECS.find((s) => s.key === k)?.kind === 'list' ? v.join(',') : asVar(v)
  }
  return Settings.fromVars(vars)
}

async function load(env: { DB: D1Database }, tenant: string, nowMs: number): Promise<Cached> {
  const hit = cache.get(tenant)
  if (hit && nowMs - hit.at < RELOAD_MS) return hit
  const row = await dbFor(env.DB).select().from(tenantOverrides).where(eq(tenantOverrides.tenant, tenant)).get()
  const limits = row ? (JSON.parse(row.limits) as TenantLimits) : {}
  const fresh = { at: nowMs, settings: withOverrides(env, limits), limits }
  cache.set(tenant, fresh)
  return fresh
}

/** A tenant's effective settings (vars with its overrides). */
export async function tenantSettings(env: { DB: D1Database }, tenant: string, nowMs = Date.now()): Promise<Settings> {
  return (await load(env, tenant, nowMs)).settings
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
  cache.clear()
}
