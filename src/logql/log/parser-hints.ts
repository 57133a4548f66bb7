/**
 * Parser hints for metric queries (pkg/logql/log/parser_hints.go). When a sample only needs a few
 * labels (`sum by (status) (count_over_time({...} | json [5m]))`, or none at all under `sum(...)`),
 * parsers extract just those and stop as soon as they have them, or skip parsing entirely. Besides
 * being faster this is observable, as in Loki: a line whose needed fields come before a syntax
 * error yields no `__error__`, and with no label needed a malformed line is not an error at all.
 */

import type { LabelFilter, StageExpr } from '../syntax/ast'
import { DUPLICATE_SUFFIX } from './labels'

export interface ParserHints {
  /** Parse nothing. */
  readonly noLabels: boolean
  /** The only labels worth extracting (never empty). */
  readonly required: readonly string[]
}

function withUnsuffixed(dst: string[], names: readonly string[]): void {
  for (const n of names) {
    dst.push(n)
    if (n.endsWith(DUPLICATE_SUFFIX)) dst.push(n.slice(0, -DUPLICATE_SUFFIX.length))
  }
}

/**
 * Hints from the labels the stages read, the sample grouping and the unwrapped label; null when
 * every label may be needed (no grouping, or `without`).
 */
export function parserHints(
  required: readonly string[],
  groups: readonly string[],
  without: boolean,
  noLabels: boolean,
  metricLabel: string,
): ParserHints | null {
  const all: string[] = []
  withUnsuffixed(all, required)
  withUnsuffixed(all, groups)
  withUnsuffixed(all, [metricLabel])
  const unique = [...new Set(all.filter((n) => n !== ''))]
  if (noLabels) return unique.length > 0 ? { noLabels: false, required: unique } : { noLabels: true, required: [] }
  if (without || groups.length === 0) return null
  return { noLabels: false, required: unique }
}

const TEMPLATE_FIELD = /\.([A-Za-z_][A-Za-z0-9_]*)/g

function templateFields(t: string): string[] {
  const out: string[] = []
  for (const m of t.matchAll(TEMPLATE_FIELD)) out.push(m[1] as string)
  return out
}

function filterLabels(f: LabelFilter, out: string[]): void {
  switch (f.kind) {
    case 'StringLabelFilter':
      out.push(f.matcher.name)
      return
    case 'BinaryLabelFilter':
      filterLabels(f.left, out)
      filterLabels(f.right, out)
      return
    default:
      out.push(f.name)
  }
}

/** Labels a stage reads (Loki's RequiredLabelNames). */
export function stageRequiredLabels(e: StageExpr): string[] {
  const out: string[] = []
  switch (e.kind) {
    case 'LabelFilterExpr':
      filterLabels(e.filter, out)
      break
    case 'LineFormatExpr':
      out.push(...templateFields(e.template))
      break
    case 'LabelFmtExpr':
      for (const f of e.formats) out.push(...(f.rename ? [f.value] : templateFields(f.value)))
      break
    default:
      break
  }
  return out
}
