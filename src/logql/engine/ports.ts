/**
 * The shapes the evaluator needs from the log pipeline package: a per-stream line pipeline
 * (log queries) and a per-stream sample extractor (metric queries). They are injected through
 * `PipelineFactory` so the evaluator does not depend on how the stages are implemented; the
 * default factory adapts `src/logql/log`.
 */
import type { Grouping, RangeAggregationExpr, StageExpr } from '../syntax/ast'
import type { Labels } from './source'

export type MetadataPairs = ReadonlyArray<readonly [string, string]> | undefined

/** The categorized labels of one processed line. */
export interface EntryLabels {
  /** Every label: stream, structured metadata, parsed and errors. */
  readonly labels: Labels
  /** Indexed (stream) labels left after the pipeline. */
  readonly stream: Labels
  readonly structuredMetadata: Labels
  /** Parsed labels, `__error__`/`__error_details__` included. */
  readonly parsed: Labels
  /** Optional canonical identity of `labels`; computed when absent. */
  readonly key?: string
}

export interface ProcessedLine {
  readonly line: string
  readonly labels: EntryLabels
}

export interface StreamLinePipeline {
  process(ts: bigint, line: string, metadata: MetadataPairs): ProcessedLine | null
}

export interface LinePipeline {
  forStream(labels: Labels): StreamLinePipeline
}

export interface ExtractedSample {
  readonly value: number
  /** Interned per label set by the pipeline where possible (identity speeds up grouping). */
  readonly labels: Labels
}

export interface StreamSampleExtractor {
  /** `size`: the line's UTF-8 byte length, given when the source left the text out. */
  process(ts: bigint, line: string, metadata: MetadataPairs, size?: number): ExtractedSample | null
}

export interface SampleExtractor {
  forStream(labels: Labels): StreamSampleExtractor
}

export interface PipelineFactory {
  linePipeline(stages: readonly StageExpr[]): LinePipeline
  /**
   * The extractor of a range aggregation: 1 per line (count_over_time, rate, absent_over_time),
   * the line's byte length (bytes_*), or the unwrapped label value. `grouping` (an enclosing
   * `sum`'s, replacing the aggregation's own) lets the extractor reduce labels early; the
   * evaluator applies the grouping itself as well, so an extractor may ignore it.
   */
  sampleExtractor(expr: RangeAggregationExpr, grouping?: Grouping | null): SampleExtractor
}
