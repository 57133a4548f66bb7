import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { humanizeBytes, parseBytes } from './bytes'
import { formatGoDuration, formatPromDuration, parseGoDuration, parsePromDuration } from './duration'
import { atoi, goQuote, goUnquote, parseFloat64, parseInt64, parseUint64 } from './strconv'

/** One row of a table written by test/fixtures/go-primitives/main.go: Go's value or error text. */
interface GoCase {
  readonly in: string
  readonly value?: string
  readonly error?: string
}

function goTable(name: string): GoCase[] {
  const url = new URL(`../../test/fixtures/go-primitives/${name}.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as GoCase[]
}

function outcome(f: () => string): { value?: string; error?: string } {
  try {
    return { value: f() }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

const expected = (c: GoCase): { value?: string; error?: string } =>
  c.error !== undefined ? { error: c.error } : { value: c.value ?? '' }

const formatFloat = (v: number): string =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : Object.is(v, -0) ? '-0' : goG(v)

// strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form below 1e-4 or from 1e21.
function goG(v: number): string {
  const exp = Math.floor(Math.log10(Math.abs(v)))
  if (v !== 0 && (exp < -4 || exp >= 21)) {
    const [mant, e] = v.toExponential().split('e') as [string, string]
    const n = Number(e)
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`
  }
  return String(v)
}

const tables: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['quote', (s) => goQuote(s)],
  ['quote-ascii', (s) => goQuote(s, true)],
  ['unquote', (s) => goUnquote(s)],
  ['unquote-promql', (s) => goUnquote(s, true)],
  ['parse-float', (s) => formatFloat(parseFloat64(s))],
  ['parse-int', (s) => parseInt64(s, 0).toString()],
  ['parse-int-base10', (s) => parseInt64(s, 10).toString()],
  ['atoi', (s) => atoi(s).toString()],
  ['parse-uint', (s) => parseUint64(s).toString()],
  ['parse-duration', (s) => parseGoDuration(s).toString()],
  ['parse-prom-duration', (s) => parsePromDuration(s).toString()],
  ['format-duration', (s) => formatGoDuration(BigInt(s))],
  ['format-prom-duration', (s) => formatPromDuration(BigInt(s))],
  ['parse-bytes', (s) => BigInt(parseBytes(s)).toString()],
  ['humanize-bytes', (s) => humanizeBytes(Number(s))],
]

describe.each(tables)('%s as Go answers it', (name, f) => {
  it.each(goTable(name))('$in', (c) => {
    expect(outcome(() => f(c.in))).toEqual(expected(c))
  })
})
