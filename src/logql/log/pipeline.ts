/**
 * A log pipeline built from the stage nodes of a LogQL query (pkg/logql/log/pipeline.go). The
 * pipeline is built once per query; `forStream` gives (and caches) the per-stream part, which owns
 * one reusable labels builder. `process` runs every stage over one line: it returns the final line
 * and its interned labels, or null when a filter dropped the line. Structured metadata enters as
 * labels of its own category; a name already used by a stream label gets `_extracted`.
 */

import type { StageExpr } from '../syntax/ast'
import { DecolorizeStage } from './decolorize'
import { DropStage, KeepStage } from './drop-keep'
import { LabelFormatStage, LineFormatStage } from './format'
import { JsonExpressionParser, JsonParser } from './json-parser'
import { UnpackParser } from './unpack'
import { LabelFilterStage } from './label-filter'
import { BaseLabels, LabelsBuilder, STRUCTURED_METADATA, labelsKey, type ProcessedLabels } from './labels'
import { LineFilterStage } from './line-filter'
import { LogfmtExpressionParser, LogfmtParser } from './logfmt'
import { PatternParser, RegexpParser } from './regexp-pattern'
import type { Stage } from './stage'

export type Metadata = ReadonlyArray<readonly [string, string]>

export interface ProcessedLine {
  readonly line: string
  readonly labels: ProcessedLabels
}

export interface StreamPipeline {
  /** The stream's own labels, before any stage. */
  readonly baseLabels: ProcessedLabels
  process(ts: bigint, line: string, metadata?: Metadata): ProcessedLine | null
}

export interface Pipeline {
  forStream(streamLabels: Readonly<Record<string, string>>): StreamPipeline
}

/** Builds the runtime stage of one AST stage node; throws StageBuildError (or a regex/ip error). */
export function buildStage(e: StageExpr): Stage {
  switch (e.kind) {
    case 'LineFilterExpr':
      return new LineFilterStage(e)
    case 'LabelParserExpr':
      switch (e.op) {
        case 'json':
          return new JsonParser()
        case 'logfmt':
          return new LogfmtParser(e.strict, e.keepEmpty)
        case 'regexp':
          return new RegexpParser(e.param)
        case 'pattern':
          return new PatternParser(e.param)
        case 'unpack':
          return new UnpackParser()
      }
      break
    case 'JSONExpressionParser':
      return new JsonExpressionParser(e.expressions)
    case 'LogfmtExpressionParser':
      return new LogfmtExpressionParser(e.expressions, e.strict)
    case 'LabelFilterExpr':
      return new LabelFilterStage(e.filter)
    case 'LineFormatExpr':
      return new LineFormatStage(e.template)
    case 'LabelFmtExpr':
      return new LabelFormatStage(e.formats)
    case 'DropLabelsExpr':
      return new DropStage(e.labels)
    case 'KeepLabelsExpr':
      return new KeepStage(e.labels)
    case 'DecolorizeExpr':
      return new DecolorizeStage()
  }
  throw new Error(`unknown stage ${JSON.stringify(e)}`)
}

/** Runs stages over a line with a builder already reset and loaded; null when filtered. */
export function runStages(stages: readonly Stage[], ts: bigint, line: string, lbs: LabelsBuilder): string | null {
  let l: string | null = line
  for (let i = 0; i < stages.length; i++) {
    l = (stages[i] as Stage).process(ts, l, lbs)
    if (l === null) return null
  }
  return l
}

/** Loads a line's structured metadata into a freshly reset builder. */
export function addMetadata(lbs: LabelsBuilder, metadata: Metadata | undefined): void {
  if (!metadata) return
  for (let i = 0; i < metadata.length; i++) {
    const m = metadata[i] as readonly [string, string]
    lbs.add(STRUCTURED_METADATA, m[0], m[1])
  }
}

/** Per-query cache of per-stream objects, keyed by the stream's canonical labels. */
export class StreamCache<T> {
  private readonly byKey = new Map<string, T>()
  private readonly byObject = new WeakMap<object, T>()

  get(labels: Readonly<Record<string, string>>, make: () => T): T {
    const hit = this.byObject.get(labels)
    if (hit !== undefined) return hit
    const names = Object.keys(labels).sort()
    const key = labelsKey(
      names,
      names.map((n) => labels[n] as string),
      names.length,
    )
    let v = this.byKey.get(key)
    if (v === undefined) {
      v = make()
      this.byKey.set(key, v)
    }
    this.byObject.set(labels, v)
    return v
  }
}

class StreamPipelineImpl implements StreamPipeline {
  private readonly lbs: LabelsBuilder
  constructor(
    private readonly stages: readonly Stage[],
    base: BaseLabels,
  ) {
    this.lbs = new LabelsBuilder(base)
  }

  get baseLabels(): ProcessedLabels {
    return this.lbs.base.result
  }

  process(ts: bigint, line: string, metadata?: Metadata): ProcessedLine | null {
    const lbs = this.lbs
    lbs.reset()
    addMetadata(lbs, metadata)
    const out = runStages(this.stages, ts, line, lbs)
    if (out === null) return null
    return { line: out, labels: lbs.result() }
  }
}

/** Builds a pipeline from the stages of a log selector (an empty list keeps every line as is). */
export function buildPipeline(stages: readonly StageExpr[]): Pipeline {
  const built = stages.map(buildStage)
  const streams = new StreamCache<StreamPipeline>()
  return {
    forStream: (streamLabels) =>
      streams.get(streamLabels, () => new StreamPipelineImpl(built, new BaseLabels(streamLabels))),
  }
}
