/**
 * The value of a level field in a logfmt line, read with LogQL's logfmt decoder as Loki's
 * distributor does (getValueUsingLogfmtParser): pairs are read until the end of the line or the
 * first malformed pair; keys match the hints case-insensitively, an earlier hint beats a later
 * one, and the first hint ends the scan.
 */
import { LogfmtDecoder } from '../logql/log/logfmt'

const decoder = new LogfmtDecoder()

/** `lowered`: the level field names, lower-cased, in priority order. */
export function logfmtValue(line: string, lowered: readonly string[]): string | undefined {
  let best = lowered.length
  let result: string | undefined
  decoder.reset(line)
  while (!decoder.eol() && decoder.scanKeyval()) {
    const key = decoder.key
    let k: string | undefined
    for (let x = 0; x < best; x++) {
      const hint = lowered[x]!
      if (hint.length !== key.length) continue
      k ??= key.toLowerCase()
      if (hint === k) {
        result = decoder.value
        best = x
        if (x === 0) return result
        break
      }
    }
  }
  return result
}
