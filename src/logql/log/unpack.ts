/**
 * `| unpack` (pkg/logql/log/parser.go): a Promtail packed entry is a JSON object whose string
 * members are labels and whose `_entry` member is the original line. Labels are only applied when
 * the object has `_entry`; the line becomes the unescaped `_entry`. A line that is not an object is
 * a JSONParserErr and stays as it was.
 */

import { DUPLICATE_SUFFIX, ERR_JSON, PARSED, type LabelsBuilder } from './labels'
import { ERR_BAD_ESCAPE, T_STRING, objectEach, stringValue, unescape, type JsonType } from './json-scan'
import { sanitizeKey } from './json-parser'
import type { Stage } from './stage'

const ERR_NOT_OBJECT = 'expecting json object(6), but it is not'
const PACKED_ENTRY_KEY = '_entry'

/** `| unpack`: a Promtail packed entry. */
export class UnpackParser implements Stage {
  private readonly names: string[] = []
  private readonly values: string[] = []
  private entry: string | null = null
  private lbs: LabelsBuilder | null = null
  private line = ''
  private readonly member = (key: string, type: JsonType, start: number, end: number): string => {
    if (type !== T_STRING) return ''
    const raw = this.line.slice(start, end)
    if (key === PACKED_ENTRY_KEY) {
      const u = unescape(raw)
      if (u === null) return ERR_BAD_ESCAPE
      this.entry = u
      return ''
    }
    const lbs = this.lbs as LabelsBuilder
    const name = sanitizeKey(lbs.baseHas(key) ? key + DUPLICATE_SUFFIX : key, true)
    if (!lbs.shouldExtract(name)) return ''
    this.names.push(name)
    this.values.push(stringValue(raw))
    return ''
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (line.length === 0 || lbs.parseNothing()) return line
    if (line.charCodeAt(0) !== 123) {
      lbs.setError(ERR_JSON, ERR_NOT_OBJECT)
      return line
    }
    this.names.length = 0
    this.values.length = 0
    this.entry = null
    this.lbs = lbs
    this.line = line
    const err = objectEach(line, 0, line.length, this.member)
    this.lbs = null
    if (err !== '') {
      lbs.setError(ERR_JSON, err)
      return line
    }
    if (this.entry === null) return line
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string
      if (n !== '') lbs.set(PARSED, n, this.values[i] as string)
    }
    return this.entry
  }
}

