/**
 * The contract every pipeline stage implements. A stage reads the line and the line's labels,
 * may record label changes in the builder, and returns the (possibly new) line, or null when the
 * line is filtered out. Stages never mutate their input: strings are immutable and label changes
 * go to the per-line builder, which the pipeline resets before every line.
 */

import type { LabelsBuilder } from './labels'

export interface Stage {
  process(ts: bigint, line: string, lbs: LabelsBuilder): string | null
}

/** Thrown when a stage cannot be built from its AST node (bad regex, bad template, ...). */
export class StageBuildError extends Error {}
