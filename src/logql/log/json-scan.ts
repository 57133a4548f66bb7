/**
 * A JSON scanner with the semantics of the jsonparser library Loki's `| json` is built on: values
 * are located without validating the whole document, object members are visited in order (so the
 * fields before a syntax error are still seen), a trailing comma before `}` is accepted, and errors
 * carry jsonparser's texts, which users see in `__error_details__`. Works on JS strings by index,
 * allocating only the substrings it hands out.
 */

export const T_STRING = 1
export const T_NUMBER = 2
export const T_OBJECT = 3
export const T_ARRAY = 4
export const T_BOOLEAN = 5
export const T_NULL = 6
export type JsonType = 1 | 2 | 3 | 4 | 5 | 6

export const ERR_MALFORMED_JSON = 'Malformed JSON error'
export const ERR_MALFORMED_STRING = `Value is string, but can't find closing '"' symbol`
export const ERR_MALFORMED_ARRAY = "Value is array, but can't find closing ']' symbol"
export const ERR_MALFORMED_OBJECT = "Value looks like object, but can't find closing '}' symbol"
export const ERR_UNKNOWN_VALUE = 'Unknown value type'
export const ERR_BAD_ESCAPE = 'Encountered an invalid escape sequence in a string'

/** Result slots of `readValue`, reused to avoid allocation. */
export const val = { type: T_NULL as JsonType, start: 0, end: 0, next: 0, error: '' }

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

export function nextToken(s: string, i: number, end: number): number {
  while (i < end) {
    if (!isWs(s.charCodeAt(i))) return i
    i++
  }
  return -1
}

/** From just after an opening quote: index after the closing quote, or -1. */
export function stringEnd(s: string, i: number, end: number): number {
  let p = i
  for (;;) {
    const q = s.indexOf('"', p)
    if (q < 0 || q >= end) return -1
    let j = q - 1
    while (j >= i && s.charCodeAt(j) === 92) j--
    if ((q - 1 - j) % 2 === 0) return q + 1
    p = q + 1
  }
}

function nextOf(s: string, ch: string, from: number, end: number): number {
  const k = s.indexOf(ch, from)
  return k < 0 || k >= end ? Infinity : k
}

/** From an opening bracket: index after its matching close, or -1. */
function blockEnd(s: string, i: number, end: number, open: number, close: number): number {
  const o = String.fromCharCode(open)
  const c = String.fromCharCode(close)
  let level = 0
  let nq = nextOf(s, '"', i, end)
  let no = nextOf(s, o, i, end)
  let nc = nextOf(s, c, i, end)
  for (;;) {
    if (nq < no && nq < nc) {
      const se = stringEnd(s, nq + 1, end)
      if (se < 0) return -1
      nq = nextOf(s, '"', se, end)
      if (no < se) no = nextOf(s, o, se, end)
      if (nc < se) nc = nextOf(s, c, se, end)
    } else if (no < nc) {
      level++
      no = nextOf(s, o, no + 1, end)
    } else if (nc !== Infinity) {
      level--
      if (level === 0) return nc + 1
      nc = nextOf(s, c, nc + 1, end)
    } else {
      return -1
    }
  }
}

function tokenEnd(s: string, i: number, end: number): number {
  for (let p = i; p < end; p++) {
    const c = s.charCodeAt(p)
    if (isWs(c) || c === 44 || c === 125 || c === 93) return p
  }
  return end
}

/**
 * Locates the value starting at the next token from i. On success fills val.type/start/end (a
 * string's bounds exclude its quotes) and val.next (just past the value) and returns true; on
 * failure sets val.error.
 */
export function readValue(s: string, i: number, end: number): boolean {
  const o = nextToken(s, i, end)
  if (o < 0) {
    val.error = ERR_MALFORMED_JSON
    return false
  }
  const c = s.charCodeAt(o)
  if (c === 34) {
    const se = stringEnd(s, o + 1, end)
    if (se < 0) {
      val.error = ERR_MALFORMED_STRING
      return false
    }
    val.type = T_STRING
    val.start = o + 1
    val.end = se - 1
    val.next = se
    return true
  }
  if (c === 91 || c === 123) {
    const be = blockEnd(s, o, end, c, c === 91 ? 93 : 125)
    if (be < 0) {
      val.error = c === 91 ? ERR_MALFORMED_ARRAY : ERR_MALFORMED_OBJECT
      return false
    }
    val.type = c === 91 ? T_ARRAY : T_OBJECT
    val.start = o
    val.end = be
    val.next = be
    return true
  }
  const te = tokenEnd(s, o, end)
  const len = te - o
  if (c === 116 || c === 102) {
    if (!((len === 4 && s.startsWith('true', o)) || (len === 5 && s.startsWith('false', o)))) {
      val.error = ERR_UNKNOWN_VALUE
      return false
    }
    val.type = T_BOOLEAN
  } else if (c === 110 || c === 117) {
    if (!(len === 4 && s.startsWith('null', o))) {
      val.error = ERR_UNKNOWN_VALUE
      return false
    }
    val.type = T_NULL
  } else if ((c >= 48 && c <= 57) || c === 45) {
    val.type = T_NUMBER
  } else {
    val.error = ERR_UNKNOWN_VALUE
    return false
  }
  val.start = o
  val.end = te
  val.next = te
  return true
}

/** Called per member; return a non-empty string to stop with that error. */
export type MemberFn = (key: string, type: JsonType, start: number, end: number) => string

/**
 * Visits the members of the object starting at the next token from i, in order. Returns '' or
 * the first error (which may come from the callback).
 */
export function objectEach(s: string, i: number, end: number, fn: MemberFn): string {
  let off = nextToken(s, i, end)
  if (off < 0 || s.charCodeAt(off) !== 123) return ERR_MALFORMED_OBJECT
  off = nextToken(s, off + 1, end)
  if (off < 0) return ERR_MALFORMED_JSON
  if (s.charCodeAt(off) === 125) return ''
  while (off < end) {
    const c = s.charCodeAt(off)
    if (c === 125) return ''
    if (c !== 34) return ERR_MALFORMED_OBJECT
    off++
    const se = stringEnd(s, off, end)
    if (se < 0) return ERR_MALFORMED_JSON
    let key = s.slice(off, se - 1)
    if (key.indexOf('\\') >= 0) {
      const k = unescape(key)
      if (k === null) return ERR_BAD_ESCAPE
      key = k
    }
    off = nextToken(s, se, end)
    if (off < 0 || s.charCodeAt(off) !== 58) return ERR_MALFORMED_JSON
    off++
    if (!readValue(s, off, end)) return val.error
    const type = val.type
    const vs = val.start
    const ve = val.end
    off = val.next
    const err = fn(key, type, vs, ve)
    if (err !== '') return err
    off = nextToken(s, off, end)
    if (off < 0) return ERR_MALFORMED_ARRAY
    const d = s.charCodeAt(off)
    if (d === 125) return ''
    if (d !== 44) return ERR_MALFORMED_OBJECT
    off = nextToken(s, off + 1, end)
    if (off < 0) return ERR_MALFORMED_ARRAY
  }
  return ERR_MALFORMED_OBJECT
}

/**
 * Visits the elements of the array starting at i (which must be `[`). Returns '' or an error.
 * fn returns false to stop early.
 */
export function arrayEach(
  s: string,
  i: number,
  end: number,
  fn: (type: JsonType, start: number, end: number) => boolean,
): string {
  let off = nextToken(s, i, end)
  if (off < 0 || s.charCodeAt(off) !== 91) return ERR_MALFORMED_ARRAY
  off = nextToken(s, off + 1, end)
  if (off < 0) return ERR_MALFORMED_JSON
  if (s.charCodeAt(off) === 93) return ''
  for (;;) {
    if (!readValue(s, off, end)) return val.error
    off = val.next
    if (!fn(val.type, val.start, val.end)) return ''
    off = nextToken(s, off, end)
    if (off < 0) return ERR_MALFORMED_ARRAY
    const c = s.charCodeAt(off)
    if (c === 93) return ''
    if (c !== 44) return ERR_MALFORMED_ARRAY
    off++
  }
}

/** jsonparser.Unescape: JSON string escapes; null when an escape is invalid. */
export function unescape(raw: string): string | null {
  if (raw.indexOf('\\') < 0) return raw
  let out = ''
  let last = 0
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) !== 92) continue
    out += raw.slice(last, i)
    const e = raw[i + 1]
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e
        i++
        break
      case 'b':
        out += '\b'
        i++
        break
      case 'f':
        out += '\f'
        i++
        break
      case 'n':
        out += '\n'
        i++
        break
      case 'r':
        out += '\r'
        i++
        break
      case 't':
        out += '\t'
        i++
        break
      case 'u': {
        const hi = hex4(raw, i + 2)
        if (hi < 0) return null
        if (hi >= 0xd800 && hi <= 0xdfff) {
          // A surrogate must be a high one followed by an escaped low one.
          if (hi > 0xdbff || raw[i + 6] !== '\\' || raw[i + 7] !== 'u') return null
          const lo = hex4(raw, i + 8)
          if (lo < 0xdc00 || lo > 0xdfff) return null
          out += String.fromCharCode(hi, lo)
          i += 11
        } else {
          out += String.fromCharCode(hi)
          i += 5
        }
        break
      }
      default:
        return null
    }
    last = i + 1
  }
  return out + raw.slice(last)
}

function hex4(s: string, i: number): number {
  if (i + 4 > s.length) return -1
  let v = 0
  for (let k = i; k < i + 4; k++) {
    const c = s.charCodeAt(k)
    let d: number
    if (c >= 48 && c <= 57) d = c - 48
    else if (c >= 97 && c <= 102) d = c - 87
    else if (c >= 65 && c <= 70) d = c - 55
    else return -1
    v = v * 16 + d
  }
  return v
}

/** A string value as Loki stores it: unescaped ('' when invalid), U+FFFD replaced by a space. */
export function stringValue(raw: string): string {
  const u = unescape(raw)
  if (u === null) return ''
  return u.indexOf('\ufffd') >= 0 ? u.replaceAll('\ufffd', ' ') : u
}
