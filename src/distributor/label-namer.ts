/**
 * `otlptranslator.LabelNamer{}.Build` (prometheus/otlptranslator v1.0.0), which Loki applies to
 * every OTLP attribute name and to every structured metadata name pushed: characters other than `[a-zA-Z0-9]` become `_`, runs of them collapse to
 * one `_` (a name wrapped in `__…__` keeps its wrapping), and a leading digit gets `key_`. An empty
 * name, or one that normalises to underscores only, is an error that fails the whole push.
 */

import { goQuote } from '../go/strconv'

export class LabelNameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabelNameError'
  }
}

const COMPLIANT = /^[a-zA-Z0-9]*$/

function isCompliant(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
}

function sanitize(name: string): string {
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__')
  const inner = reserved ? name.slice(2, -2) : name
  let out = ''
  let prevUnderscore = false
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i)
    if (isCompliant(c)) {
      out += inner[i]
      prevUnderscore = false
    } else {
      // A surrogate pair is one rune in Go.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < inner.length) {
        const d = inner.charCodeAt(i + 1)
        if (d >= 0xdc00 && d <= 0xdfff) i++
      }
      if (!prevUnderscore) out += '_'
      prevUnderscore = true
    }
  }
  return reserved ? `__${out}__` : out
}

const cache = new Map<string, string>()
const CACHE_LIMIT = 4096

/** The normalised name, without the validity checks (`''` stays `''`). */
export function normalizeLabelName(name: string): string {
  const hit = cache.get(name)
  if (hit !== undefined) return hit
  let out = COMPLIANT.test(name) ? name : sanitize(name)
  const c = out.charCodeAt(0)
  if (c >= 48 && c <= 57) out = 'key_' + out
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(name, out)
  return out
}

/** `Build`: the normalised name; throws `LabelNameError` for an empty or underscores-only result. */
export function buildLabelName(name: string): string {
  if (name === '') throw new LabelNameError('label name is empty')
  const out = normalizeLabelName(name)
  if (/^_*$/.test(out)) {
    throw new LabelNameError(`normalization for label name ${goQuote(name)} resulted in invalid name ${goQuote(out)}`)
  }
  return out
}
