/**
 * `| decolorize`: removes ANSI escape sequences from the line with the pattern Loki uses
 * (pkg/logql/log/fmt.go, from acarl005/stripansi). The pattern is fixed and has no ambiguous
 * repetition, so the built-in engine runs it in linear time.
 */

import type { LabelsBuilder } from './labels'
import type { Stage } from './stage'

const ANSI =
  /[\u001b\u009b][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g

export function decolorize(line: string): string {
  if (line.indexOf('\u001b') < 0 && line.indexOf('\u009b') < 0) return line
  return line.replace(ANSI, '')
}

export class DecolorizeStage implements Stage {
  process(_ts: bigint, line: string, _lbs: LabelsBuilder): string {
    return decolorize(line)
  }
}
