/**
 * Loki's JSON result encodings (pkg/util/marshal): streams (2-tuples, or 3-tuples with
 * `encodingFlags` before `result` under `categorize-labels`), matrix, vector and scalar in the
 * Prometheus format (seconds as numbers, values as strings), the legacy `/api/prom/query`
 * streams format, and the `stats` object.
 */
import type { MetricResult } from '../logql/engine/value'
import { formatSampleValue } from '../logql/engine/format'
import type { QueryStats } from '../logql/engine/stats'
import { rfc3339Nano } from '../util/time'

type Labels = Readonly<Record<string, string>>

/** One entry of a log result with its categorized labels. */
export interface ResultEntry {
  readonly ts: bigint
  readonly line: string
  readonly structuredMetadata?: Labels
  readonly parsed?: Labels
}

export interface ResultStream {
  /** Indexed labels only when categorized; every label otherwise. */
  readonly labels: Labels
  readonly entries: readonly ResultEntry[]
}

function sortedLabels(l: Labels): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(l).sort()) out[k] = l[k] ?? ''
  return out
}

/** model.Time as JSON: seconds with millisecond precision, as a number. */
function seconds(ms: number): number {
  return ms / 1000
}

export function encodeStreams(streams: readonly ResultStream[], categorized: boolean): unknown[] {
  return streams.map((s) => ({
    stream: sortedLabels(s.labels),
    values: s.entries.map((e) => {
      if (!categorized) return [e.ts.toString(), e.line]
      const extra: Record<string, Labels> = {}
      if (e.structuredMetadata && Object.keys(e.structuredMetadata).length > 0) extra.structuredMetadata = sortedLabels(e.structuredMetadata)
      if (e.parsed && Object.keys(e.parsed).length > 0) extra.parsed = sortedLabels(e.parsed)
      return [e.ts.toString(), e.line, extra]
    }),
  }))
}

export function encodeMetric(result: MetricResult): { resultType: string; result: unknown } {
  switch (result.resultType) {
    case 'matrix':
      return {
        resultType: 'matrix',
        result: result.result.map((s) => ({
          metric: sortedLabels(s.metric),
          values: s.values.map(([t, v]) => [seconds(t), formatSampleValue(v)]),
        })),
      }
    case 'vector':
      return {
        resultType: 'vector',
        result: result.result.map((s) => ({ metric: sortedLabels(s.metric), value: [seconds(s.timeMs), formatSampleValue(s.value)] })),
      }
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(result.timeMs), formatSampleValue(result.value)] }
  }
}

function labelsString(l: Labels): string {
  return '{' + Object.keys(l).sort().map((k) => `${k}=${JSON.stringify(l[k] ?? '')}`).join(', ') + '}'
}

/** The legacy `/api/prom/query` and tail format: `{"streams":[{"labels","entries":[{ts,line}]}]}`. */
export function encodeLegacyStreams(streams: readonly ResultStream[]): unknown {
  return {
    streams: streams.map((s) => ({
      labels: labelsString(s.labels),
      entries: s.entries.map((e) => ({ ts: rfc3339Nano(e.ts), line: e.line })),
    })),
  }
}

const EMPTY_CACHE = {
  entriesFound: 0,
  entriesRequested: 0,
  entriesStored: 0,
  bytesReceived: 0,
  bytesSent: 0,
  requests: 0,
  downloadTime: 0,
  queryLengthServed: 0,
}

/** Loki's `stats` object (pkg/logqlmodel/stats), filled with what this query measured. */
export function encodeStats(s: QueryStats): unknown {
  const exec = s.execTimeSeconds
  const perSecond = (n: number): number => (exec > 0 ? Math.round(n / exec) : 0)
  const store = {
    totalChunksRef: s.chunksRef,
    totalChunksDownloaded: s.chunksDownloaded,
    chunksDownloadTime: 0,
    queryReferencedStructuredMetadata: false,
    chunk: {
      headChunkBytes: 0,
      headChunkLines: 0,
      decompressedBytes: s.bytesProcessed,
      decompressedLines: s.linesProcessed,
      compressedBytes: s.compressedBytes,
      totalDuplicates: 0,
      postFilterLines: s.postFilterLines,
      headChunkStructuredMetadataBytes: 0,
      decompressedStructuredMetadataBytes: s.structuredMetadataBytesProcessed,
    },
    chunkRefsFetchTime: 0,
    congestionControlLatency: 0,
    pipelineWrapperFilteredLines: 0,
  }
  return {
    summary: {
      bytesProcessedPerSecond: perSecond(s.bytesProcessed),
      linesProcessedPerSecond: perSecond(s.linesProcessed),
      totalBytesProcessed: s.bytesProcessed,
      totalLinesProcessed: s.linesProcessed,
      execTime: exec,
      queueTime: 0,
      subqueries: 0,
      totalEntriesReturned: s.entriesReturned,
      splits: s.splits,
      shards: 0,
      totalPostFilterLines: s.postFilterLines,
      totalStructuredMetadataBytesProcessed: s.structuredMetadataBytesProcessed,
    },
    querier: { store },
    ingester: {
      totalReached: s.streamsSelected,
      totalChunksMatched: 0,
      totalBatches: 0,
      totalLinesSent: 0,
      store: { ...store, totalChunksRef: 0, totalChunksDownloaded: 0 },
    },
    cache: {
      chunk: EMPTY_CACHE,
      index: EMPTY_CACHE,
      result: EMPTY_CACHE,
      statsResult: EMPTY_CACHE,
      volumeResult: EMPTY_CACHE,
      seriesResult: EMPTY_CACHE,
      labelResult: EMPTY_CACHE,
      instantMetricResult: EMPTY_CACHE,
    },
    index: { totalChunks: s.chunksRef, postFilterChunks: s.chunksRef, shardsDuration: 0, usedBloomFilters: false },
  }
}
