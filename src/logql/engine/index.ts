/**
 * The LogQL evaluator: log queries (streams), range and instant metric queries (matrix, vector,
 * scalar) over a `LogSource`, with Loki's result semantics and error texts.
 */
export type { Labels, LogEntry, LogSource, SelectRequest, StreamSelection } from './source'
export {
  QueryError,
  PipelineError,
  LimitError,
  EvaluationError,
  seriesLimitError,
  ERR_UNSUPPORTED_INSTANT_LOG_QUERY,
} from './errors'
export { newQueryStats, finishStats, recordLine, type QueryStats } from './stats'
export {
  evaluateLogQuery,
  groupByIndexedLabels,
  splitRange,
  DEFAULT_SPLIT_MS,
  type LogQueryParams,
  type LogQueryResult,
  type LogQueryOptions,
  type LogResultEntry,
  type LogStreamResult,
} from './log-query'
export {
  evaluateRangeQuery,
  evaluateInstantQuery,
  rangeGrid,
  instantGrid,
  isSortable,
  DEFAULT_MAX_QUERY_SERIES,
  INSTANT_SCALAR_TIME_MS,
  type MetricLimits,
  type MetricQueryOptions,
  type RangeQueryParams,
  type InstantQueryParams,
} from './metric-query'
export { splitRangeQuery, mergeMatrixResults } from './split'
export type { MetricResult, MatrixSeries, VectorSample } from './value'
export type { PipelineFactory, LinePipeline, SampleExtractor, EntryLabels } from './ports'
export { defaultPipelineFactory } from './default-pipelines'
export { matchesLabels } from './matchers'
export { formatSampleValue, formatSampleTime } from './format'
export { labelsToString, compareLabels } from './labels'
