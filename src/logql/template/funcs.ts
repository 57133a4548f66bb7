/**
 * The functions Loki adds to its templates (pkg/logql/log/fmt.go): its own string, regex, unit and
 * time helpers, and the subset of sprig it imports, each with the Go signature Loki registers so
 * that argument checking and results match (sprig's `add` returns int64, `int` returns int...).
 */
import { RE2JS } from 're2js';
import { CallError, num, str, timeArg, type FuncDef } from './func-types';
import { parseInt64, parseFloat64 } from './strconv';
import * as S from './strings';
import {
  formatTime, parseTime, timeFromNanos, unixMilli, unixNano, withLocation, ZERO_TIME, type GoTime,
} from './time';
import { decimalFold, durationSeconds, parseBytes, parseDuration, type DecOp } from './units';
import { queryEscape, queryUnescape } from './url';
import { byteSlice, decodeLossy, isAscii, utf8Bytes, utf8Length } from './utf8';
import { goFloat, goInt, goMapOf, goSlice, goBool, isTrue, NIL, type GoValue } from './value';
import { LOCAL, UTC, loadLocation } from './zones';

const regexCache = new Map<string, RE2JS>();

function compile(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new CallError(e instanceof Error ? e.message : String(e));
    }
    if (regexCache.size > 200) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Go's Regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$. */
function expand(tmpl: string, groups: (string | null)[], names: Record<string, number>): string {
  let out = '';
  for (let i = 0; i < tmpl.length; i++) {
    const c = tmpl[i];
    if (c !== '$') { out += c; continue; }
    if (tmpl[i + 1] === '$') { out += '$'; i++; continue; }
    let name: string | undefined;
    let end = i + 1;
    if (tmpl[i + 1] === '{') {
      const close = tmpl.indexOf('}', i + 2);
      const inner = close < 0 ? '' : tmpl.slice(i + 2, close);
      if (close >= 0 && /^[\p{L}\p{Nd}_]+$/u.test(inner)) { name = inner; end = close + 1; }
    } else {
      const m = /^[\p{L}\p{Nd}_]+/u.exec(tmpl.slice(i + 1));
      if (m) { name = m[0]; end = i + 1 + m[0].length; }
    }
    if (name === undefined) { out += '$'; continue; }
    let idx = -1;
    if (/^[0-9]+$/.test(name)) { const n = Number(name); if (n < 1e9) idx = n; } else if (name in names) idx = names[name] as number;
    if (idx >= 0 && idx < groups.length) out += groups[idx] ?? '';
    i = end - 1;
  }
  return out;
}

function replaceAll(re: RE2JS, src: string, repl: (groups: (string | null)[]) => string): string {
  const m = re.matcher(src);
  const n = re.groupCount();
  let out = '';
  let lastEnd = 0;
  let search = 0;
  while (search <= src.length && m.find(search)) {
    const a0 = m.start(0);
    const a1 = m.end(0);
    out += src.slice(lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) {
      const groups: (string | null)[] = [];
      for (let g = 0; g <= n; g++) groups.push(m.group(g));
      out += repl(groups);
    }
    lastEnd = a1;
    const width = src.codePointAt(search) !== undefined ? String.fromCodePoint(src.codePointAt(search) as number).length : 1;
    search = search + width > a1 ? search + width : a1;
  }
  return out + src.slice(lastEnd);
}

function countMatches(re: RE2JS, s: string): number {
  const m = re.matcher(s);
  let pos = 0;
  let prevEnd = -1;
  let count = 0;
  while (pos <= s.length && m.find(pos)) {
    const a0 = m.start(0);
    const a1 = m.end(0);
    let accept = true;
    if (a1 === a0) {
      if (a0 === prevEnd) accept = false;
      const cp = s.codePointAt(a1);
      pos = a1 + (cp === undefined ? 1 : String.fromCodePoint(cp).length);
    } else pos = a1;
    prevEnd = a1;
    if (accept) count++;
  }
  return count;
}

function align(count: number, src: string, left: boolean): string {
  const r = Array.from(src);
  if (count < 0 || count === r.length) return src;
  const padLen = count - r.length;
  if (padLen > 0) return left ? src + ' '.repeat(padLen) : ' '.repeat(padLen) + src;
  return left ? r.slice(0, count).join('') : r.slice(r.length - count).join('');
}

function unixToTime(epoch: string): GoTime {
  let i: bigint;
  try {
    i = parseInt64(epoch, 10);
  } catch (e) {
    throw new CallError(`unable to parse time '${epoch}': ${e instanceof Error ? e.message : String(e)}`);
  }
  switch (utf8Length(epoch)) {
    case 5: return timeFromNanos(i * 86400n * 1_000_000_000n);
    case 10: return timeFromNanos(i * 1_000_000_000n);
    case 13: return timeFromNanos(BigInt.asIntN(64, i * 1_000_000n));
    case 16: return timeFromNanos(BigInt.asIntN(64, i * 1000n));
    case 19: return timeFromNanos(i);
    default: throw new CallError(`unable to parse time '${epoch}': %!w(<nil>)`);
  }
}

/** cast.ToInt64 (v1.10) as sprig uses it: failures give 0. */
export function toInt64(v: GoValue | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'string') {
    if (v === '') return 0n;
    let s = v;
    if (s.includes('.')) {
      const m = /^([-+]?\d*)(\.\d*)?$/.exec(s);
      if (m) s = m[1] === '' ? '0' : m[1] === '-' || m[1] === '+' ? m[1] + '0' : (m[1] as string);
    }
    try { return parseInt64(s, 0); } catch { return 0n; }
  }
  switch (v.k) {
    case 'int': case 'uint': return BigInt.asIntN(64, v.v);
    case 'float':
      if (!Number.isFinite(v.v) || Math.abs(v.v) >= 2 ** 63) return -(1n << 63n);
      return BigInt(Math.trunc(v.v));
    case 'bool': return v.v ? 1n : 0n;
    default: return 0n;
  }
}

/** cast.ToFloat64 as sprig uses it: failures give 0. */
export function toFloat64(v: GoValue | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') {
    if (v === '') return 0;
    try { return parseFloat64(v); } catch { return 0; }
  }
  switch (v.k) {
    case 'int': case 'uint': return Number(v.v);
    case 'float': return v.v;
    case 'bool': return v.v ? 1 : 0;
    default: return 0;
  }
}

function isEmpty(v: GoValue | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'string' && v.k === 'time') return false;
  return !isTrue(v);
}

function fromJson(s: string): GoValue {
  let parsed: unknown;
  try { parsed = JSON.parse(s); } catch { return NIL; }
  const conv = (x: unknown): GoValue => {
    if (x === null) return NIL;
    if (typeof x === 'string') return x;
    if (typeof x === 'number') return goFloat(x);
    if (typeof x === 'boolean') return goBool(x);
    if (Array.isArray(x)) return goSlice(x.map(conv));
    const m = new Map<string, GoValue>();
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) m.set(k, conv(val));
    return goMapOf(m);
  };
  return conv(parsed);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function b64enc(s: string): string {
  const b = utf8Bytes(s);
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

/** base64.StdEncoding.DecodeString; sprig returns the error text instead of failing. */
function b64dec(s: string): string {
  const src = utf8Bytes(s);
  const out: number[] = [];
  const fail = (off: number): string => `illegal base64 data at input byte ${off}`;
  const skipNewlines = (i: number): number => {
    while (i < src.length && (src[i] === 10 || src[i] === 13)) i++;
    return i;
  };
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return decodeLossy(Uint8Array.from(out));
        return fail(si - j);
      }
      const c = src[si++] as number;
      const v = c < 128 ? B64.indexOf(String.fromCharCode(c)) : -1;
      if (v >= 0) { dbuf[j] = v; continue; }
      if (c === 10 || c === 13) { j--; continue; }
      if (c !== 61) return fail(si - 1);
      if (j === 0 || j === 1) return fail(si - 1);
      if (j === 2) {
        si = skipNewlines(si);
        if (si === src.length) return fail(src.length);
        if (src[si] !== 61) return fail(si - 1);
        si++;
      }
      si = skipNewlines(si);
      if (si < src.length) return fail(si);
      dlen = j;
      break;
    }
    const n = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    out.push(...bytes.slice(0, dlen - 1));
    si = skipNewlines(si);
  }
  return decodeLossy(Uint8Array.from(out));
}

function sliceBoundsError(lo: string, hi: string, len?: number): CallError {
  return new CallError(`runtime error: slice bounds out of range [${lo}:${hi}]${len === undefined ? '' : ` with length ${len}`}`);
}

function substr(start: number, end: number, s: string): string {
  const len = isAscii(s) ? s.length : utf8Length(s);
  if (start < 0) {
    if (end < 0 || end > len) throw sliceBoundsError('', String(end), end < 0 ? undefined : len);
    return byteSlice(s, 0, end);
  }
  if (end < 0 || end > len) {
    if (start > len) throw sliceBoundsError(String(start), String(len));
    return byteSlice(s, start);
  }
  if (start > end) throw sliceBoundsError(String(start), String(end));
  return byteSlice(s, start, end);
}

function trunc(c: number, s: string): string {
  const len = isAscii(s) ? s.length : utf8Length(s);
  if (c < 0 && len + c > 0) return byteSlice(s, len + c);
  if (c >= 0 && len > c) return byteSlice(s, 0, c);
  return s;
}

function dateArg(v: GoValue | undefined): GoTime {
  if (v !== undefined && typeof v !== 'string') {
    if (v.k === 'time') return v.v;
    if (v.k === 'int' && (v.t === 'int' || v.t === 'int64')) return timeFromNanos(v.v * 1_000_000_000n);
  }
  return timeFromNanos(BigInt(Date.now()) * 1_000_000n);
}

const dec = (op: DecOp) => (a: GoValue[]): GoValue => goFloat(decimalFold(op, toFloat64(a[0]), a.slice(1).map(toFloat64)));
const i64 = (v: bigint): GoValue => goInt(v, 'int64');
const S1 = (f: (s: string) => string): FuncDef => ({ params: ['string'], call: (a) => f(str(a[0])) });
const S2 = (f: (a: string, b: string) => string): FuncDef => ({ params: ['string', 'string'], call: (a) => f(str(a[0]), str(a[1])) });
const B2 = (f: (a: string, b: string) => boolean): FuncDef => ({ params: ['string', 'string'], call: (a) => goBool(f(str(a[0]), str(a[1]))) });
const timeVal = (t: GoTime): GoValue => ({ k: 'time', v: t });

export const LOKI_FUNCS: Record<string, FuncDef> = {
  ToLower: S1(S.toLower),
  ToUpper: S1(S.toUpper),
  Replace: { params: ['string', 'string', 'string', 'int'], call: (a) => S.replace(str(a[0]), str(a[1]), str(a[2]), num(a[3])) },
  Trim: S2(S.trim),
  TrimLeft: S2(S.trimLeft),
  TrimRight: S2(S.trimRight),
  TrimPrefix: S2(S.trimPrefix),
  TrimSuffix: S2(S.trimSuffix),
  TrimSpace: S1(S.trimSpace),
  regexReplaceAll: {
    params: ['string', 'string', 'string'],
    call: (a) => {
      const re = compile(str(a[0]));
      const names = re.namedGroups() as Record<string, number>;
      const tmpl = str(a[2]);
      return replaceAll(re, str(a[1]), (g) => expand(tmpl, g, names));
    },
  },
  regexReplaceAllLiteral: {
    params: ['string', 'string', 'string'],
    call: (a) => { const r = str(a[2]); return replaceAll(compile(str(a[0])), str(a[1]), () => r); },
  },
  count: { params: ['string', 'string'], call: (a) => goInt(countMatches(compile(str(a[0])), str(a[1]))) },
  urldecode: S1(queryUnescape),
  urlencode: S1(queryEscape),
  bytes: { params: ['string'], call: (a) => goFloat(parseBytes(str(a[0]))) },
  duration: { params: ['string'], call: (a) => goFloat(durationSeconds(parseDuration(str(a[0])))) },
  duration_seconds: { params: ['string'], call: (a) => goFloat(durationSeconds(parseDuration(str(a[0])))) },
  unixEpochMillis: { params: ['time'], call: (a) => unixMilli(timeArg(a[0])).toString() },
  unixEpochNanos: { params: ['time'], call: (a) => unixNano(timeArg(a[0])).toString() },
  toDateInZone: {
    params: ['string', 'string', 'string'],
    call: (a) => timeVal(parseTime(str(a[0]), str(a[2]), loadLocation(str(a[1])) ?? UTC) ?? ZERO_TIME),
  },
  unixToTime: { params: ['string'], call: (a) => timeVal(unixToTime(str(a[0]))) },
  alignLeft: { params: ['int', 'string'], call: (a) => align(num(a[0]), str(a[1]), true) },
  alignRight: { params: ['int', 'string'], call: (a) => align(num(a[0]), str(a[1]), false) },
  // sprig
  b64enc: S1(b64enc),
  b64dec: S1(b64dec),
  lower: S1(S.toLower),
  upper: S1(S.toUpper),
  title: S1(S.title),
  trunc: { params: ['int', 'string'], call: (a) => trunc(num(a[0]), str(a[1])) },
  substr: { params: ['int', 'int', 'string'], call: (a) => substr(num(a[0]), num(a[1]), str(a[2])) },
  contains: B2((sub, s) => s.includes(sub)),
  hasPrefix: B2((p, s) => s.startsWith(p)),
  hasSuffix: B2((p, s) => s.endsWith(p)),
  indent: { params: ['int', 'string'], call: (a) => indent(num(a[0]), str(a[1])) },
  nindent: { params: ['int', 'string'], call: (a) => '\n' + indent(num(a[0]), str(a[1])) },
  replace: { params: ['string', 'string', 'string'], call: (a) => S.replace(str(a[2]), str(a[0]), str(a[1]), -1) },
  repeat: { params: ['int', 'string'], call: (a) => S.repeat(str(a[1]), num(a[0])) },
  trim: S1(S.trimSpace),
  trimAll: S2((cut, s) => S.trim(s, cut)),
  trimSuffix: S2((suf, s) => S.trimSuffix(s, suf)),
  trimPrefix: S2((pre, s) => S.trimPrefix(s, pre)),
  int: { params: ['any'], call: (a) => goInt(toInt64(a[0])) },
  float64: { params: ['any'], call: (a) => goFloat(toFloat64(a[0])) },
  add: { params: [], variadic: 'any', call: (a) => i64(a.reduce((acc, v) => acc + toInt64(v), 0n)) },
  sub: { params: ['any', 'any'], call: (a) => i64(toInt64(a[0]) - toInt64(a[1])) },
  mul: { params: ['any'], variadic: 'any', call: (a) => i64(a.slice(1).reduce((acc, v) => BigInt.asIntN(64, acc * toInt64(v)), toInt64(a[0]))) },
  div: { params: ['any', 'any'], call: (a) => i64(intDiv(toInt64(a[0]), toInt64(a[1]), false)) },
  mod: { params: ['any', 'any'], call: (a) => i64(intDiv(toInt64(a[0]), toInt64(a[1]), true)) },
  addf: { params: [], variadic: 'any', call: (a) => dec('add')([goFloat(0), ...a]) },
  subf: { params: ['any'], variadic: 'any', call: dec('sub') },
  mulf: { params: ['any'], variadic: 'any', call: dec('mul') },
  divf: { params: ['any'], variadic: 'any', call: dec('div') },
  max: { params: ['any'], variadic: 'any', call: (a) => i64(a.map(toInt64).reduce((x, y) => (y > x ? y : x))) },
  min: { params: ['any'], variadic: 'any', call: (a) => i64(a.map(toInt64).reduce((x, y) => (y < x ? y : x))) },
  maxf: { params: ['any'], variadic: 'any', call: (a) => goFloat(a.map(toFloat64).reduce((x, y) => goMax(x, y))) },
  minf: { params: ['any'], variadic: 'any', call: (a) => goFloat(a.map(toFloat64).reduce((x, y) => goMin(x, y))) },
  ceil: { params: ['any'], call: (a) => goFloat(Math.ceil(toFloat64(a[0]))) },
  floor: { params: ['any'], call: (a) => goFloat(Math.floor(toFloat64(a[0]))) },
  round: { params: ['any', 'int'], variadic: 'float64', call: (a) => goFloat(round(toFloat64(a[0]), num(a[1]), a[2] === undefined ? 0.5 : num(a[2]))) },
  fromJson: { params: ['string'], call: (a) => fromJson(str(a[0])) },
  date: { params: ['string', 'any'], call: (a) => formatTime(withLocation(dateArg(a[1]), LOCAL), str(a[0])) },
  toDate: { params: ['string', 'string'], call: (a) => timeVal(parseTime(str(a[0]), str(a[1]), LOCAL) ?? ZERO_TIME) },
  now: { params: [], call: () => timeVal(timeFromNanos(BigInt(Date.now()) * 1_000_000n)) },
  unixEpoch: { params: ['time'], call: (a) => String(timeArg(a[0]).sec) },
  default: { params: ['any'], variadic: 'any', call: (a) => (a.length < 2 || isEmpty(a[1]) ? (a[0] as GoValue) : (a[1] as GoValue)) },
};

function indent(n: number, s: string): string {
  if (n < 0) throw new CallError('strings: negative Repeat count');
  const pad = ' '.repeat(n);
  return pad + s.split('\n').join('\n' + pad);
}

function intDiv(a: bigint, b: bigint, mod: boolean): bigint {
  if (b === 0n) throw new CallError('runtime error: integer divide by zero');
  return BigInt.asIntN(64, mod ? a % b : a / b);
}

function goMax(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return Math.max(x, y);
}

function goMin(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return Math.min(x, y);
}

function round(val: number, p: number, roundOn: number): number {
  const pow = Number.isInteger(p) && Math.abs(p) <= 308 ? Number(`1e${p}`) : Math.pow(10, p);
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

