/**
 * `detected_fields` and `detected_field/{name}/values` as Loki's frontend computes them
 * (pkg/querier/queryrange/detected_fields.go): over the newest `line_limit` lines of the query,
 * each entry's structured metadata are fields without a parser; then the line is parsed as JSON
 * (or, when that fails, as logfmt) against the stream's labels, and those labels, together with
 * what the query's own parsers extracted, are fields of that parser. A field's type is guessed
 * from its value in the last entry that had it; its cardinality is the number of distinct values
 * (Loki estimates it with a HyperLogLog sketch, exact at these sizes). At most `limit` fields.
 */
import type { LogResultEntry } from '../logql/engine/log-query'
import type { Labels } from '../logql/engine/source'
import { JsonParser } from '../logql/log/json-parser'
import { LogfmtParser } from '../logql/log/logfmt'
import { BaseLabels, LabelsBuilder, PARSED } from '../logql/log/labels'
import { determineType, type FieldType } from './field-types'
import { jsonLabelPaths } from './json-paths'

export interface FieldStream {
  /** The indexed labels of the stream. */
  readonly stream: Labels
  /** Newest first. */
  readonly entries: readonly LogResultEntry[]
}

export interface DetectedField {
  readonly label: string
  readonly type: FieldType
  readonly cardinality: number
  readonly parsers: string[] | null
  readonly jsonPath?: string[]
}

const ERROR_NAMES = new Set(['__error__', '__error_details__', '__preserve_error__'])

interface FieldState {
  type: FieldType
  parsers: string[] | null
  jsonPath: string[] | undefined
  readonly values: Set<string>
}

interface ParsedEntry {
  readonly labels: Map<string, Set<string>>
  readonly parsers: string[] | null
  readonly paths: Map<string, string[]> | null
}

/** Per-stream parsing state: the stream's labels and reusable parsers. */
class EntryParser {
  private readonly json = new JsonParser()
  private readonly logfmt = new LogfmtParser(false, false)
  private readonly builders = new Map<string, LabelsBuilder>()

  constructor(private readonly stream: Labels) {}

  private builderWithout(names: readonly string[]): LabelsBuilder {
    const key = names.join('\u0000')
    let b = this.builders.get(key)
    if (!b) {
      const base: Record<string, string> = {}
      for (const [k, v] of Object.entries(this.stream)) if (!names.includes(k)) base[k] = v
      b = new LabelsBuilder(new BaseLabels(base))
      this.builders.set(key, b)
    }
    b.reset()
    return b
  }

  parse(entry: LogResultEntry): ParsedEntry {
    const labels = new Map<string, Set<string>>()
    const origNames = Object.keys(entry.parsed).sort()
    for (const n of origNames) if (!ERROR_NAMES.has(n)) labels.set(n, new Set([entry.parsed[n] as string]))
    const lbs = this.builderWithout(origNames)
    let parser = 'json'
    this.json.process(0n, entry.line, lbs)
    if (lbs.hasErr()) {
      lbs.reset()
      parser = 'logfmt'
      this.logfmt.process(0n, entry.line, lbs)
      if (lbs.hasErr()) return { labels, parsers: null, paths: null }
    }
    lbs.forEach((name, value) => {
      if (ERROR_NAMES.has(name) || lbs.categoryOf(name) !== PARSED) return
      const set = labels.get(name)
      if (set) set.add(value)
      else labels.set(name, new Set([value]))
    })
    const paths = parser === 'json' ? jsonLabelPaths(entry.line, (n) => lbs.baseHas(n)) : null
    return { labels, parsers: [parser], paths }
  }
}

function metadataValues(entry: LogResultEntry): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const [k, v] of Object.entries(entry.structuredMetadata)) out.set(k, new Set([v]))
  return out
}

/** Walks the entries in Loki's order (streams by label string, entries newest first). */
function walk(
  streams: readonly FieldStream[],
  visit: (name: string, values: ReadonlySet<string>, parsers: string[] | null, path: string[] | undefined, metadata: boolean) => void,
): void {
  for (const s of streams) {
    const parser = new EntryParser(s.stream)
    for (const e of s.entries) {
      for (const [k, vals] of metadataValues(e)) visit(k, vals, null, undefined, true)
      const parsed = parser.parse(e)
      for (const [k, vals] of parsed.labels) visit(k, vals, parsed.parsers, parsed.paths?.get(k), false)
    }
  }
}

export function detectFields(streams: readonly FieldStream[], limit: number): DetectedField[] {
  const fields = new Map<string, FieldState>()
  walk(streams, (name, values, parsers, path, metadata) => {
    let f = fields.get(name)
    if (!f) {
      if (fields.size >= limit) return
      f = { type: 'string', parsers: metadata ? [] : parsers ? [...parsers] : null, jsonPath: undefined, values: new Set() }
      fields.set(name, f)
    }
    if (!metadata && parsers) {
      const list = f.parsers ?? (f.parsers = [])
      for (const p of parsers) if (!list.includes(p)) list.push(p)
    }
    if (path && f.jsonPath === undefined) f.jsonPath = path
    let first = true
    for (const v of values) {
      if (first) {
        f.type = determineType(v)
        first = false
      }
      f.values.add(v)
    }
  })
  const out: DetectedField[] = []
  for (const [label, f] of fields) {
    const parsers = f.parsers && f.parsers.length > 0 ? f.parsers : null
    const field: DetectedField = { label, type: f.type, cardinality: f.values.size, parsers }
    out.push(f.jsonPath && parsers?.includes('json') ? { ...field, jsonPath: f.jsonPath } : field)
  }
  return out
}

/** The distinct values of one field, at most `limit`. */
export function detectFieldValues(streams: readonly FieldStream[], name: string, limit: number): string[] {
  const values = new Set<string>()
  walk(streams, (n, vals) => {
    if (n !== name) return
    for (const v of vals) if (values.size < limit) values.add(v)
  })
  return [...values]
}
