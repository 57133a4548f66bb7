/**
 * Operational endpoints: readiness, build info, the effective configuration as Loki-style YAML,
 * the service list and the Prometheus metrics of this isolate.
 */
import { Hono } from 'hono'
import { stringify } from 'yaml'
import type { AppEnv } from '../../env'
import { SETTING_SPECS, settingsFor } from '../../config/settings'
import { renderMetrics } from '../../metrics/registry'
import { referencedChunkBytes } from '../../storage/chunk-store'
import { VERSION } from '../../version'

export const adminRoutes = new Hono<AppEnv>()

adminRoutes.get('/ready', (c) => c.text('ready'))

adminRoutes.get('/loki/api/v1/status/buildinfo', (c) =>
  c.json({
    version: VERSION,
    revision: '',
    branch: 'main',
    buildUser: '',
    buildDate: '',
    goVersion: '',
  }),
)

adminRoutes.get('/config', (c) => {
  const settings = settingsFor(c.env)
  const mode = c.req.query('mode')
  const sections: Record<string, Record<string, unknown>> = {}
  let top: Record<string, unknown> = {}
  for (const spec of SETTING_SPECS) {
    const text = settings.text(spec.key)
    if (mode === 'diffs' && text === spec.default) continue
    const shown = mode === 'defaults' ? spec.default : text
    const value = spec.kind === 'bool' ? shown === 'true' : spec.kind === 'int' || spec.kind === 'float' ? Number(shown) : shown
    if (spec.section === 'auth') top = { ...top, [spec.key]: value }
    else (sections[spec.section] ??= {})[spec.key] = value
  }
  return c.body(stringify({ ...top, ...sections }), 200, { 'Content-Type': 'text/plain; charset=utf-8' })
})

const SERVICES = ['server', 'distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'index-gateway']

adminRoutes.get('/services', (c) => c.text(SERVICES.map((s) => `${s} => Running`).join('\n') + '\n'))

adminRoutes.get('/metrics', async (c) => {
  const stored = await referencedChunkBytes(c.env.DB)
  const gauges = [
    '# HELP edgeloki_r2_bytes_stored Bytes of chunk data in R2 referenced by the index.',
    '# TYPE edgeloki_r2_bytes_stored gauge',
    `edgeloki_r2_bytes_stored ${stored.bytes}`,
    '# HELP edgeloki_chunks_stored Chunks referenced by the index.',
    '# TYPE edgeloki_chunks_stored gauge',
    `edgeloki_chunks_stored ${stored.chunks}`,
    '# HELP edgeloki_chunk_raw_bytes_stored Line and structured metadata bytes held in those chunks.',
    '# TYPE edgeloki_chunk_raw_bytes_stored gauge',
    `edgeloki_chunk_raw_bytes_stored ${stored.rawBytes}`,
  ]
  return c.body(renderMetrics() + gauges.join('\n') + '\n', 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
})
