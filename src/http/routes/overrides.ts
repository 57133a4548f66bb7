/**
 * Per-tenant limits. `GET|PUT /admin/overrides` read and replace every tenant's overrides in the
 * shape of Loki's runtime config file (`overrides: {<tenant>: {<limit>: <value>}}`), so an
 * operator changes limits without a deploy; `GET /config/tenant/v1/limits` publishes the
 * requesting tenant's effective limits as Loki 3.7.6 does (YAML of its published fields).
 */
import { Hono } from 'hono'
import { parse, stringify } from 'yaml'
import type { AppEnv } from '../../env'
import { SettingsError } from '../../config/settings'
import { allOverrides, replaceOverrides, tenantSettings } from '../../overrides/overrides'
import { drilldownLimits } from '../../querier/drilldown-limits'

export const overridesRoutes = new Hono<AppEnv>()

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' }

/** Go yaml.v2's layout: sequences not indented under their key, quoted strings in single quotes. */
function goYaml(v: unknown): string {
  return stringify(v, { indentSeq: false, singleQuote: true })
}

overridesRoutes.get('/admin/overrides', async (c) => c.body(goYaml({ overrides: await allOverrides(c.env.DB) }), 200, TEXT))

overridesRoutes.put('/admin/overrides', async (c) => {
  let doc: unknown
  try {
    doc = parse(await c.req.text())
  } catch (err) {
    return c.body(`${(err as Error).message}\n`, 400, TEXT)
  }
  const overrides = doc === null ? {} : (doc as { overrides?: unknown }).overrides
  if (typeof doc !== 'object' || Array.isArray(doc) || (overrides !== undefined && overrides !== null && (typeof overrides !== 'object' || Array.isArray(overrides)))) {
    return c.body('runtime config: expected a mapping with an overrides mapping of tenants\n', 400, TEXT)
  }
  try {
    await replaceOverrides(c.env.DB, (overrides ?? {}) as Record<string, unknown>, Date.now())
  } catch (err) {
    if (err instanceof SettingsError) return c.body(`${err.message}\n`, 400, TEXT)
    throw err
  }
  return c.body(null, 204)
})

overridesRoutes.get('/config/tenant/v1/limits', async (c) => {
  const settings = await tenantSettings(c.env, c.get('tenant'))
  return c.body(goYaml(drilldownLimits(settings).limits), 200, TEXT)
})
