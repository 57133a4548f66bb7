/**
 * The storage boundary of the LogQL evaluator. A `LogSource` answers one selection: every stored
 * stream whose labels satisfy the matchers, each with its entries between `start` (inclusive) and
 * `end` (exclusive) in the requested direction. The leading line filters of the query are passed
 * along so a source may skip lines early; the evaluator still applies the whole pipeline itself,
 * so a source that ignores them stays correct.
 */
import type { LabelMatcher, LineFilterExpr } from '../syntax/ast'

export type Labels = Readonly<Record<string, string>>

export interface LogEntry {
  readonly ts: bigint
  readonly line: string
  readonly metadata?: ReadonlyArray<readonly [string, string]>
  /** The line's UTF-8 byte length, given instead of the text when the request left lines out. */
  readonly size?: number
}

export interface SelectRequest {
  /** From the stream selector. */
  readonly matchers: readonly LabelMatcher[]
  /** Leading line filters the source may apply early (AST nodes). */
  readonly lineFilters: readonly LineFilterExpr[]
  /** Inclusive, nanoseconds. */
  readonly start: bigint
  /** Exclusive, nanoseconds. */
  readonly end: bigint
  readonly direction: 'forward' | 'backward'
  /**
   * For log queries: at most this many entries of each stream can reach the result, so a
   * source may stop reading a stream after that many lines that pass `lineFilters`.
   */
  readonly limitPerStream?: number
  /**
   * The evaluator needs only timestamps and structured metadata (a metric query whose pipeline
   * reads no line text): a source may then give every line as '' with its `size` instead.
   */
  readonly withoutLines?: boolean
}

export interface StreamSelection {
  readonly labels: Labels
  /**
   * The stream's entries in batches (a chunk block, a head page), ordered by `direction`.
   * Batches keep the per-entry cost of crossing async boundaries off the hot path.
   */
  readonly entries: AsyncIterable<readonly LogEntry[]>
}

export interface LogSource {
  select(req: SelectRequest): AsyncIterable<StreamSelection>
}
