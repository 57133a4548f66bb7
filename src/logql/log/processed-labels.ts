/**
 * The result side of label handling: label categories, the error label names, Loki's canonical
 * label key (`{a="b", c="d"}`, values quoted like Go) and `ProcessedLabels`, the immutable labels of
 * one processed line with its stream / structured metadata / parsed views built on first use.
 */

import { goQuote, quotesPlainly } from '../../go/strconv'

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

const EMPTY: LabelRecord = Object.freeze({})

/** Builds the canonical key of name/value pairs already sorted by name. */
export function labelsKey(names: readonly string[], values: readonly string[], n: number): string {
  if (n === 0) return '{}'
  let s = '{'
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ', '
    s += names[i] as string
    const v = values[i] as string
    if (quotesPlainly(v)) {
      s += '="'
      s += v
      s += '"'
    } else {
      s += '='
      s += goQuote(v)
    }
  }
  return s + '}'
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The labels of one processed line: the canonical key is computed up front, the other views on
 * first use (most lines of a log query are only grouped by key).
 */
export class ProcessedLabels {
  /** Canonical Prometheus form, sorted by name: `{a="b", c="d"}`; `{}` when empty. */
  readonly key: string
  private readonly names: readonly string[]
  private readonly values: readonly string[]
  /** Category per label; null when every label is a stream label. */
  private readonly cats: Uint8Array | null
  private pairsView: ReadonlyArray<readonly [string, string]> | undefined
  private labelsView: LabelRecord | undefined
  private split: [LabelRecord, LabelRecord, LabelRecord] | undefined

  constructor(key: string, names: readonly string[], values: readonly string[], cats: Uint8Array | null) {
    this.key = key
    this.names = names
    this.values = values
    this.cats = cats
  }

  get size(): number {
    return this.names.length
  }

  /** Every label, sorted by name. */
  get pairs(): ReadonlyArray<readonly [string, string]> {
    return (this.pairsView ??= this.names.map((n, i) => [n, this.values[i] as string] as const))
  }

  /** Every label (stream, structured metadata, parsed, errors) as one record. */
  get labels(): LabelRecord {
    if (this.labelsView === undefined) {
      const rec: Record<string, string> = {}
      for (let i = 0; i < this.names.length; i++) rec[this.names[i] as string] = this.values[i] as string
      this.labelsView = rec
    }
    return this.labelsView
  }

  get stream(): LabelRecord {
    return this.categorized()[STREAM]
  }
  get structuredMetadata(): LabelRecord {
    return this.categorized()[STRUCTURED_METADATA]
  }
  /** Parsed labels, plus `__error__`/`__error_details__` when set. */
  get parsed(): LabelRecord {
    return this.categorized()[PARSED]
  }

  /** Whether this result has exactly these categories (null categories: all stream labels). */
  sameCategories(cats: readonly Category[], n: number, allStream: boolean): boolean {
    const rc = this.cats
    if (rc === null) return allStream
    if (allStream || rc.length !== n) return false
    for (let i = 0; i < n; i++) if (rc[i] !== cats[i]) return false
    return true
  }

  /** The value of one label, or undefined. */
  get(name: string): string | undefined {
    const i = this.names.indexOf(name)
    return i < 0 ? undefined : this.values[i]
  }

  private categorized(): [LabelRecord, LabelRecord, LabelRecord] {
    if (this.split) return this.split
    if (this.cats === null) return (this.split = [this.labels, EMPTY, EMPTY])
    const out: [Record<string, string> | undefined, Record<string, string> | undefined, Record<string, string> | undefined] = [
      undefined,
      undefined,
      undefined,
    ]
    for (let i = 0; i < this.names.length; i++) {
      const c = this.cats[i] as Category
      ;(out[c] ??= {})[this.names[i] as string] = this.values[i] as string
    }
    return (this.split = [out[0] ?? EMPTY, out[1] ?? EMPTY, out[2] ?? EMPTY])
  }
}

/** Makes a ProcessedLabels of stream labels from a plain record. */
export function processedFromRecord(rec: LabelRecord): ProcessedLabels {
  const names = Object.keys(rec).sort(compareNames)
  const values = names.map((n) => rec[n] as string)
  return new ProcessedLabels(labelsKey(names, values, names.length), names, values, null)
}

export function copyCats(cats: readonly Category[], n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = cats[i] as Category
  return out
}

/** Insertion sort of parallel name/value(/category) arrays by name; label sets are small. */
export function sortPairs(names: string[], values: string[], cats: Category[] | null, n: number): void {
  for (let i = 1; i < n; i++) {
    const kn = names[i] as string
    if ((names[i - 1] as string) <= kn) continue
    const kv = values[i] as string
    const kc = cats === null ? STREAM : (cats[i] as Category)
    let j = i - 1
    while (j >= 0 && (names[j] as string) > kn) {
      names[j + 1] = names[j] as string
      values[j + 1] = values[j] as string
      if (cats !== null) cats[j + 1] = cats[j] as Category
      j--
    }
    names[j + 1] = kn
    values[j + 1] = kv
    if (cats !== null) cats[j + 1] = kc
  }
}
