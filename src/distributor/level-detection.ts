/**
 * `detected_level` discovery, following Loki's `FieldDetector.extractLogLevel`
 * (`pkg/distributor/field_detection.go`): a `detected_level` the client sent is kept (normalised);
 * otherwise a level-like stream label wins, then a level-like structured metadata entry (both
 * normalised: `WARN`/`warning`/`wrn` → `warn`, unknown spellings kept), then OTLP
 * `severity_number`, then the line: a JSON object's level field (string values only, searched to
 * `log_level_from_json_max_depth`) or a logfmt key matched case-insensitively; failing that, the
 * first level word standing on its own in the lower-cased line, else `unknown`. A level wrapped in
 * ANSI colour codes (`\x1b[31mERROR`) is therefore not found, as in Loki.
 */

import { jsonLevelField } from './json-level'
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

/** Go's `unicode.IsLetter/IsDigit` or `_` for one byte read as a rune (Loki looks at single bytes). */
function byteIsWordChar(b: number): boolean {
  if (b < 0x80) return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95
  if (b < 0xc0) return b === 0xaa || b === 0xb5 || b === 0xba
  return b !== 0xd7 && b !== 0xf7
}

/** The last UTF-8 byte of the character before index `i`. */
function byteBefore(s: string, i: number): number {
  const cp = s.charCodeAt(i - 1)
  return cp < 0x80 ? cp : 0x80 | (cp & 0x3f)
}

/** The first UTF-8 byte of the character at index `i`. */
function byteAt(s: string, i: number): number {
  const cp = s.codePointAt(i)!
  if (cp < 0x80) return cp
  if (cp < 0x800) return 0xc0 | (cp >> 6)
  if (cp < 0x10000) return 0xe0 | (cp >> 12)
  return 0xf0 | (cp >> 18)
}

/** Loki's `logHasBoundedLevel`: only the first occurrence counts. */
function hasBoundedWord(lower: string, word: string): boolean {
  const pos = lower.indexOf(word)
  if (pos < 0) return false
  const end = pos + word.length
  const before = pos === 0 || !byteIsWordChar(byteBefore(lower, pos))
  const after = end >= lower.length || !byteIsWordChar(byteAt(lower, end))
  return before && after
}

const LEVEL_WORDS: ReadonlyArray<[string, string]> = [
  ['trace', 'trace'],
  ['debug', 'debug'],
  ['fatal', 'fatal'],
  ['critical', 'critical'],
  ['error', 'error'],
  ['err', 'error'],
  ['warning', 'warn'],
  ['warn', 'warn'],
  ['info', 'info'],
]

/** Loki's `detectLevelFromLogLine`. */
export function levelFromWords(line: string): string {
  const lower = line.toLowerCase()
  for (const [word, level] of LEVEL_WORDS) if (hasBoundedWord(lower, word)) return level
  return 'unknown'
}

/** The canonical level for a known spelling, or undefined. */
function knownLevel(v: string): string | undefined {
  switch (v.toLowerCase()) {
    case 'trace':
    case 'trc':
      return 'trace'
    case 'debug':
    case 'dbg':
      return 'debug'
    case 'info':
    case 'inf':
    case 'information':
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
      return undefined
  }
}

/** Loki's `normalizeLogLevel`: known spellings to the canonical level, anything else unchanged. */
export function normalizeLevel(v: string): string {
  return knownLevel(v) ?? v
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

export interface LevelFieldConfig {
  fields: readonly string[]
  fieldSet: ReadonlySet<string>
  /** `fields`, lower-cased, for logfmt's case-insensitive match. */
  lowered: readonly string[]
  maxDepth: number
}

export function levelFieldConfig(fields: readonly string[], maxDepth: number, defaults: readonly string[]): LevelFieldConfig {
  const list = fields.length > 0 ? fields : defaults
  return { fields: list, fieldSet: new Set(list), lowered: list.map((f) => f.toLowerCase()), maxDepth }
}

/** The level found in the line itself (JSON, logfmt or level words). */
export function levelFromLine(line: string, cfg: LevelFieldConfig): string {
  let v: string | undefined
  if (looksLikeJsonObject(line)) {
    v = jsonLevelField(line, cfg.fieldSet, cfg.maxDepth)
  } else if (line.includes('=')) {
    v = logfmtValue(line, cfg.lowered)
  } else {
    return levelFromWords(line)
  }
  return (v !== undefined ? knownLevel(v) : undefined) ?? levelFromWords(line)
}

/** The level a stream's labels impose on all its entries (normalised), if any. */
export function levelFromLabels(labels: ReadonlyArray<LabelPair>, cfg: LevelFieldConfig): string | undefined {
  const v = lookup(labels, cfg.fields)
  return v === undefined ? undefined : normalizeLevel(v)
}

/**
 * The `detected_level` value for one entry that does not carry one yet; `labelLevel` is
 * `levelFromLabels` of its stream.
 */
export function detectLevel(
  labelLevel: string | undefined,
  metadata: ReadonlyArray<LabelPair> | undefined,
  line: string,
  cfg: LevelFieldConfig,
): string {
  if (labelLevel !== undefined) return labelLevel
  if (metadata && metadata.length > 0) {
    const fromMetadata = lookup(metadata, cfg.fields)
    if (fromMetadata !== undefined) return normalizeLevel(fromMetadata)
    const severity = lookup(metadata, [OTLP_SEVERITY_NUMBER])
    if (severity !== undefined && severity !== '') return fromSeverityNumber(severity)
  }
  return levelFromLine(line, cfg)
}
