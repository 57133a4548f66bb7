/**
 * Go `strings` functions with Go's exact rune rules where they differ from JS: simple per-rune
 * case mapping (no `ß` → `SS`), Unicode `IsSpace` for trimming (no BOM), cut sets of runes,
 * `Replace` with an empty old string, and the old `strings.Title` word rule.
 */
import { CallError } from './func-types'
import { isAscii } from './utf8'

function mapRunes(s: string, f: (c: string) => string): string {
  let out = ''
  for (const c of s) {
    const m = f(c)
    out += Array.from(m).length === 1 ? m : c
  }
  return out
}

export function toLower(s: string): string {
  return isAscii(s) ? s.toLowerCase() : mapRunes(s, (c) => (c === '\u0130' ? 'i' : c.toLowerCase()))
}

export function toUpper(s: string): string {
  return isAscii(s) ? s.toUpperCase() : mapRunes(s, (c) => c.toUpperCase())
}

const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const TRIM_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g')
const IS_SPACE = new RegExp(`^[${SPACE}]$`)

export function trimSpace(s: string): string {
  return s.replace(TRIM_SPACE, '')
}

export function trimLeft(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s
  const set = new Set(Array.from(cutset))
  const r = Array.from(s)
  let i = 0
  while (i < r.length && set.has(r[i] as string)) i++
  return r.slice(i).join('')
}

export function trimRight(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s
  const set = new Set(Array.from(cutset))
  const r = Array.from(s)
  let j = r.length
  while (j > 0 && set.has(r[j - 1] as string)) j--
  return r.slice(0, j).join('')
}

export function trim(s: string, cutset: string): string {
  return trimRight(trimLeft(s, cutset), cutset)
}

export function trimPrefix(s: string, p: string): string {
  return s.startsWith(p) ? s.slice(p.length) : s
}

export function trimSuffix(s: string, p: string): string {
  return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s
}

/** strings.Replace(s, old, new, n); n < 0 replaces all. */
export function replace(s: string, old: string, rep: string, n: number): string {
  if (old === rep || n === 0) return s
  if (old === '') {
    const r = Array.from(s)
    let out = ''
    let done = 0
    for (let i = 0; i <= r.length; i++) {
      if (n < 0 || done < n) { out += rep; done++; }
      if (i < r.length) out += r[i]
    }
    return out
  }
  if (n < 0) return s.split(old).join(rep)
  let out = ''
  let pos = 0
  for (let i = 0; i < n; i++) {
    const j = s.indexOf(old, pos)
    if (j < 0) break
    out += s.slice(pos, j) + rep
    pos = j + old.length
  }
  return out + s.slice(pos)
}

export function repeat(s: string, count: number): string {
  if (count < 0) throw new CallError('strings: negative Repeat count')
  return s.repeat(count)
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0) as number
  if (cp <= 0x7f) {
    if (/[0-9a-zA-Z_]/.test(c)) return false
    return true
  }
  if (/[\p{L}\p{Nd}]/u.test(c)) return false
  return IS_SPACE.test(c)
}

/** The deprecated strings.Title that sprig's `title` uses. */
export function title(s: string): string {
  let prev = ' '
  let out = ''
  for (const c of s) {
    if (isSeparator(prev)) {
      const u = c.toUpperCase()
      out += Array.from(u).length === 1 ? u : c
    } else out += c
    prev = c
  }
  return out
}
