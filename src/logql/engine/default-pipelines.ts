/**
 * The default `PipelineFactory`: Loki's pipeline stages and sample extractors from
 * `src/logql/log`, adapted to the evaluator's ports. A stage that cannot be built (a bad regex,
 * a bad template) becomes a 400 `QueryError` carrying the stage's message.
 */
import { buildPipeline } from '../log/pipeline'
import { buildSampleExtractor } from '../log/sample-extractor'
import type { Grouping, RangeAggregationExpr, StageExpr } from '../syntax/ast'
import { QueryError } from './errors'
import type { LinePipeline, PipelineFactory, SampleExtractor } from './ports'

function asQueryError(e: unknown): unknown {
  if (e instanceof QueryError) return e
  if (e instanceof Error) return new QueryError(e.message, 400)
  return e
}

export function defaultPipelineFactory(): PipelineFactory {
  return {
    linePipeline(stages: readonly StageExpr[]): LinePipeline {
      let p: ReturnType<typeof buildPipeline>
      try {
        p = buildPipeline(stages)
      } catch (e) {
        throw asQueryError(e)
      }
      return {
        forStream(labels) {
          const sp = p.forStream(labels)
          return {
            process(ts, line, metadata) {
              const out = sp.process(ts, line, metadata)
              return out && { line: out.line, labels: out.labels }
            },
          }
        },
      }
    },
    sampleExtractor(expr: RangeAggregationExpr, grouping?: Grouping | null): SampleExtractor {
      let x: ReturnType<typeof buildSampleExtractor>
      try {
        x = buildSampleExtractor(expr, grouping)
      } catch (e) {
        throw asQueryError(e)
      }
      return {
        forStream(labels) {
          const sx = x.forStream(labels)
          return {
            process(ts, line, metadata, size) {
              const s = sx.process(ts, line, metadata, size)
              return s && { value: s.value, labels: s.labels.labels }
            },
          }
        },
      }
    },
  }
}
