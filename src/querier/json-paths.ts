/**
 * The JSON path behind each label `| json` extracts from a line: the same walk and the same
 * naming as the parser (nested keys joined with `_`, sanitized, `_extracted` when a stream label
 * already has the name, arrays and nulls skipped, the first occurrence of a name wins), but
 * recording the original keys. Detected fields report these so Drilldown can write
 * `| json f="[\"a\"][\"b\"]"`.
 */
import { sanitizeKey } from '../logql/log/json-parser'
import { objectEach, T_ARRAY, T_NULL, T_OBJECT, type JsonType } from '../logql/log/json-scan'

const MAX_DEPTH = 256
const EXTRACTED = '_extracted'

/** Label name → key path for every scalar member of the line's JSON object (empty on bad JSON). */
export function jsonLabelPaths(line: string, isStreamLabel: (name: string) => boolean): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const path: string[] = []
  let prefix = ''
  let depth = 0
  const member = (key: string, type: JsonType, start: number, end: number): string => {
    if (type === T_OBJECT) {
      if (depth >= MAX_DEPTH) return ''
      const saved = prefix
      const part = sanitizeKey(key, saved === '')
      if (part !== '') prefix = saved === '' ? part : saved + '_' + part
      path.push(key)
      depth++
      const err = objectEach(line, start, end, member)
      depth--
      path.pop()
      prefix = saved
      return err
    }
    if (type === T_ARRAY || type === T_NULL) return ''
    let name: string
    if (prefix === '') name = sanitizeKey(key, true)
    else {
      const part = sanitizeKey(key, false)
      name = part === '' ? prefix : prefix + '_' + part
    }
    if (name === '') return ''
    if (isStreamLabel(name)) name += EXTRACTED
    if (!out.has(name)) out.set(name, [...path, key])
    return ''
  }
  // Members read before a syntax error keep their labels in the parser, so keep their paths.
  objectEach(line, 0, line.length, member)
  return out
}
