/**
 * Prometheus-compatible queries of recorded-rule samples: instant vector selectors
 * (`name{label=~"re"}`) and range vector selectors (`name{…}[5m]`) with Prometheus' semantics
 * (5-minute lookback for instant vectors, left-open ranges), answered in Prometheus' vector and
 * matrix JSON. Anything else in the language is refused with a bad_data error.
 */
import { parseMatchers } from '../logql/syntax/parse'
import { parsePromDuration } from '../go/duration'
import type { LabelMatcher } from '../logql/syntax/ast'
import { formatFloat } from '../logql/template/ftoa'
import { goJson } from '../util/go-json'

export const LOOKBACK_MS = 5 * 60_000
/** Prometheus' limit on points per series of a range query. */
export const MAX_POINTS = 11_000

/** A refused query or parameter: Prometheus' bad_data answer (400). */
export class PromQueryError extends Error {
  readonly status = 400
}

export interface Selector {
  readonly matchers: readonly LabelMatcher[]
  /** Range of a range vector selector; null for an instant vector selector. */
  readonly rangeMs: number | null
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/

export function parseSelector(query: string): Selector {
  let q = query.trim()
  let rangeMs: number | null = null
  const range = /\[\s*([0-9a-zA-Z.]+)\s*\]$/.exec(q)
  if (range) {
    try {
      rangeMs = Number(parsePromDuration(range[1] as string) / 1_000_000n)
    } catch {
      throw new PromQueryError(`parse error: bad number or duration syntax: "${range[1]}"`)
    }
    if (rangeMs <= 0) throw new PromQueryError('parse error: range must be positive')
    q = q.slice(0, range.index).trimEnd()
  }
  const name = NAME.exec(q)?.[0] ?? ''
  const rest = q.slice(name.length).trim()
  if (name === '' && rest === '') throw new PromQueryError('parse error: no expression found in input')
  let matchers: LabelMatcher[] = []
  if (rest !== '') {
    if (!rest.startsWith('{') || !rest.endsWith('}')) {
      throw new PromQueryError('parse error: only vector and range vector selectors of recorded series are supported')
    }
    try {
      matchers = rest === '{}' ? [] : parseMatchers(rest)
    } catch (e) {
      throw new PromQueryError(`parse error: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  if (name !== '') {
    if (matchers.some((m) => m.name === '__name__')) throw new PromQueryError(`parse error: metric name must not be set twice: "${name}"`)
    matchers = [{ type: '=', name: '__name__', value: name }, ...matchers]
  }
  if (!matchers.some((m) => !matchesEmpty(m))) throw new PromQueryError('parse error: vector selector must contain at least one non-empty matcher')
  return { matchers, rangeMs }
}

function matchesEmpty(m: LabelMatcher): boolean {
  if (m.type === '=') return m.value === ''
  if (m.type === '!=') return m.value !== ''
  // A regex matcher matching "" counts as empty; `.*` and `` are the common cases.
  if (m.type === '=~') return m.value === '' || m.value === '.*'
  return m.value !== '' && m.value !== '.*'
}

export interface StoredSeries {
  readonly labels: Readonly<Record<string, string>>
  /** Ascending by time (ms). */
  readonly samples: ReadonlyArray<{ readonly ts: number; readonly value: number }>
}

const value = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : formatFloat(v, 'f', -1))
const seconds = (ms: number): number => ms / 1000

/** The latest sample within the lookback before `tMs`, if any. */
function at(s: StoredSeries, tMs: number): number | undefined {
  for (let i = s.samples.length - 1; i >= 0; i--) {
    const { ts, value: v } = s.samples[i] as { ts: number; value: number }
    if (ts > tMs) continue
    return ts > tMs - LOOKBACK_MS ? v : undefined
  }
  return undefined
}

export function instantResponse(sel: Selector, series: readonly StoredSeries[], tMs: number): string {
  if (sel.rangeMs !== null) {
    const from = tMs - sel.rangeMs
    const result = series
      .map((s) => ({ metric: s.labels, values: s.samples.filter((x) => x.ts > from && x.ts <= tMs).map((x) => [seconds(x.ts), value(x.value)]) }))
      .filter((s) => s.values.length > 0)
    return goJson({ status: 'success', data: { resultType: 'matrix', result } })
  }
  const result = []
  for (const s of series) {
    const v = at(s, tMs)
    if (v !== undefined) result.push({ metric: s.labels, value: [seconds(tMs), value(v)] })
  }
  return goJson({ status: 'success', data: { resultType: 'vector', result } })
}

export function rangeResponse(sel: Selector, series: readonly StoredSeries[], startMs: number, endMs: number, stepMs: number): string {
  if (sel.rangeMs !== null) throw new PromQueryError('invalid expression type "range vector" for range query, must be Scalar or instant Vector')
  const result = []
  for (const s of series) {
    const values: Array<[number, string]> = []
    for (let t = startMs; t <= endMs; t += stepMs) {
      const v = at(s, t)
      if (v !== undefined) values.push([seconds(t), value(v)])
    }
    if (values.length > 0) result.push({ metric: s.labels, values })
  }
  return goJson({ status: 'success', data: { resultType: 'matrix', result } })
}

/** A number-only expression: Prometheus' scalar for an instant query, one unlabelled series for a range. */
export function constantInstantResponse(v: number, tMs: number): string {
  return goJson({ status: 'success', data: { resultType: 'scalar', result: [seconds(tMs), value(v)] } })
}

export function constantRangeResponse(v: number, startMs: number, endMs: number, stepMs: number): string {
  const values: Array<[number, string]> = []
  for (let t = startMs; t <= endMs; t += stepMs) values.push([seconds(t), value(v)])
  return goJson({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } })
}

export function errorResponse(message: string): string {
  return goJson({ status: 'error', errorType: 'bad_data', error: message })
}
