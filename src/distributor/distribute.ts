/**
 * The pure distributor step: from a decoded push to validated entries grouped by canonical stream.
 * In Loki's order: parse every stream's labels (one unparseable label set fails the whole push,
 * `couldn't parse labels: ...`), add `service_name`, then per stream truncate or validate labels
 * and entries, sanitise structured metadata names, add `detected_level`, and merge streams whose
 * labels are equal. Invalid entries are dropped and reported together (400) while valid ones are
 * kept; an empty request is a 422.
 */

import { canonicalLabels, fingerprint, LabelParseError, parseLabels } from './labels'
import { normalizeLabelName } from './label-namer'
import { DETECTED_LEVEL, detectLevel, levelFieldConfig, levelFromLabels, normalizeLevel } from './level-detection'
import { DEFAULT_LOG_LEVEL_FIELDS, type ValidationLimits } from './limits'
import type { DistributedPush, DistributedStream, LabelPair, PushRequest, PushStats } from './types'
import {
  AGGREGATED_METRIC,
  entryBounds,
  groupErrors,
  MISSING_STREAMS_MSG,
  SERVICE_NAME,
  truncateUtf8,
  validateEntry,
  validateStreamLabels,
} from './validate'
import { utf8Length } from '../go/utf8'

export const UNKNOWN_SERVICE = 'unknown_service'

/**
 * Loki 3.7 normalises structured metadata names with otlptranslator's `LabelNamer{}`
 * (`_x` stays, `a..b` becomes `a_b`); a name it cannot build is kept as sent.
 */
export function normalizeMetadataName(name: string): string {
  const out = normalizeLabelName(name)
  return /^_*$/.test(out) ? name : out
}

function insertSorted(labels: LabelPair[], pair: LabelPair): LabelPair[] {
  const out = labels.slice()
  let i = 0
  while (i < out.length && out[i]![0] < pair[0]) i++
  out.splice(i, 0, pair)
  return out
}

interface ParsedStream {
  labels: LabelPair[]
  /** The level a level-like label imposes, computed on first use. */
  labelLevel?: string | undefined
  /** The stream's label text as Loki quotes it in stream-level errors. */
  text: string
  canonical: string
}

const PATTERN_LABEL = '__pattern__'

function isInternal(labels: LabelPair[]): boolean {
  for (const [n] of labels) if (n === AGGREGATED_METRIC || n === PATTERN_LABEL) return true
  return false
}

/**
 * Discovers `service_name` as `ParseLokiRequest` does; returns the labels to use, or null when
 * they stay as sent. `internal`: an internal stream (`__aggregated_metric__`, `__pattern__`) was
 * seen earlier in this push, which in Loki disables discovery for the rest of the push.
 */
function withServiceName(labels: LabelPair[], discover: readonly string[], internal: boolean): LabelPair[] | null {
  if (discover.length === 0 || internal) return null
  for (const [n] of labels) if (n === SERVICE_NAME) return null
  let service = UNKNOWN_SERVICE
  outer: for (const name of discover) {
    for (const [n, v] of labels) {
      if (n === name && v !== '') {
        service = v
        break outer
      }
    }
  }
  return insertSorted(labels, [SERVICE_NAME, service])
}

function emptyStats(): PushStats {
  return { linesReceived: 0, bytesReceived: 0, discarded: {} }
}

export function distribute(decoded: PushRequest, limits: ValidationLimits, nowMs: number): DistributedPush {
  const stats = emptyStats()
  if (decoded.streams.length === 0) {
    return { streams: [], rejected: { status: 422, message: MISSING_STREAMS_MSG }, stats }
  }

  const cache = new Map<string, ParsedStream>()
  let internal = false
  const parsed: ParsedStream[] = []
  const lineBytes: number[][] = []
  for (const s of decoded.streams) {
    let p = cache.get(s.labels)
    if (p && !internal && isInternal(p.labels)) internal = true
    if (!p) {
      let labels: LabelPair[]
      try {
        labels = parseLabels(s.labels)
      } catch (err) {
        if (err instanceof LabelParseError) {
          return { streams: [], rejected: { status: 400, message: `couldn't parse labels: ${err.message}` }, stats }
        }
        throw err
      }
      if (isInternal(labels)) internal = true
      const added = withServiceName(labels, limits.discoverServiceName, internal)
      const final = added ?? labels
      const canonical = canonicalLabels(final)
      p = { labels: final, text: added ? canonical : s.labels, canonical }
      cache.set(s.labels, p)
    }
    parsed.push(p)
    const sizes: number[] = new Array<number>(s.entries.length)
    for (let i = 0; i < s.entries.length; i++) {
      const e = s.entries[i]!
      const size = utf8Length(e.line)
      sizes[i] = size
      stats.bytesReceived += size
      if (e.metadata) for (const [n, v] of e.metadata) stats.bytesReceived += utf8Length(n) + utf8Length(v)
    }
    stats.linesReceived += s.entries.length
    lineBytes.push(sizes)
  }
  if (decoded.receivedBytes !== undefined) stats.bytesReceived = decoded.receivedBytes

  const errors: string[] = []
  const discard = (reason: string, lines: number, bytes: number): void => {
    const d = (stats.discarded[reason] ??= { lines: 0, bytes: 0 })
    d.lines += lines
    d.bytes += bytes
  }
  const bounds = entryBounds(limits, nowMs)
  const discoverLevels = limits.allowStructuredMetadata && limits.discoverLogLevels
  const levelCfg = levelFieldConfig(limits.logLevelFields, limits.logLevelFromJsonMaxDepth, DEFAULT_LOG_LEVEL_FIELDS)
  const out = new Map<string, DistributedStream>()
  const labelViolations = new Map<ParsedStream, ReturnType<typeof validateStreamLabels>>()

  decoded.streams.forEach((s, idx) => {
    if (s.entries.length === 0) return
    const p = parsed[idx]!
    const sizes = lineBytes[idx]!
    const maxLine = limits.maxLineSize
    if (limits.maxLineSizeTruncate && maxLine > 0) {
      s.entries.forEach((e, i) => {
        if (sizes[i]! > maxLine) {
          e.line = truncateUtf8(e.line, maxLine)
          sizes[i] = utf8Length(e.line)
        }
      })
    }
    let violation = labelViolations.get(p)
    if (violation === undefined) {
      violation = validateStreamLabels(p.labels, p.text, limits)
      labelViolations.set(p, violation)
    }
    if (violation) {
      errors.push(violation.message)
      discard(violation.reason, s.entries.length, sizes.reduce((a, b) => a + b, 0))
      return
    }
    if (discoverLevels && !('labelLevel' in p)) p.labelLevel = levelFromLabels(p.labels, levelCfg)
    let target = out.get(p.canonical)
    let prevTs: bigint | null = null
    for (let i = 0; i < s.entries.length; i++) {
      const e = s.entries[i]!
      const bad = validateEntry(e, sizes[i]!, p.canonical, bounds, limits)
      if (bad) {
        errors.push(bad.message)
        discard(bad.reason, 1, sizes[i]!)
        continue
      }
      let hasLevel = false
      if (e.metadata) {
        for (const pair of e.metadata) {
          pair[0] = normalizeMetadataName(pair[0])
          // Loki replaces U+FFFD (and invalid UTF-8) in metadata values with a space.
          if (pair[1].includes('\ufffd')) pair[1] = pair[1].replaceAll('\ufffd', ' ')
          if (pair[0] === DETECTED_LEVEL && discoverLevels && !hasLevel) {
            hasLevel = true
            pair[1] = normalizeLevel(pair[1])
          }
        }
      }
      if (discoverLevels && !hasLevel) {
        const level = detectLevel(p.labelLevel, e.metadata, e.line, levelCfg)
        if (level !== '') (e.metadata ??= []).push([DETECTED_LEVEL, level])
      }
      if (!target) {
        target = { labels: p.labels, canonical: p.canonical, fingerprint: fingerprint(p.canonical), entries: [] }
        out.set(p.canonical, target)
      }
      if (limits.incrementDuplicateTimestamp && prevTs !== null) {
        const last = target.entries[target.entries.length - 1]
        if (last && last.line !== e.line && (e.ts === prevTs || e.ts === last.ts)) e.ts = last.ts + 1n
        else prevTs = e.ts
      } else prevTs = e.ts
      target.entries.push(e)
    }
  })

  const rejected = errors.length > 0 ? { status: 400, message: groupErrors(errors) } : null
  return { streams: [...out.values()], rejected, stats }
}
