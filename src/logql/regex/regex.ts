/**
 * RE2-semantics regular expressions for LogQL, over the linear-time `re2js` engine so that no user
 * pattern can hang a request. Label matchers are fully anchored with `.` matching newlines (as
 * Prometheus' `^(?s:re)$`); line filters and the `regexp` parser are unanchored with Go's default
 * flags (`.` does not match `\n` unless `(?s)`). Syntax errors carry Go's `regexp` messages
 * (`error parsing regexp: missing closing ): ...`). Pure literals and alternations of literals take
 * a native fast path. Compiled patterns are cached.
 */

import { RE2JS } from 're2js'
import { literalAlternatives } from './literal'
import { expandTemplate } from './expand'

export interface RegexOptions {
  /** Match the whole input (`^(?:re)$`) instead of any substring. */
  readonly anchored: boolean
  /** Let `.` match `\n` (Prometheus label matchers do; line filters do not). */
  readonly dotAll?: boolean
}

export interface RegexMatch {
  /** Start and end (UTF-16 offsets) of the whole match. */
  readonly index: number
  readonly end: number
  /** groups[0] is the whole match; unmatched groups are undefined. */
  readonly groups: readonly (string | undefined)[]
}

export interface CompiledRegex {
  readonly source: string
  /** Capture group names by index; index 0 and unnamed groups are ''. */
  readonly groupNames: readonly string[]
  test(s: string): boolean
  exec(s: string): RegexMatch | null
  /** The value of each named group of the first match (unmatched groups absent). */
  namedGroups(s: string): Record<string, string> | null
  /** Go `ReplaceAllString`: every non-overlapping match replaced by the expanded template. */
  replaceAll(s: string, template: string): string
  /** Go `Regexp.ExpandString` of `template` for a match (`$1`, `${name}`, `$$`). */
  expand(template: string, match: RegexMatch): string
}

export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RegexSyntaxError'
  }
}

const CACHE_LIMIT = 512
const cache = new Map<string, CompiledRegex>()

function compileEngine(pattern: string, flags: number): RE2JS {
  try {
    return RE2JS.compile(pattern, flags)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    throw new RegexSyntaxError(msg.startsWith('error parsing regexp') ? msg : `error parsing regexp: ${msg}`)
  }
}

/** Compiles (or returns the cached) pattern; throws RegexSyntaxError with Go's message. */
export function compileRegex(pattern: string, opts: RegexOptions): CompiledRegex {
  const dotAll = opts.dotAll ?? false
  const key = `${opts.anchored ? 'A' : 'U'}${dotAll ? 'S' : '-'}${pattern}`
  const hit = cache.get(key)
  if (hit) {
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const compiled = build(pattern, opts.anchored, dotAll)
  cache.set(key, compiled)
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  return compiled
}

/** The Go error message for an invalid pattern, or null when it compiles. */
export function regexError(pattern: string): string | null {
  try {
    compileRegex(pattern, { anchored: false })
    return null
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

function build(pattern: string, anchored: boolean, dotAll: boolean): CompiledRegex {
  // Parse the pattern as written first so that errors quote the user's text.
  const raw = compileEngine(pattern, dotAll ? RE2JS.DOTALL : 0)
  const engine = anchored ? compileEngine(`^(?:${pattern})$`, dotAll ? RE2JS.DOTALL : 0) : raw
  const groupNames: string[] = new Array<string>(raw.groupCount() + 1).fill('')
  for (const [name, idx] of Object.entries(raw.namedGroups())) groupNames[idx] = name

  // RE2's index API is several times faster than the Matcher object for submatches.
  const re2 = engine.re2()
  const exec = (s: string): RegexMatch | null => {
    const idx: unknown = re2.findSubmatchIndex(s)
    if (!Array.isArray(idx)) return null
    const groups: (string | undefined)[] = []
    for (let i = 0; i < groupNames.length; i++) {
      const a: unknown = idx[2 * i]
      const b: unknown = idx[2 * i + 1]
      groups.push(typeof a === 'number' && typeof b === 'number' && a >= 0 ? s.slice(a, b) : undefined)
    }
    const start: unknown = idx[0]
    const end: unknown = idx[1]
    return { index: typeof start === 'number' ? start : 0, end: typeof end === 'number' ? end : 0, groups }
  }

  const expand = (template: string, match: RegexMatch): string =>
    expandTemplate(template, (ref) => {
      if (typeof ref === 'number') return match.groups[ref] ?? ''
      const idx = groupNames.indexOf(ref)
      return idx > 0 ? (match.groups[idx] ?? '') : ''
    })

  const lits = literalAlternatives(pattern)
  let test: (s: string) => boolean = (s) => engine.test(s)
  if (lits && anchored && !lits.caseInsensitive) {
    const set = new Set(lits.alternatives)
    test = (s) => set.has(s)
  } else if (lits && !anchored) {
    // A JS RegExp over escaped literals has RE2's semantics here (Unicode simple case folding for
    // the case-insensitive form) and runs natively.
    const js = new RegExp(lits.alternatives.map(escapeLiteral).join('|'), lits.caseInsensitive ? 'iu' : 'u')
    test = (s) => js.test(s)
  }

  return {
    source: pattern,
    groupNames,
    test,
    exec,
    namedGroups(s) {
      const m = exec(s)
      if (!m) return null
      const out: Record<string, string> = {}
      groupNames.forEach((name, i) => {
        const v = m.groups[i]
        if (name !== '' && v !== undefined) out[name] = v
      })
      return out
    },
    replaceAll(s, template) {
      const m = engine.matcher(s)
      let out = ''
      let last = 0
      let searchFrom = 0
      let prevEnd = -1
      while (searchFrom <= s.length && m.find(searchFrom)) {
        const start = m.start()
        const end = m.end()
        if (start === end && start === prevEnd) {
          // Go skips an empty match right after the previous match.
          searchFrom = start + stepOf(s, start)
          if (start >= s.length) break
          continue
        }
        const groups: (string | undefined)[] = []
        for (let i = 0; i < groupNames.length; i++) {
          const g = m.group(i)
          groups.push(g === null ? undefined : g)
        }
        out += s.slice(last, start) + expand(template, { index: start, end, groups })
        last = end
        prevEnd = end
        searchFrom = end > start ? end : end + stepOf(s, end)
        if (start === end && end >= s.length) break
      }
      return out + s.slice(last)
    },
    expand,
  }
}

function stepOf(s: string, i: number): number {
  const c = s.charCodeAt(i)
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}
