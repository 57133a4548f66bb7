/**
 * `| json`, `| json a="x.y", b="list[0]"` and `| unpack` (pkg/logql/log/parser.go). Without
 * parameters every scalar member becomes a label, nested objects flattened with `_`, arrays and
 * nulls skipped, keys sanitized to `[a-zA-Z0-9_]`; a syntax error keeps the fields read before it
 * and sets `__error__=JSONParserErr` with jsonparser's message. With parameters each path is looked
 * up and always yields a label ('' when absent); objects come back as their JSON text. `unpack`
 * turns the string members of a packed entry into labels and `_entry` into the line.
 */

import { DUPLICATE_SUFFIX, ERR_JSON, PARSED, type LabelsBuilder } from './labels'
import {
  T_ARRAY,
  T_NULL,
  T_OBJECT,
  T_STRING,
  arrayEach,
  nextToken,
  objectEach,
  readValue,
  stringEnd,
  stringValue,
  unescape,
  val,
  type JsonType,
} from './json-scan'
import { StageBuildError, type Stage } from './stage'

const MAX_DEPTH = 256
/** Returned by a member callback to stop parsing early; not an error. */
const FOUND_ALL = 'found all required labels'
const MAX_CACHED_KEYS = 1024

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
}

/** Go's strings.TrimSpace. */
function trimSpace(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && isSpace(s.charCodeAt(a))) a++
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--
  return a === 0 && b === s.length ? s : s.slice(a, b)
}

/**
 * Loki's label-key sanitizing: trim, `_` before a leading digit when the key starts a name,
 * every character outside [a-zA-Z0-9_] (a whole code point) becomes `_`.
 */
export function sanitizeKey(key: string, first: boolean): string {
  const k = trimSpace(key)
  if (k === '') return ''
  let out = first && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57 ? '_' : ''
  let clean = true
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i)
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) {
      clean = false
      break
    }
  }
  if (clean) return out + k
  for (const ch of k) {
    const c = ch.charCodeAt(0)
    out += (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ? ch : '_'
  }
  return out
}

function scalarValue(line: string, type: JsonType, start: number, end: number): string {
  const raw = line.slice(start, end)
  return type === T_STRING ? stringValue(raw) : raw
}

/** `| json` without parameters. */
export class JsonParser implements Stage {
  private lbs: LabelsBuilder | null = null
  private line = ''
  private prefix = ''
  private depth = 0
  private readonly topKeys = new Map<string, string>()
  private readonly member = (key: string, type: JsonType, start: number, end: number): string => {
    if (type === T_OBJECT) {
      if (this.depth >= MAX_DEPTH) return ''
      const saved = this.prefix
      const part = sanitizeKey(key, saved === '')
      if (part !== '') this.prefix = saved === '' ? part : saved + '_' + part
      if (!(this.lbs as LabelsBuilder).shouldExtractPrefix(this.prefix)) {
        this.prefix = saved
        return ''
      }
      this.depth++
      const err = objectEach(this.line, start, end, this.member)
      this.depth--
      this.prefix = saved
      return err
    }
    if (type === T_ARRAY || type === T_NULL) return ''
    const lbs = this.lbs as LabelsBuilder
    let name: string
    if (this.prefix === '') {
      // The cache is shared by every stream of the query: it holds sanitized keys only, the
      // suffix depends on the stream.
      let cached = this.topKeys.get(key)
      if (cached === undefined) {
        cached = sanitizeKey(key, true)
        if (this.topKeys.size < MAX_CACHED_KEYS) this.topKeys.set(key, cached)
      }
      name = lbs.baseHas(cached) ? cached + DUPLICATE_SUFFIX : cached
    } else {
      const part = sanitizeKey(key, false)
      name = part === '' ? this.prefix : this.prefix + '_' + part
      if (lbs.baseHas(name)) name += DUPLICATE_SUFFIX
    }
    if (name !== '' && lbs.shouldExtract(name)) lbs.extract(name, scalarValue(this.line, type, start, end))
    return lbs.hints !== null && lbs.allRequiredExtracted() ? FOUND_ALL : ''
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (lbs.parseNothing()) return line
    this.lbs = lbs
    this.line = line
    this.prefix = ''
    this.depth = 0
    const err = objectEach(line, 0, line.length, this.member)
    if (err !== '' && err !== FOUND_ALL) lbs.setError(ERR_JSON, err)
    this.lbs = null
    return line
  }
}

type PathElem = string | number

/** Parses `a.b[0]["c d"]` into elements; throws StageBuildError on a malformed path. */
export function parseJsonPath(expr: string): PathElem[] {
  const out: PathElem[] = []
  let i = 0
  let ident = ''
  const flush = (): void => {
    if (ident !== '') out.push(ident)
    ident = ''
  }
  while (i < expr.length) {
    const c = expr[i] as string
    if (c === '.') {
      flush()
      i++
    } else if (c === '[') {
      flush()
      const close = expr.indexOf(']', i)
      if (close < 0) throw new StageBuildError(`cannot parse expression [${expr}]: missing ']'`)
      const inner = expr.slice(i + 1, close).trim()
      if (/^\d+$/.test(inner)) out.push(Number(inner))
      else if (inner.length >= 2 && inner[0] === '"' && inner[inner.length - 1] === '"') {
        const s = unescape(inner.slice(1, -1))
        if (s === null) throw new StageBuildError(`cannot parse expression [${expr}]: bad string`)
        out.push(s)
      } else throw new StageBuildError(`cannot parse expression [${expr}]: unexpected '${inner}'`)
      i = close + 1
    } else if (c === ' ' || c === '"' || c === ']') {
      throw new StageBuildError(`cannot parse expression [${expr}]: unexpected '${c}'`)
    } else {
      ident += c
      i++
    }
  }
  flush()
  if (out.length === 0) throw new StageBuildError(`cannot parse expression [${expr}]: empty path`)
  return out
}

const NOT_FOUND = ''
/** Lookup outcome besides a value: the path is absent, or reading its value failed. */
const lookup = { error: '' }

/** Finds the value at path; returns the label value, or null when absent (lookup.error on error). */
function lookupPath(line: string, path: readonly PathElem[]): string | null {
  lookup.error = ''
  let start = 0
  let end = line.length
  for (const elem of path) {
    const o = nextToken(line, start, end)
    if (typeof elem === 'string') {
      if (o < 0 || line.charCodeAt(o) !== 123) return null
      if (!findMember(line, o, end, elem)) return null
    } else {
      if (o < 0 || line.charCodeAt(o) !== 91) return null
      let idx = 0
      let found = false
      let ft: JsonType = T_NULL
      let fs = 0
      let fe = 0
      arrayEach(line, o, end, (t, s, e) => {
        if (idx++ !== elem) return true
        found = true
        ft = t
        fs = s
        fe = e
        return false
      })
      if (!found) return null
      val.type = ft
      val.start = fs
      val.end = fe
    }
    // A string's bounds exclude its quotes; the next step needs the raw value.
    start = val.type === T_STRING ? val.start - 1 : val.start
    end = val.type === T_STRING ? val.end + 1 : val.end
  }
  switch (val.type) {
    case T_NULL:
      return ''
    case T_OBJECT:
      return line.slice(val.start, val.end)
    default:
      return stringValue(line.slice(val.start, val.end))
  }
}

/** Scans the object at o for the first member named key; leaves its value in `val`. */
function findMember(s: string, o: number, end: number, key: string): boolean {
  let off = nextToken(s, o + 1, end)
  while (off >= 0 && off < end) {
    const c = s.charCodeAt(off)
    if (c !== 34) return false
    const se = stringEnd(s, off + 1, end)
    if (se < 0) return false
    const raw = s.slice(off + 1, se - 1)
    const k = raw.indexOf('\\') >= 0 ? unescape(raw) : raw
    off = nextToken(s, se, end)
    if (off < 0 || s.charCodeAt(off) !== 58) return false
    if (!readValue(s, off + 1, end)) {
      if (k === key) lookup.error = val.error
      return false
    }
    if (k === key) return true
    off = nextToken(s, val.next, end)
    if (off < 0 || s.charCodeAt(off) !== 44) return false
    off = nextToken(s, off + 1, end)
  }
  return false
}

/** `| json a="x.y", b` with extraction parameters. */
export class JsonExpressionParser implements Stage {
  private readonly ids: string[]
  private readonly paths: PathElem[][]

  constructor(expressions: ReadonlyArray<{ identifier: string; expression: string }>) {
    this.ids = expressions.map((e) => e.identifier)
    this.paths = expressions.map((e) => parseJsonPath(e.expression))
  }

  process(_ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (line.length === 0 || lbs.parseNothing()) return line
    const c = line.charCodeAt(0)
    if (c !== 34 && c !== 123 && c !== 91) {
      lbs.setErr(ERR_JSON)
      return line
    }
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i] as string
      const v = lookupPath(line, this.paths[i] as PathElem[])
      if (v === null) {
        if (lookup.error !== '') lbs.setError(ERR_JSON, lookup.error)
        if (lbs.get(id) === undefined) lbs.set(PARSED, id, NOT_FOUND)
        continue
      }
      lbs.set(PARSED, lbs.baseHas(id) ? id + DUPLICATE_SUFFIX : id, v)
    }
    return line
  }
}
