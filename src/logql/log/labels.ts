/**
 * The label set of one log line as it travels through a pipeline, with Loki's three categories:
 * stream (indexed) labels, structured metadata and parsed labels (pkg/logql/log/labels.go).
 * A `LabelsBuilder` is created once per stream and reset for every line; it records additions,
 * deletions and the `__error__`/`__error_details__` pair, and produces a `ProcessedLabels` (the final
 * sorted set, its canonical `{a="b", c="d"}` key and the categorized view used by the
 * `categorize-labels` encoding). An unchanged line returns the stream's precomputed result, and a
 * line whose labels equal the previous line's returns the same object, so consecutive lines of a
 * stream usually share one result; the record views of a result are built on first use.
 */

import type { ParserHints } from './parser-hints'
import {
  DUPLICATE_SUFFIX,
  ERROR_DETAILS_LABEL,
  ERROR_LABEL,
  PARSED,
  ProcessedLabels,
  STREAM,
  STRUCTURED_METADATA,
  copyCats,
  labelsKey,
  processedFromRecord,
  sortPairs,
  type Category,
} from './processed-labels'

export * from './processed-labels'

/** The per-stream, read-only part of a builder: the stream's own labels, sorted. */
export class BaseLabels {
  readonly names: string[]
  readonly values: string[]
  readonly map: Map<string, string>
  readonly result: ProcessedLabels

  constructor(stream: Readonly<Record<string, string>>) {
    this.result = processedFromRecord(stream)
    this.names = Object.keys(stream).sort()
    this.values = this.names.map((n) => stream[n] as string)
    this.map = new Map(this.names.map((n, i) => [n, this.values[i] as string]))
  }
}

/** Mutable label state of the line being processed; reused for every line of a stream. */
export class LabelsBuilder {
  readonly base: BaseLabels
  private readonly addNames: [string[], string[], string[]] = [[], [], []]
  private readonly addValues: [string[], string[], string[]] = [[], [], []]
  private readonly del: string[] = []
  private readonly extracted: string[] = []
  private err = ''
  private errDetails = ''
  private readonly bufNames: string[] = []
  private readonly bufValues: string[] = []
  private readonly bufCats: Category[] = []
  private lastFull: ProcessedLabels | null = null
  private lastGrouped: ProcessedLabels | null = null

  /** Parser hints of a metric query; null extracts everything. */
  readonly hints: ParserHints | null

  constructor(base: BaseLabels, hints: ParserHints | null = null) {
    this.base = base
    this.hints = hints
  }

  /** Whether parsers can skip the line: nothing is needed, or everything needed is extracted. */
  parseNothing(): boolean {
    const h = this.hints
    return h !== null && (h.noLabels || this.allRequiredExtracted())
  }

  /** Whether a parser should extract this (final) label name under the hints. */
  shouldExtract(name: string): boolean {
    const h = this.hints
    if (h === null) return true
    if (this.extracted.includes(name)) return false
    return h.required.length === 0 || h.required.includes(name)
  }

  /** Whether some needed label starts with this prefix (to skip nested JSON objects). */
  shouldExtractPrefix(prefix: string): boolean {
    const h = this.hints
    if (h === null || h.required.length === 0) return true
    for (const r of h.required) if (r.startsWith(prefix)) return true
    return false
  }

  /** Whether every label the hints ask for has been extracted from this line. */
  allRequiredExtracted(): boolean {
    const h = this.hints
    if (h === null || h.required.length === 0 || this.extracted.length < h.required.length) return false
    for (const r of h.required) if (!this.extracted.includes(r)) return false
    return true
  }

  reset(): void {
    for (let c = 0; c < 3; c++) {
      if (this.addNames[c as Category].length > 0) {
        this.addNames[c as Category].length = 0
        this.addValues[c as Category].length = 0
      }
    }
    if (this.del.length > 0) this.del.length = 0
    if (this.extracted.length > 0) this.extracted.length = 0
    this.err = ''
    this.errDetails = ''
  }

  get unchanged(): boolean {
    return (
      this.del.length === 0 &&
      this.addNames[0].length === 0 &&
      this.addNames[1].length === 0 &&
      this.addNames[2].length === 0 &&
      this.err === '' &&
      this.errDetails === ''
    )
  }

  setErr(err: string): void {
    this.err = err
  }
  getErr(): string {
    return this.err
  }
  hasErr(): boolean {
    return this.err !== ''
  }
  setErrDetails(details: string): void {
    this.errDetails = details
  }
  getErrDetails(): string {
    return this.errDetails
  }
  /** Sets `__error__` and, when given, `__error_details__`. */
  setError(err: string, details?: string): void {
    this.err = err
    if (details !== undefined) this.errDetails = details
  }

  baseHas(name: string): boolean {
    return this.base.map.has(name)
  }

  /** The label's current value, or undefined when absent (`__error__` is not a label here). */
  get(name: string): string | undefined {
    for (let c = 0; c < 3; c++) {
      const names = this.addNames[c as Category]
      for (let i = 0; i < names.length; i++) {
        if (names[i] === name) return this.addValues[c as Category][i]
      }
    }
    if (this.del.length > 0 && this.del.includes(name)) return undefined
    return this.base.map.get(name)
  }

  /** The category of a present label, or -1. */
  categoryOf(name: string): Category | -1 {
    for (let c = 0; c < 3; c++) {
      if (this.addNames[c as Category].includes(name)) return c as Category
    }
    if (this.del.includes(name)) return -1
    return this.base.map.has(name) ? STREAM : -1
  }

  /** Whether a parser already extracted this name for the current line (first value wins). */
  isExtracted(name: string): boolean {
    return this.extracted.length > 0 && this.extracted.includes(name)
  }

  /**
   * Sets a label in a category with Loki's precedence parsed > structured metadata > stream:
   * a parsed label hides the others, structured metadata hides a stream label, and setting a stream
   * label already present in a higher category does nothing.
   */
  set(category: Category, name: string, value: string): void {
    if (category === PARSED) {
      this.removeFrom(STRUCTURED_METADATA, name)
      this.removeFrom(STREAM, name)
    } else if (category === STRUCTURED_METADATA) {
      this.removeFrom(STREAM, name)
      if (this.addNames[PARSED].includes(name)) return
    } else if (this.addNames[STRUCTURED_METADATA].includes(name) || this.addNames[PARSED].includes(name)) {
      return
    }
    const names = this.addNames[category]
    const idx = names.indexOf(name)
    if (idx >= 0) {
      this.addValues[category][idx] = value
      return
    }
    names.push(name)
    this.addValues[category].push(value)
    if (category === PARSED) this.extracted.push(name)
  }

  /** A parser's extraction: the first value extracted for a name during a line wins. */
  extract(name: string, value: string): void {
    if (this.extracted.length > 0 && this.extracted.includes(name)) return
    this.set(PARSED, name, value)
  }

  /**
   * Adds a label coming from outside the stream (structured metadata, unpacked fields): a name
   * already used by a stream label gets the `_extracted` suffix; `__error__` and
   * `__error_details__` set the error instead.
   */
  add(category: Category, name: string, value: string): void {
    if (this.base.map.has(name)) name += DUPLICATE_SUFFIX
    if (name === ERROR_LABEL) {
      this.err = value
      return
    }
    if (name === ERROR_DETAILS_LABEL) {
      this.errDetails = value
      return
    }
    this.set(category, name, value)
  }

  /** Deletes a label whatever its category. */
  delete(name: string): void {
    this.removeFrom(STREAM, name)
    this.removeFrom(STRUCTURED_METADATA, name)
    this.removeFrom(PARSED, name)
    this.del.push(name)
  }

  private removeFrom(category: Category, name: string): void {
    const names = this.addNames[category]
    if (names.length === 0) return
    const idx = names.indexOf(name)
    if (idx < 0) return
    names.splice(idx, 1)
    this.addValues[category].splice(idx, 1)
  }

  /**
   * Calls fn for every current label (stream labels first, then structured metadata, then parsed
   * labels, then `__error__`/`__error_details__`), unsorted.
   */
  forEach(fn: (name: string, value: string) => void): void {
    const { names, values } = this.base
    const addS = this.addNames[STREAM]
    const addM = this.addNames[STRUCTURED_METADATA]
    const addP = this.addNames[PARSED]
    for (let i = 0; i < names.length; i++) {
      const n = names[i] as string
      if (this.del.length > 0 && this.del.includes(n)) continue
      if (addM.length > 0 && addM.includes(n)) continue
      if (addP.length > 0 && addP.includes(n)) continue
      const si = addS.length > 0 ? addS.indexOf(n) : -1
      fn(n, si >= 0 ? (this.addValues[STREAM][si] as string) : (values[i] as string))
    }
    for (let i = 0; i < addM.length; i++) {
      const n = addM[i] as string
      if (addP.length > 0 && addP.includes(n)) continue
      fn(n, this.addValues[STRUCTURED_METADATA][i] as string)
    }
    for (let i = 0; i < addP.length; i++) fn(addP[i] as string, this.addValues[PARSED][i] as string)
    if (this.err !== '') fn(ERROR_LABEL, this.err)
    if (this.errDetails !== '') fn(ERROR_DETAILS_LABEL, this.errDetails)
  }

  /** All current labels as a fresh record (the data given to templates). */
  toRecord(): Record<string, string> {
    const rec: Record<string, string> = {}
    this.forEach((n, v) => {
      rec[n] = v
    })
    return rec
  }

  /** The final labels of the line. */
  result(): ProcessedLabels {
    if (this.unchanged) return this.base.result
    const names = this.bufNames
    const values = this.bufValues
    const cats = this.bufCats
    let n = 0
    const { names: bn, values: bv } = this.base
    const addS = this.addNames[STREAM]
    const addM = this.addNames[STRUCTURED_METADATA]
    const addP = this.addNames[PARSED]
    const del = this.del
    for (let i = 0; i < bn.length; i++) {
      const name = bn[i] as string
      if ((del.length > 0 && del.includes(name)) || (addM.length > 0 && addM.includes(name)) || (addP.length > 0 && addP.includes(name))) {
        continue
      }
      const si = addS.length > 0 ? addS.indexOf(name) : -1
      names[n] = name
      values[n] = si >= 0 ? (this.addValues[STREAM][si] as string) : (bv[i] as string)
      cats[n++] = STREAM
    }
    for (let i = 0; i < addM.length; i++) {
      const name = addM[i] as string
      if (addP.length > 0 && addP.includes(name)) continue
      names[n] = name
      values[n] = this.addValues[STRUCTURED_METADATA][i] as string
      cats[n++] = STRUCTURED_METADATA
    }
    for (let i = 0; i < addP.length; i++) {
      names[n] = addP[i] as string
      values[n] = this.addValues[PARSED][i] as string
      cats[n++] = PARSED
    }
    if (this.err !== '') {
      names[n] = ERROR_LABEL
      values[n] = this.err
      cats[n++] = PARSED
    }
    if (this.errDetails !== '') {
      names[n] = ERROR_DETAILS_LABEL
      values[n] = this.errDetails
      cats[n++] = PARSED
    }
    sortPairs(names, values, cats, n)
    const key = labelsKey(names, values, n)
    let allStream = true
    for (let i = 0; i < n; i++) {
      if (cats[i] !== STREAM) {
        allStream = false
        break
      }
    }
    const last = this.lastFull
    if (last !== null && last.key === key && last.sameCategories(cats, n, allStream)) return last
    const r = new ProcessedLabels(key, names.slice(0, n), values.slice(0, n), allStream ? null : copyCats(cats, n))
    this.lastFull = r
    return r
  }

  /**
   * The labels of a sample: `by` keeps only the groups, `without` drops them, `noLabels` drops all.
   * A line with an error keeps all its labels so the error is never lost.
   */
  grouped(groups: readonly string[], without: boolean, noLabels: boolean): ProcessedLabels {
    if (this.err !== '') return this.result()
    if (noLabels) return EMPTY_RESULT
    if (groups.length === 0) return this.result()
    const names = this.bufNames
    const values = this.bufValues
    let n = 0
    if (without) {
      this.forEach((name, v) => {
        if (name === ERROR_LABEL || name === ERROR_DETAILS_LABEL || groups.includes(name)) return
        names[n] = name
        values[n++] = v
      })
    } else {
      for (const g of groups) {
        const v = this.get(g)
        if (v === undefined) continue
        names[n] = g
        values[n++] = v
      }
    }
    sortPairs(names, values, null, n)
    const key = labelsKey(names, values, n)
    const last = this.lastGrouped
    if (last !== null && last.key === key) return last
    const r = new ProcessedLabels(key, names.slice(0, n), values.slice(0, n), null)
    this.lastGrouped = r
    return r
  }
}

const EMPTY_RESULT = new ProcessedLabels('{}', [], [], null)
