/**
 * Sample extraction for range aggregations (pkg/logql/log/metrics_extraction.go). Without unwrap a
 * line counts 1 (`count_over_time`, `rate`, `absent_over_time`) or its UTF-8 byte length
 * (`bytes_over_time`, `bytes_rate`). With `| unwrap [conv](label)` the label's value is converted
 * (Go float, duration in seconds, humanized bytes); a line without the label, or with an empty
 * value, is skipped silently; a conversion error keeps the sample (value 0) with
 * `__error__=SampleExtractionErr`, and the post-unwrap filters run afterwards. Sample labels follow
 * the range aggregation's `by`/`without` (or the grouping pushed down by the caller); the unwrapped
 * label itself is dropped unless grouped by; a sample with an error keeps all its labels. Parsers
 * only extract what the grouping and later stages need (see parser-hints.ts).
 */

import type { Grouping, RangeAggregationExpr, RangeOp } from '../syntax/ast'
import { pipelineStages } from '../syntax/ast'
import { parseBytesConv } from '../../go/bytes'
import { parseGoDurationConv } from '../../go/duration'
import { conv, parseGoFloat } from '../../go/strconv'
import { utf8Length } from '../../go/utf8'
import { LabelFilterStage } from './label-filter'
import { BaseLabels, ERR_SAMPLE_EXTRACTION, LabelsBuilder, type ProcessedLabels } from './labels'
import { addMetadata, buildStage, runStages, StreamCache, type Metadata } from './pipeline'
import { parserHints, stageRequiredLabels, type ParserHints } from './parser-hints'
import { StageBuildError, type Stage } from './stage'

export interface Sample {
  readonly value: number
  readonly labels: ProcessedLabels
}

export interface StreamSampleExtractor {
  /** The stream's own labels, before any stage or grouping. */
  readonly baseLabels: ProcessedLabels
  process(ts: bigint, line: string, metadata?: Metadata, size?: number): Sample | null
}

export interface SampleExtractor {
  forStream(streamLabels: Readonly<Record<string, string>>): StreamSampleExtractor
}

const LINE_COUNT_OPS: ReadonlySet<RangeOp> = new Set(['count_over_time', 'rate', 'absent_over_time'])
const LINE_BYTES_OPS: ReadonlySet<RangeOp> = new Set(['bytes_over_time', 'bytes_rate'])

function durationSeconds(s: string): number {
  return parseGoDurationConv(s) / 1e9
}

class StreamExtractor implements StreamSampleExtractor {
  private readonly lbs: LabelsBuilder
  constructor(
    private readonly x: ExtractorConfig,
    base: BaseLabels,
  ) {
    this.lbs = new LabelsBuilder(base, x.hints)
  }

  get baseLabels(): ProcessedLabels {
    return this.lbs.base.result
  }

  /** The stream's grouped labels, when they cannot vary from line to line (see process). */
  private constantLabels: ProcessedLabels | null = null

  /**
   * `size` is the line's UTF-8 byte length when the reader left the text out (`line` is then '');
   * only stages that keep the line as it is run then, so it is the processed line's size too.
   */
  process(ts: bigint, line: string, metadata?: Metadata, size?: number): Sample | null {
    const { x, lbs } = this
    // With no stages, `by` groups that no line's metadata names come from the stream labels
    // alone: the sample labels are the same for every line of the stream.
    if (x.byStreamLabelsOnly && !metadataNames(metadata, x.groups)) {
      const value = x.bytes ? (size ?? utf8Length(line)) : 1
      if (this.constantLabels === null) {
        lbs.reset()
        this.constantLabels = lbs.grouped(x.groups, false, false)
      }
      return { value, labels: this.constantLabels }
    }
    lbs.reset()
    addMetadata(lbs, metadata)
    const out = runStages(x.stages, ts, line, lbs)
    if (out === null) return null
    let value: number
    if (x.label === null) {
      value = x.bytes ? (size ?? utf8Length(out)) : 1
    } else {
      const s = lbs.get(x.label)
      if (s === undefined || s === '') return null
      value = (x.convert as (s: string) => number)(s)
      if (conv.error !== '') lbs.setError(ERR_SAMPLE_EXTRACTION, conv.error)
      if (runStages(x.post, ts, out, lbs) === null) return null
    }
    return { value, labels: lbs.grouped(x.groups, x.without, x.noLabels) }
  }
}

/** Whether any metadata pair is named like one of `names`. */
function metadataNames(metadata: Metadata | undefined, names: readonly string[]): boolean {
  if (!metadata) return false
  for (const [k] of metadata) if (names.includes(k)) return true
  return false
}

interface ExtractorConfig {
  /** No stages, no unwrap, `by` with at least one group: see StreamExtractor.process. */
  readonly byStreamLabelsOnly: boolean
  readonly stages: readonly Stage[]
  readonly post: readonly Stage[]
  /** The unwrapped label, null for line counting. */
  readonly label: string | null
  readonly convert: ((s: string) => number) | null
  readonly bytes: boolean
  readonly groups: readonly string[]
  readonly without: boolean
  readonly noLabels: boolean
  readonly hints: ParserHints | null
}

/**
 * Builds the extractor of a range aggregation. `grouping`, when given, replaces the range
 * aggregation's own (the caller may push an outer `sum by (...)` down).
 */
export function buildSampleExtractor(expr: RangeAggregationExpr, grouping?: Grouping | null): SampleExtractor {
  const range = expr.left
  const stageExprs = pipelineStages(range.left)
  const stages = stageExprs.map(buildStage)
  const required = stageExprs.flatMap(stageRequiredLabels)
  const g = grouping ?? expr.grouping
  let groups: string[] = g ? [...g.labels] : []
  let without = g?.mode === 'without'
  const noLabels = g !== null && g !== undefined && g.mode === 'by' && g.labels.length === 0
  let config: ExtractorConfig
  const unwrap = range.unwrap
  if (unwrap) {
    if (groups.length === 0 || without) {
      without = true
      groups = [...groups, unwrap.label].sort()
    }
    for (const f of unwrap.postFilters) required.push(...stageRequiredLabels(f))
    const convert =
      unwrap.op === '' ? parseGoFloat : unwrap.op === 'bytes' ? parseBytesConv : durationSeconds
    config = {
      byStreamLabelsOnly: false,
      stages,
      post: unwrap.postFilters.map((f) => new LabelFilterStage(f.filter)),
      label: unwrap.label,
      convert,
      bytes: false,
      groups,
      without,
      noLabels,
      hints: parserHints(required, groups, without, noLabels, unwrap.label),
    }
  } else {
    if (!LINE_COUNT_OPS.has(expr.op) && !LINE_BYTES_OPS.has(expr.op)) {
      throw new StageBuildError(`invalid aggregation ${expr.op} without unwrap`)
    }
    config = {
      byStreamLabelsOnly: stages.length === 0 && !without && !noLabels && groups.length > 0,
      stages,
      post: [],
      label: null,
      convert: null,
      bytes: LINE_BYTES_OPS.has(expr.op),
      groups,
      without,
      noLabels,
      hints: parserHints(required, groups, without, noLabels, ''),
    }
  }
  const streams = new StreamCache<StreamSampleExtractor>()
  return {
    forStream: (labels) => streams.get(labels, () => new StreamExtractor(config, new BaseLabels(labels))),
  }
}
