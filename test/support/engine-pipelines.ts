/**
 * A small `PipelineFactory` for the evaluator's own tests: line filters `|=`/`!=`, a `logfmt`
 * parser for `k=v` lines (a line without `=` gets `__error__="LogfmtParserErr"`), string label
 * filters and unwrap of numeric labels. Structured metadata joins the labels as Loki does.
 */
import type { LabelFilter, RangeAggregationExpr, StageExpr } from '../../src/logql/syntax/ast'
import type { EntryLabels, LinePipeline, MetadataPairs, PipelineFactory, SampleExtractor } from '../../src/logql/engine/ports'
import type { Labels } from '../../src/logql/engine/source'

function applyStages(stages: readonly StageExpr[], stream: Labels, line: string, md: MetadataPairs): EntryLabels | null {
  const structuredMetadata: Record<string, string> = {}
  for (const [k, v] of md ?? []) structuredMetadata[k] = v
  const parsed: Record<string, string> = {}
  const all = (): Record<string, string> => ({ ...stream, ...structuredMetadata, ...parsed })
  for (const s of stages) {
    if (s.kind === 'LineFilterExpr') {
      const terms = [s.match, ...s.or.map((t) => t.match)]
      const hit = terms.some((t) => line.includes(t))
      if (s.op === '|=' ? !hit : hit) return null
    } else if (s.kind === 'LabelParserExpr' && s.op === 'logfmt') {
      if (!line.includes('=')) parsed.__error__ = 'LogfmtParserErr'
      for (const part of line.split(' ')) {
        const eq = part.indexOf('=')
        if (eq > 0) parsed[part.slice(0, eq)] = part.slice(eq + 1)
      }
    } else if (s.kind === 'LabelFilterExpr') {
      if (!matchFilter(s.filter, all())) return null
    }
  }
  return { labels: all(), stream, structuredMetadata, parsed }
}

function matchFilter(f: LabelFilter, l: Labels): boolean {
  switch (f.kind) {
    case 'StringLabelFilter': {
      const v = l[f.matcher.name] ?? ''
      return f.matcher.type === '=' ? v === f.matcher.value : v !== f.matcher.value
    }
    case 'BinaryLabelFilter':
      return f.op === 'and' ? matchFilter(f.left, l) && matchFilter(f.right, l) : matchFilter(f.left, l) || matchFilter(f.right, l)
    default:
      return true
  }
}

export function testPipelines(): PipelineFactory {
  return {
    linePipeline(stages: readonly StageExpr[]): LinePipeline {
      return {
        forStream(stream: Labels) {
          return {
            process(_ts, line, md) {
              const labels = applyStages(stages, stream, line, md)
              return labels ? { line, labels } : null
            },
          }
        },
      }
    },
    sampleExtractor(expr: RangeAggregationExpr): SampleExtractor {
      const sel = expr.left.left
      const stages = sel.kind === 'PipelineExpr' ? sel.stages : []
      const unwrap = expr.left.unwrap
      return {
        forStream(stream: Labels) {
          return {
            process(_ts, line, md) {
              const labels = applyStages(stages, stream, line, md)
              if (!labels) return null
              if (!unwrap) {
                const bytes = expr.op === 'bytes_over_time' || expr.op === 'bytes_rate'
                return { value: bytes ? new TextEncoder().encode(line).length : 1, labels: labels.labels }
              }
              const raw = labels.labels[unwrap.label]
              if (raw === undefined || raw === '') return null
              const value = Number(raw)
              const out: Record<string, string> = { ...labels.labels }
              if (Number.isNaN(value)) out.__error__ = 'SampleExtractionErr'
              for (const pf of unwrap.postFilters) if (!matchFilter(pf.filter, out)) return null
              return { value: Number.isNaN(value) ? 0 : value, labels: out }
            },
          }
        },
      }
    },
  }
}
