/**
 * Loki's retention limits of one tenant: `retention_period` and the `retention_stream` rules
 * (selector, priority, period), validated as Loki validates its limits (pkg/validation/limits.go).
 */
import { parse } from 'yaml'
import { SettingsError, type Settings } from '../config/settings'
import { parseMatchers } from '../logql/syntax/parse'
import { type LabelMatcher } from '../logql/syntax/ast'
import { formatPromDuration, durationNsToMs, parsePromDuration } from '../go/duration'

const DAY_MS = 24 * 3_600_000

export interface StreamRetentionRule {
  /** As configured, for publishing the limits. */
  readonly selector: string
  readonly matchers: readonly LabelMatcher[]
  readonly priority: number
  readonly periodMs: number
}

export interface RetentionPolicy {
  readonly periodMs: number
  readonly rules: readonly StreamRetentionRule[]
}

function rule(raw: unknown): StreamRetentionRule {
  if (typeof raw !== 'object' || raw === null) throw new SettingsError('retention_stream: each rule needs selector, priority and period')
  const r = raw as { selector?: unknown; priority?: unknown; period?: unknown }
  const selector = String(r.selector ?? '')
  let matchers: LabelMatcher[]
  try {
    matchers = parseMatchers(selector, true)
  } catch (err) {
    throw new SettingsError(`invalid labels matchers: ${(err as Error).message}`)
  }
  let ns: bigint
  try {
    ns = parsePromDuration(String(r.period ?? '0s'))
  } catch (err) {
    throw new SettingsError(`retention_stream period: ${(err as Error).message}`)
  }
  const periodMs = durationNsToMs(ns)
  if (periodMs < DAY_MS) throw new SettingsError(`retention period must be >= 24h was ${formatPromDuration(ns)}`)
  return { selector, matchers, priority: Number(r.priority ?? 0), periodMs }
}

/** A tenant's retention settings: retention_period and retention_stream (YAML or JSON list). */
export function retentionPolicy(settings: Settings): RetentionPolicy {
  const text = settings.text('retention_stream').trim()
  const list = text === '' ? [] : (parse(text) as unknown)
  if (!Array.isArray(list)) throw new SettingsError('retention_stream: expected a list of rules')
  return { periodMs: settings.num('retention_period'), rules: list.map(rule) }
}

