/**
 * `detected_level` discovery, following Loki's `FieldDetector.extractLogLevel`
 * (`pkg/distributor/field_detection.go`): a level-like stream label wins, then a level-like
 * structured metadata entry (both copied as they are), then OTLP `severity_number`, then the line:
 * a JSON object's level field (string values only, searched to `log_level_from_json_max_depth`),
 * a logfmt key matched case-insensitively, normalised (`WARN`/`warning`/`wrn` → `warn`, ...);
 * failing that, a plain substring search for level words in the whole line, else `unknown`.
 * A level wrapped in ANSI colour codes is therefore usually not found, as in Loki.
 */

import { logfmtValue } from './logfmt'
import type { LabelPair } from './types'

export const DETECTED_LEVEL = 'detected_level'
const OTLP_SEVERITY_NUMBER = 'severity_number'

function lookup(pairs: ReadonlyArray<LabelPair> | undefined, names: readonly string[]): string | undefined {
  if (!pairs || pairs.length === 0) return undefined
  for (const name of names) {
    for (const p of pairs) if (p[0] === name) return p[1]
  }
  return undefined
}

function fromSeverityNumber(text: string): string {
  if (!/^[+-]?\d+$/.test(text)) return 'info'
  const n = Number(text)
  if (n === 0) return 'unknown'
  if (n <= 4) return 'trace'
  if (n <= 8) return 'debug'
  if (n <= 12) return 'info'
  if (n <= 16) return 'warn'
  if (n <= 20) return 'error'
  if (n <= 24) return 'fatal'
  return 'unknown'
}

/** Loki's `detectLevelFromLogLine`: substring search, no word boundaries, fixed order. */
export function levelFromWords(line: string): string {
  if (line.includes('info') || line.includes('INFO')) return 'info'
  if (line.includes('err') || line.includes('ERR')) return 'error'
  if (line.includes('warn') || line.includes('WARN')) return 'warn'
  if (line.includes('CRITICAL') || line.includes('critical')) return 'critical'
  if (line.includes('debug') || line.includes('DEBUG')) return 'debug'
  return 'unknown'
}

function normalise(v: string | undefined, line: string): string {
  switch (v?.toLowerCase()) {
    case 'trace':
    case 'trc':
      return 'trace'
    case 'debug':
    case 'dbg':
      return 'debug'
    case 'info':
    case 'inf':
      return 'info'
    case 'warn':
    case 'wrn':
    case 'warning':
      return 'warn'
    case 'error':
    case 'err':
      return 'error'
    case 'critical':
      return 'critical'
    case 'fatal':
      return 'fatal'
    default:
      return levelFromWords(line)
  }
}

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0
}

function looksLikeJsonObject(line: string): boolean {
  let i = 0
  while (i < line.length && isSpaceCode(line.charCodeAt(i))) i++
  let j = line.length - 1
  while (j >= 0 && isSpaceCode(line.charCodeAt(j))) j--
  return line[i] === '{' && line[j] === '}'
}

/**
 * Depth-first search of a parsed JSON object for the first string-valued key in `fields`,
 * visiting keys in document order, nested objects up to `maxDepth` levels (0 or less: no limit).
 */
function jsonLevel(obj: Record<string, unknown>, fields: ReadonlySet<string>, depth: number, maxDepth: number): string | undefined {
  if (maxDepth > 0 && depth >= maxDepth) return undefined
  for (const key in obj) {
    const v = obj[key]
    if (typeof v === 'string') {
      if (fields.has(key)) return v
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const found = jsonLevel(v as Record<string, unknown>, fields, depth + 1, maxDepth)
      if (found !== undefined) return found
    }
  }
  return undefined
}

export interface LevelFieldConfig {
  fields: readonly string[]
  fieldSet: ReadonlySet<string>
  maxDepth: number
}

export function levelFieldConfig(fields: readonly string[], maxDepth: number, defaults: readonly string[]): LevelFieldConfig {
  const list = fields.length > 0 ? fields : defaults
  return { fields: list, fieldSet: new Set(list), maxDepth }
}

/** The level found in the line itself (JSON, logfmt or level words). */
export function levelFromLine(line: string, cfg: LevelFieldConfig): string {
  if (looksLikeJsonObject(line)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      parsed = undefined
    }
    const v =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? jsonLevel(parsed as Record<string, unknown>, cfg.fieldSet, 0, cfg.maxDepth)
        : undefined
    return normalise(v, line)
  }
  if (line.includes('=')) return normalise(logfmtValue(line, cfg.fields), line)
  return levelFromWords(line)
}

/** The `detected_level` value for one entry. */
export function detectLevel(
  labels: ReadonlyArray<LabelPair>,
  metadata: ReadonlyArray<LabelPair> | undefined,
  line: string,
  cfg: LevelFieldConfig,
): string {
  const fromLabel = lookup(labels, cfg.fields)
  if (fromLabel !== undefined) return fromLabel
  const fromMetadata = lookup(metadata, cfg.fields)
  if (fromMetadata !== undefined) return fromMetadata
  const severity = lookup(metadata, [OTLP_SEVERITY_NUMBER])
  if (severity !== undefined && severity !== '') return fromSeverityNumber(severity)
  return levelFromLine(line, cfg)
}
