/**
 * The counters edgeloki exposes: Loki's ingest counters plus the Cloudflare meters that decide
 * the bill (object calls, SQLite and D1 rows, R2 operations), which `bench/` turns into cost.
 */
import { counter, maxGauge } from './registry'

export const linesReceived = counter('loki_distributor_lines_received_total', 'Log lines received by the distributor.')
export const bytesReceived = counter('loki_distributor_bytes_received_total', 'Log line bytes received by the distributor.')
export const discardedSamples = counter('loki_discarded_samples_total', 'Entries discarded, by reason.')
export const discardedBytes = counter('loki_discarded_bytes_total', 'Line bytes discarded, by reason.')
export const streamsCreated = counter('loki_ingester_streams_created_total', 'Streams created.')
export const workerRequests = counter('edgeloki_worker_requests_total', 'HTTP requests served by the Worker.')
export const doRequests = counter('edgeloki_do_requests_total', 'Durable Object calls made.')
export const doRowsWritten = counter('edgeloki_do_rows_written_total', 'SQLite rows written by Durable Objects.')
export const doRowsRead = counter('edgeloki_do_rows_read_total', 'SQLite rows read by Durable Objects.')
export const d1Queries = counter('edgeloki_d1_queries_total', 'D1 statements executed.')
export const d1RowsWritten = counter('edgeloki_d1_rows_written_total', 'D1 rows written.')
export const d1RowsRead = counter('edgeloki_d1_rows_read_total', 'D1 rows read.')
export const r2ClassA = counter('edgeloki_r2_class_a_operations_total', 'R2 class A operations (put, list, delete).')
export const r2ClassB = counter('edgeloki_r2_class_b_operations_total', 'R2 class B operations (get, head).')

/** Records the meta of D1 results (rows read and written) for the cost counters. */
export function recordD1(results: ReadonlyArray<{ meta?: { rows_read?: number; rows_written?: number } }>): void {
  for (const r of results) {
    d1Queries(1)
    d1RowsRead(r.meta?.rows_read ?? 0)
    d1RowsWritten(r.meta?.rows_written ?? 0)
  }
}

export const ingesterMemoryPeak = maxGauge(
  'edgeloki_ingester_memory_peak_bytes',
  'Most line bytes one ingester object of this isolate held in memory at once (pushes, head reads, flush segments).',
)
