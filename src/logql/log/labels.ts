/**
 * The label set of one log line as it travels through a pipeline, with Loki's three categories:
 * stream (indexed) labels, structured metadata and parsed labels (pkg/logql/log/labels.go).
 * A `LabelsBuilder` is created once per stream and reset for every line; it records additions,
 * deletions and the `__error__`/`__error_details__` pair, and produces a `ProcessedLabels` (the final
 * sorted set, its canonical `{a="b", c="d"}` key and the categorized view used by the
 * `categorize-labels` encoding). Results are interned by key in a cache shared by all streams of a
 * pipeline, so an unchanged or repeated label set costs one string build and one map lookup.
 */

import { goQuote } from './go-strconv'

export const STREAM = 0
export const STRUCTURED_METADATA = 1
export const PARSED = 2
export type Category = typeof STREAM | typeof STRUCTURED_METADATA | typeof PARSED

export const ERROR_LABEL = '__error__'
export const ERROR_DETAILS_LABEL = '__error_details__'
export const DUPLICATE_SUFFIX = '_extracted'

export const ERR_JSON = 'JSONParserErr'
export const ERR_LOGFMT = 'LogfmtParserErr'
export const ERR_SAMPLE_EXTRACTION = 'SampleExtractionErr'
export const ERR_LABEL_FILTER = 'LabelFilterErr'
export const ERR_TEMPLATE_FORMAT = 'TemplateFormatErr'

type LabelRecord = Readonly<Record<string, string>>

/** The labels of one processed line. Instances are interned: equal keys mean the same object. */
export interface ProcessedLabels {
  /** Canonical Prometheus form, sorted by name: `{a="b", c="d"}`; `{}` when empty. */
  readonly key: string
  /** Every label, sorted by name. */
  readonly pairs: ReadonlyArray<readonly [string, string]>
  /** Every label (stream, structured metadata, parsed, errors) as one record. */
  readonly labels: LabelRecord
  readonly stream: LabelRecord
  readonly structuredMetadata: LabelRecord
  /** Parsed labels, plus `__error__`/`__error_details__` when set. */
  readonly parsed: LabelRecord
}

const EMPTY: LabelRecord = Object.freeze({})
const MAX_CACHED_RESULTS = 8192

/** Interning cache of results, shared by every stream of one pipeline. */
export class ResultCache {
  private readonly map = new Map<string, ProcessedLabels>()
  get(key: string): ProcessedLabels | undefined {
    return this.map.get(key)
  }
  put(key: string, r: ProcessedLabels): void {
    if (this.map.size < MAX_CACHED_RESULTS) this.map.set(key, r)
  }
}

/** Builds the canonical key of name/value pairs already sorted by name. */
export function labelsKey(names: readonly string[], values: readonly string[], n: number): string {
  if (n === 0) return '{}'
  let s = '{'
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ', '
    s += names[i] + '=' + goQuote(values[i] as string)
  }
  return s + '}'
}

/** Makes a ProcessedLabels from a plain record (sorted on the way), for callers and tests. */
export function processedFromRecord(rec: LabelRecord): ProcessedLabels {
  const names = Object.keys(rec).sort(compareNames)
  const values = names.map((n) => rec[n] as string)
  return makeResult(names, values, names.length, () => STREAM)
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function makeResult(
  names: readonly string[],
  values: readonly string[],
  n: number,
  categoryOf: (name: string) => Category,
): ProcessedLabels {
  const pairs: Array<readonly [string, string]> = []
  const labels: Record<string, string> = {}
  let stream: Record<string, string> | undefined
  let sm: Record<string, string> | undefined
  let parsed: Record<string, string> | undefined
  for (let i = 0; i < n; i++) {
    const name = names[i] as string
    const value = values[i] as string
    pairs.push([name, value])
    labels[name] = value
    const cat = name === ERROR_LABEL || name === ERROR_DETAILS_LABEL ? PARSED : categoryOf(name)
    if (cat === STREAM) (stream ??= {})[name] = value
    else if (cat === STRUCTURED_METADATA) (sm ??= {})[name] = value
    else (parsed ??= {})[name] = value
  }
  return {
    key: labelsKey(names, values, n),
    pairs,
    labels,
    stream: stream ?? EMPTY,
    structuredMetadata: sm ?? EMPTY,
    parsed: parsed ?? EMPTY,
  }
}

/** The per-stream, read-only part of a builder: the stream's own labels, sorted. */
export class BaseLabels {
  readonly names: string[]
  readonly values: string[]
  readonly map: Map<string, string>
  readonly result: ProcessedLabels

  constructor(stream: LabelRecord, cache: ResultCache) {
    this.names = Object.keys(stream).sort(compareNames)
    this.values = this.names.map((n) => stream[n] as string)
    this.map = new Map(this.names.map((n, i) => [n, this.values[i] as string]))
    const key = labelsKey(this.names, this.values, this.names.length)
    let mapKey = key + '\u0000'
    for (let i = 0; i < this.names.length; i++) mapKey += STREAM
    const cached = cache.get(mapKey)
    this.result = cached ?? makeResult(this.names, this.values, this.names.length, () => STREAM)
    if (!cached) cache.put(mapKey, this.result)
  }
}

/** Mutable label state of the line being processed; reused for every line of a stream. */
export class LabelsBuilder {
  readonly base: BaseLabels
  private readonly cache: ResultCache
  private readonly addNames: [string[], string[], string[]] = [[], [], []]
  private readonly addValues: [string[], string[], string[]] = [[], [], []]
  private readonly del: string[] = []
  private readonly extracted: string[] = []
  private err = ''
  private errDetails = ''
  private readonly bufNames: string[] = []
  private readonly bufValues: string[] = []

  constructor(base: BaseLabels, cache: ResultCache) {
    this.base = base
    this.cache = cache
  }

  reset(): void {
    this.addNames[0].length = 0
    this.addNames[1].length = 0
    this.addNames[2].length = 0
    this.addValues[0].length = 0
    this.addValues[1].length = 0
    this.addValues[2].length = 0
    this.del.length = 0
    this.extracted.length = 0
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
    names.length = 0
    values.length = 0
    this.forEach((n, v) => {
      names.push(n)
      values.push(v)
    })
    return this.intern(names, values, names.length, true)
  }

  /**
   * The labels of a sample: `by` keeps only the groups, `without` drops them, `noLabels` drops all.
   * A line with an error keeps all its labels so the error is never lost.
   */
  grouped(groups: readonly string[], without: boolean, noLabels: boolean): ProcessedLabels {
    if (this.err !== '') return this.result()
    if (noLabels) return this.intern([], [], 0, false)
    if (groups.length === 0) return this.result()
    const names = this.bufNames
    const values = this.bufValues
    names.length = 0
    values.length = 0
    if (without) {
      this.forEach((n, v) => {
        if (n === ERROR_LABEL || n === ERROR_DETAILS_LABEL || groups.includes(n)) return
        names.push(n)
        values.push(v)
      })
    } else {
      for (const g of groups) {
        const v = this.get(g)
        if (v === undefined) continue
        names.push(g)
        values.push(v)
      }
    }
    return this.intern(names, values, names.length, false)
  }

  private intern(names: string[], values: string[], n: number, categorize: boolean): ProcessedLabels {
    sortPairs(names, values, n)
    const key = labelsKey(names, values, n)
    // The cache key also carries each label's category, so equal label sets split differently
    // between stream, metadata and parsed labels stay distinct.
    let mapKey = key + '\u0000'
    if (categorize) {
      for (let i = 0; i < n; i++) mapKey += this.categoryForResult(names[i] as string)
    } else {
      mapKey += 'g'
    }
    const cached = this.cache.get(mapKey)
    if (cached) return cached
    const r = makeResult(names, values, n, categorize ? (name) => this.categoryForResult(name) : () => STREAM)
    this.cache.put(mapKey, r)
    return r
  }

  private categoryForResult(name: string): Category {
    if (name === ERROR_LABEL || name === ERROR_DETAILS_LABEL) return PARSED
    if (this.addNames[PARSED].includes(name)) return PARSED
    if (this.addNames[STRUCTURED_METADATA].includes(name)) return STRUCTURED_METADATA
    return STREAM
  }
}

/** Insertion sort of parallel name/value arrays by name; label sets are small. */
function sortPairs(names: string[], values: string[], n: number): void {
  for (let i = 1; i < n; i++) {
    const kn = names[i] as string
    const kv = values[i] as string
    let j = i - 1
    while (j >= 0 && (names[j] as string) > kn) {
      names[j + 1] = names[j] as string
      values[j + 1] = values[j] as string
      j--
    }
    names[j + 1] = kn
    values[j + 1] = kv
  }
}
