/**
 * The functions Loki itself adds to its templates (pkg/logql/log/fmt.go): Go `strings` wrappers,
 * RE2 replace/count with Go's `$1`/`${name}` expansion and empty-match rules, URL coding, byte and
 * duration units, epoch helpers, zone-aware parsing and rune-based alignment. Each carries the Go
 * signature Loki registers, so argument checking matches.
 */
import { RE2JS } from 're2js'
import { CallError, num, str, strFn1, strFn2, timeArg, timeValue, type FuncDef } from './func-types'
import { parseBytes } from '../../go/bytes'
import { parseGoDuration } from '../../go/duration'
import { parseInt64 } from '../../go/strconv'
import * as S from './strings'
import { timeFromNanos, unixMilli, unixNano, ZERO_TIME, type GoTime } from './time'
import { parseTime } from './time-parse'
import { durationSeconds } from './units'
import { queryEscape, queryUnescape } from './url'
import { utf8Length } from '../../go/utf8'
import { goFloat, goInt } from './value'
import { UTC, loadLocation } from './zones'

/** Runs a Go primitive; its error fails the template call with Go's text. */
function failingCall<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    throw new CallError(e instanceof Error ? e.message : String(e))
  }
}

const regexCache = new Map<string, RE2JS>()

function compile(pattern: string): RE2JS {
  let re = regexCache.get(pattern)
  if (!re) {
    try {
      re = RE2JS.compile(pattern)
    } catch (e) {
      throw new CallError(e instanceof Error ? e.message : String(e))
    }
    if (regexCache.size > 200) regexCache.clear()
    regexCache.set(pattern, re)
  }
  return re
}

/** Go's Regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$. */
function expand(tmpl: string, groups: (string | null)[], names: Record<string, number>): string {
  let out = ''
  for (let i = 0; i < tmpl.length; i++) {
    const c = tmpl[i]
    if (c !== '$') { out += c; continue; }
    if (tmpl[i + 1] === '$') { out += '$'; i++; continue; }
    let name: string | undefined
    let end = i + 1
    if (tmpl[i + 1] === '{') {
      const close = tmpl.indexOf('}', i + 2)
      const inner = close < 0 ? '' : tmpl.slice(i + 2, close)
      if (close >= 0 && /^[\p{L}\p{Nd}_]+$/u.test(inner)) { name = inner; end = close + 1; }
    } else {
      const m = /^[\p{L}\p{Nd}_]+/u.exec(tmpl.slice(i + 1))
      if (m) { name = m[0]; end = i + 1 + m[0].length; }
    }
    if (name === undefined) { out += '$'; continue; }
    let idx = -1
    if (/^[0-9]+$/.test(name)) idx = Number(name) < 1e9 ? Number(name) : -1
    else if (name in names) idx = names[name] as number
    if (idx >= 0 && idx < groups.length) out += groups[idx] ?? ''
    i = end - 1
  }
  return out
}

function replaceAll(re: RE2JS, src: string, repl: (groups: (string | null)[]) => string): string {
  const m = re.matcher(src)
  const n = re.groupCount()
  let out = ''
  let lastEnd = 0
  let search = 0
  while (search <= src.length && m.find(search)) {
    const a0 = m.start(0)
    const a1 = m.end(0)
    out += src.slice(lastEnd, a0)
    if (a1 > lastEnd || a0 === 0) {
      const groups: (string | null)[] = []
      for (let g = 0; g <= n; g++) groups.push(m.group(g))
      out += repl(groups)
    }
    lastEnd = a1
    const cp = src.codePointAt(search)
    const width = cp !== undefined && cp > 0xffff ? 2 : 1
    search = search + width > a1 ? search + width : a1
  }
  return out + src.slice(lastEnd)
}

function countMatches(re: RE2JS, s: string): number {
  const m = re.matcher(s)
  let pos = 0
  let prevEnd = -1
  let count = 0
  while (pos <= s.length && m.find(pos)) {
    const a0 = m.start(0)
    const a1 = m.end(0)
    let accept = true
    if (a1 === a0) {
      if (a0 === prevEnd) accept = false
      const cp = s.codePointAt(a1)
      pos = a1 + (cp === undefined ? 1 : String.fromCodePoint(cp).length)
    } else pos = a1
    prevEnd = a1
    if (accept) count++
  }
  return count
}

function align(count: number, src: string, left: boolean): string {
  const r = Array.from(src)
  if (count < 0 || count === r.length) return src
  const padLen = count - r.length
  if (padLen > 0) return left ? src + ' '.repeat(padLen) : ' '.repeat(padLen) + src
  return left ? r.slice(0, count).join('') : r.slice(r.length - count).join('')
}

function unixToTime(epoch: string): GoTime {
  let i: bigint
  try {
    i = parseInt64(epoch, 10)
  } catch (e) {
    throw new CallError(`unable to parse time '${epoch}': ${e instanceof Error ? e.message : String(e)}`)
  }
  switch (utf8Length(epoch)) {
    case 5: return timeFromNanos(i * 86400n * 1_000_000_000n)
    case 10: return timeFromNanos(i * 1_000_000_000n)
    case 13: return timeFromNanos(BigInt.asIntN(64, i * 1_000_000n))
    case 16: return timeFromNanos(BigInt.asIntN(64, i * 1000n))
    case 19: return timeFromNanos(i)
    default: throw new CallError(`unable to parse time '${epoch}': %!w(<nil>)`)
  }
}

export const LOKI_FUNCS: Record<string, FuncDef> = {
  ToLower: strFn1(S.toLower),
  ToUpper: strFn1(S.toUpper),
  Replace: {
    params: ['string', 'string', 'string', 'int'],
    call: (a) => S.replace(str(a[0]), str(a[1]), str(a[2]), num(a[3])),
  },
  Trim: strFn2(S.trim),
  TrimLeft: strFn2(S.trimLeft),
  TrimRight: strFn2(S.trimRight),
  TrimPrefix: strFn2(S.trimPrefix),
  TrimSuffix: strFn2(S.trimSuffix),
  TrimSpace: strFn1(S.trimSpace),
  regexReplaceAll: {
    params: ['string', 'string', 'string'],
    call: (a) => {
      const re = compile(str(a[0]))
      const names = re.namedGroups() as Record<string, number>
      const tmpl = str(a[2])
      return replaceAll(re, str(a[1]), (g) => expand(tmpl, g, names))
    },
  },
  regexReplaceAllLiteral: {
    params: ['string', 'string', 'string'],
    call: (a) => { const r = str(a[2]); return replaceAll(compile(str(a[0])), str(a[1]), () => r); },
  },
  count: { params: ['string', 'string'], call: (a) => goInt(countMatches(compile(str(a[0])), str(a[1]))) },
  urldecode: strFn1(queryUnescape),
  urlencode: strFn1(queryEscape),
  bytes: { params: ['string'], call: (a) => goFloat(failingCall(() => parseBytes(str(a[0])))) },
  duration: { params: ['string'], call: (a) => goFloat(durationSeconds(failingCall(() => parseGoDuration(str(a[0]))))) },
  duration_seconds: { params: ['string'], call: (a) => goFloat(durationSeconds(failingCall(() => parseGoDuration(str(a[0]))))) },
  unixEpochMillis: { params: ['time'], call: (a) => unixMilli(timeArg(a[0])).toString() },
  unixEpochNanos: { params: ['time'], call: (a) => unixNano(timeArg(a[0])).toString() },
  toDateInZone: {
    params: ['string', 'string', 'string'],
    call: (a) => timeValue(parseTime(str(a[0]), str(a[2]), loadLocation(str(a[1])) ?? UTC) ?? ZERO_TIME),
  },
  unixToTime: { params: ['string'], call: (a) => timeValue(unixToTime(str(a[0]))) },
  alignLeft: { params: ['int', 'string'], call: (a) => align(num(a[0]), str(a[1]), true) },
  alignRight: { params: ['int', 'string'], call: (a) => align(num(a[0]), str(a[1]), false) },
}

