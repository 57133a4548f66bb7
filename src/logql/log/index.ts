/**
 * The log pipeline runtime of LogQL: line filters, parsers, label filters, formatters and sample
 * extraction, built from AST stage nodes and run per stream, per line.
 */

export { buildPipeline, buildStage, type Pipeline, type StreamPipeline, type ProcessedLine, type Metadata } from './pipeline'
export { buildLineFilter, lineFilterTest, type LineTest } from './line-filter'
export {
  buildSampleExtractor,
  type Sample,
  type SampleExtractor,
  type StreamSampleExtractor,
} from './sample-extractor'
export {
  ERROR_LABEL,
  ERROR_DETAILS_LABEL,
  ERR_JSON,
  ERR_LOGFMT,
  ERR_LABEL_FILTER,
  ERR_SAMPLE_EXTRACTION,
  ERR_TEMPLATE_FORMAT,
  labelsKey,
  processedFromRecord,
  ProcessedLabels,
} from './labels'
export { StageBuildError, type Stage } from './stage'
export { parserHints, type ParserHints } from './parser-hints'
export { IpPatternError } from './ip'
export { PatternError } from './pattern'
