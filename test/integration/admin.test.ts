import { describe, expect, it } from 'vitest'
import { call, nowNs, pushJson } from '../helpers'

describe('admin endpoints', () => {
  it('reports ready', async () => {
    const res = await call('/ready')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ready')
  })

  it('serves flat build info', async () => {
    const body = (await (await call('/loki/api/v1/status/buildinfo')).json()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'])
  })

  it('shows effective settings under Loki key names, with overrides', async () => {
    const text = await (await call('/config', { vars: { max_line_size: '1234' } })).text()
    expect(text).toContain('auth_enabled: false')
    expect(text).toContain('limits_config:')
    expect(text).toContain('max_line_size: 1234')
    expect(text).toContain('reject_old_samples_max_age: 1w')
    const diffs = await (await call('/config?mode=diffs', { vars: { max_line_size: '1234' } })).text()
    expect(diffs).toContain('max_line_size: 1234')
    expect(diffs).not.toContain('reject_old_samples')
  })

  it('counts received and discarded lines in /metrics', async () => {
    const before = await (await call('/metrics')).text()
    await pushJson([{ stream: { app: 'metered' }, values: [[nowNs(-10), 'counted line']] }])
    await pushJson([{ stream: { app: 'metered' }, values: [[nowNs(-10), 'y'.repeat(50)]] }], { vars: { max_line_size: '10' } })
    const after = await (await call('/metrics')).text()
    const value = (text: string, series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(series + ' '))
      return line ? Number(line.slice(series.length + 1)) : 0
    }
    expect(value(after, 'loki_distributor_lines_received_total{tenant="fake"}')).toBe(
      value(before, 'loki_distributor_lines_received_total{tenant="fake"}') + 2,
    )
    expect(value(after, 'loki_discarded_samples_total{reason="line_too_long",tenant="fake"}')).toBe(
      value(before, 'loki_discarded_samples_total{reason="line_too_long",tenant="fake"}') + 1,
    )
    expect(after).toContain('# TYPE edgeloki_do_rows_written_total counter')
  })

  it('answers unknown routes with 404', async () => {
    const res = await call('/loki/api/v1/nope')
    expect(res.status).toBe(404)
  })
})
