/**
 * A tail socket's query, compiled once per socket: its stream matchers and its pipeline, run over
 * pushed entries as Loki's ingester tailer does (pkg/ingester/tailer.go processStream). Without
 * pipeline stages the entries keep the stream's own labels and their metadata as pushed; with
 * stages every entry carries the labels the pipeline left (structured metadata and parsed
 * labels included).
 */
import { defaultPipelineFactory } from '../logql/engine/default-pipelines'
import { matchesLabels } from '../logql/engine/matchers'
import type { Labels } from '../logql/engine/source'
import type { LinePipeline } from '../logql/engine/ports'
import { parseLogSelector } from '../logql/syntax/parse'
import { pipelineStages, selectorMatchers, type LabelMatcher, type StageExpr } from '../logql/syntax/ast'
import { sortedPairs, type LabelPairs, type TailEntry } from './entry'

interface PushedEntry {
  readonly ts: bigint
  readonly line: string
  readonly metadata?: LabelPairs
}

/**
 * A line filter Loki builds as its TrueFilter (`|= ""`, `|~ ""`, `|~ ".*"`), which it drops from
 * the pipeline: a tail whose stages are all such filters is a tail without stages.
 */
function keepsEveryLine(s: StageExpr): boolean {
  if (s.kind !== 'LineFilterExpr' || s.ip || s.or.length > 0) return false
  return (s.op === '|=' && s.match === '') || (s.op === '|~' && (s.match === '' || s.match === '.*'))
}

export class TailQuery {
  readonly matchers: readonly LabelMatcher[]
  private readonly pipeline: LinePipeline | null

  /** Throws the parse or pipeline error (a bad regex, a bad template) of an invalid query. */
  constructor(query: string) {
    const expr = parseLogSelector(query)
    this.matchers = selectorMatchers(expr)
    const stages = pipelineStages(expr).filter((s) => !keepsEveryLine(s))
    this.pipeline = stages.length === 0 ? null : defaultPipelineFactory().linePipeline(stages)
  }

  wants(labels: Labels): boolean {
    return matchesLabels(this.matchers, labels)
  }

  /** The entries of one pushed stream that pass the pipeline, in the given order. */
  process(labels: Labels, entries: readonly PushedEntry[]): TailEntry[] {
    const out: TailEntry[] = []
    if (!this.pipeline) {
      for (const e of entries) {
        out.push({ ts: e.ts, line: e.line, labels, stream: labels, structuredMetadata: e.metadata ?? [], parsed: [] })
      }
      return out
    }
    const sp = this.pipeline.forStream(labels)
    for (const e of entries) {
      const r = sp.process(e.ts, e.line, e.metadata)
      if (!r) continue
      out.push({
        ts: e.ts,
        line: r.line,
        labels: r.labels.labels,
        stream: r.labels.stream,
        structuredMetadata: sortedPairs(r.labels.structuredMetadata),
        parsed: sortedPairs(r.labels.parsed),
      })
    }
    return out
  }
}
