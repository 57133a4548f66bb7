/**
 * Label-set helpers shared by the evaluators: a canonical key for hashing series, Prometheus'
 * `labels.String()` rendering (used in error messages), Prometheus' label ordering for sorting
 * results, and the `by`/`without` projections of vector aggregations and vector matching.
 */
import { goQuote } from '../../go/strconv'
import { xxhash64 } from '../../go/xxhash64'
import type { Labels } from './source'

export const ERROR_LABEL = '__error__'
export const ERROR_DETAILS_LABEL = '__error_details__'
export const PRESERVE_ERROR_LABEL = '__preserve_error__'

const EMPTY: Labels = Object.freeze({})

export function emptyLabels(): Labels {
  return EMPTY
}

export function sortedNames(l: Labels): string[] {
  return Object.keys(l).sort(compareStrings)
}

/** Byte-wise string comparison as Go does it (code points here, which orders UTF-16 safely for BMP). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A stable identity for a label set: equal sets give equal keys. */
export function labelsKey(l: Labels): string {
  const names = sortedNames(l)
  let out = ''
  for (const n of names) out += n + '\u0000' + (l[n] ?? '') + '\u0001'
  return out
}

const UTF8 = new TextEncoder()

/**
 * Prometheus `labels.Labels.Hash()` as Loki 3.7 is built (slice labels): XXH64 of each name and
 * value followed by 0xff, names sorted. Loki orders entries of different streams sharing a
 * timestamp by this hash of their stream's labels.
 */
export function labelsHash(l: Labels): bigint {
  const parts: Uint8Array[] = []
  let n = 0
  for (const name of sortedNames(l)) {
    for (const s of [name, l[name] ?? '']) {
      const b = UTF8.encode(s)
      parts.push(b)
      n += b.length + 1
    }
  }
  const buf = new Uint8Array(n)
  let at = 0
  for (const b of parts) {
    buf.set(b, at)
    at += b.length
    buf[at++] = 0xff
  }
  return xxhash64(buf)
}

/** Prometheus `labels.Labels.String()`: `{a="1", b="2"}`, names sorted, values Go-quoted. */
export function labelsToString(l: Labels): string {
  return '{' + sortedNames(l).map((n) => `${n}=${goQuote(l[n] ?? '')}`).join(', ') + '}'
}

/** Prometheus `labels.Compare`: pairwise by name then value, the shorter set first on a tie. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = sortedNames(a)
  const bn = sortedNames(b)
  const n = Math.min(an.length, bn.length)
  for (let i = 0; i < n; i++) {
    const x = an[i] as string
    const y = bn[i] as string
    if (x !== y) return compareStrings(x, y)
    const c = compareStrings(a[x] ?? '', b[y] ?? '')
    if (c !== 0) return c
  }
  return an.length - bn.length
}

/** Keeps only the listed names (those present). */
export function keepLabels(l: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = {}
  for (const n of names) {
    const v = l[n]
    if (v !== undefined) out[n] = v
  }
  return out
}

/** Drops the listed names. */
export function dropLabels(l: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = { ...l }
  for (const n of names) delete out[n]
  return out
}

/** The output labels of a `by (...)` / `without (...)` grouping. */
export function groupLabels(l: Labels, mode: 'by' | 'without', names: readonly string[]): Labels {
  return mode === 'by' ? keepLabels(l, names) : dropLabels(l, names)
}

export function hasError(l: Labels): boolean {
  const e = l[ERROR_LABEL]
  return e !== undefined && e !== '' && l[PRESERVE_ERROR_LABEL] !== 'true'
}

/** Merges label maps left to right (later wins). */
export function mergeLabels(...parts: ReadonlyArray<Labels | undefined>): Labels {
  const out: Record<string, string> = {}
  for (const p of parts) if (p) Object.assign(out, p)
  return out
}

export function labelsFromPairs(pairs: ReadonlyArray<readonly [string, string]> | undefined): Labels {
  if (!pairs || pairs.length === 0) return EMPTY
  const out: Record<string, string> = {}
  for (const [k, v] of pairs) out[k] = v
  return out
}
