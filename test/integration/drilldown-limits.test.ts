/**
 * `drilldown-limits` replayed against Loki 3.7.6's answers, auth off (default OTLP config) and auth
 * on (a custom OTLP config), with no, one, several and an empty `X-Scope-OrgID`.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import authOff from '../fixtures/drilldown-limits/auth-off.json'
import authOn from '../fixtures/drilldown-limits/auth-on.json'

interface Recorded {
  readonly authEnabled: boolean
  readonly otlpConfig: string
  readonly cases: ReadonlyArray<{ headers: Record<string, string>; status: number; contentType: string | null; body: string }>
}

interface LimitsBody {
  readonly limits: Record<string, unknown>
  readonly pattern_ingester_enabled: boolean
  readonly version: string
}

for (const [name, recorded] of [['auth off', authOff], ['auth on', authOn]] as Array<[string, Recorded]>) {
  describe(`drilldown-limits, ${name}`, () => {
    const vars = { auth_enabled: String(recorded.authEnabled), otlp_config: recorded.otlpConfig }
    for (const c of recorded.cases) {
      it(`answers ${c.status} with headers ${JSON.stringify(c.headers)}`, async () => {
        const res = await call('/loki/api/v1/drilldown-limits', { headers: { 'X-Grafana-Cache': 'private, max-age=86400', ...c.headers }, vars })
        expect(res.status).toBe(c.status)
        expect(res.headers.get('content-type')).toBe(c.contentType)
        const text = await res.text()
        if (c.status !== 200) {
          expect(text).toBe(c.body)
          return
        }
        const ours = JSON.parse(text) as LimitsBody
        const loki = JSON.parse(c.body) as LimitsBody
        expect(ours.limits).toEqual(loki.limits)
        expect(Object.keys(ours.limits)).toEqual(Object.keys(loki.limits))
        expect(JSON.stringify(ours.limits['otlp_config'])).toBe(JSON.stringify(loki.limits['otlp_config']))
        expect(ours.pattern_ingester_enabled).toBe(loki.pattern_ingester_enabled)
        expect(text.endsWith('}\n')).toBe(true)
      })
    }
  })
}

describe('drilldown-limits with tokens', () => {
  it('refuses a request without a token', async () => {
    const res = await call('/loki/api/v1/drilldown-limits', { vars: { auth_enabled: 'true', auth_tokens: 'true' } })
    expect(res.status).toBe(401)
  })
})
