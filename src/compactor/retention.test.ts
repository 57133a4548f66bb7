import { describe, expect, it } from 'vitest'
import { retentionPeriodFor } from './retention'
import { retentionPolicy } from '../overrides/retention-stream'
import { Settings } from '../config/settings'

const D = 24 * 3_600_000

function policy(retentionPeriod: string, rules: unknown[]) {
  return retentionPolicy(Settings.fromVars({ retention_period: retentionPeriod, retention_stream: JSON.stringify(rules) }))
}

describe('retentionPeriodFor (Loki TenantRetentionSnapshot.RetentionPeriodFor)', () => {
  const p = policy('30d', [
    { selector: '{namespace="dev"}', priority: 1, period: '7d' },
    { selector: '{namespace="dev", app="noisy"}', priority: 2, period: '2d' },
    { selector: '{app=~"no.*"}', priority: 2, period: '1d' },
    { selector: '{app="kept"}', priority: 0, period: '90d' },
  ])

  it.each([
    ['no rule matches: the tenant period', { namespace: 'prod', app: 'x' }, 30 * D],
    ['one rule', { namespace: 'dev', app: 'x' }, 7 * D],
    ['the higher priority wins', { namespace: 'dev', app: 'kept' }, 7 * D],
    ['on equal priority the shorter period wins', { namespace: 'dev', app: 'noisy' }, 1 * D],
    ['a lower-priority rule alone', { app: 'kept' }, 90 * D],
  ])('%s', (_, labels, want) => {
    expect(retentionPeriodFor(p, labels)).toBe(want)
  })

  it('keeps everything with no period and no rule', () => {
    expect(retentionPeriodFor(policy('0s', []), { app: 'x' })).toBe(0)
  })

  it('refuses periods under 24h and bad selectors with Loki\'s texts', () => {
    expect(() => policy('0s', [{ selector: '{a="b"}', priority: 1, period: '23h' }])).toThrow('retention period must be >= 24h was 23h')
    expect(() => policy('0s', [{ selector: '{a=}', priority: 1, period: '24h' }])).toThrow('invalid labels matchers')
  })
})
