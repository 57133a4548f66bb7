/**
 * The type Loki guesses for a detected field from one of its values
 * (pkg/querier/queryrange/detected_fields.go `determineType`): the first of Go's ParseInt,
 * ParseFloat, ParseBool, time.ParseDuration and go-humanize's ParseBytes that accepts it.
 */
import { parseBytesConv } from '../go/bytes'
import { parseGoDurationConv } from '../go/duration'
import { conv, parseGoFloat } from '../go/strconv'

export type FieldType = 'string' | 'int' | 'float' | 'boolean' | 'duration' | 'bytes'

const INT_RE = /^[+-]?\d+$/
const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'])

function isInt64(v: string): boolean {
  if (!INT_RE.test(v)) return false
  const n = BigInt(v)
  return n >= -9223372036854775808n && n <= 9223372036854775807n
}

export function determineType(value: string): FieldType {
  if (isInt64(value)) return 'int'
  parseGoFloat(value)
  if (conv.error === '') return 'float'
  if (GO_BOOLS.has(value)) return 'boolean'
  parseGoDurationConv(value)
  if (conv.error === '') return 'duration'
  parseBytesConv(value)
  if (conv.error === '') return 'bytes'
  return 'string'
}
