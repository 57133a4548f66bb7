/**
 * Go `time.Time` for templates: a Unix second, nanoseconds and a location, with Go's layout-based
 * `Format` and `Parse` (reference time "Mon Jan 2 15:04:05 MST 2006") and `String()`. Civil dates
 * use the proleptic Gregorian calendar so Go's zero time (year 1) prints as Go prints it.
 */
import { fixedZone, LOCAL, UTC, type GoLocation } from './zones';

export interface GoTime { readonly sec: number; readonly nsec: number; readonly loc: GoLocation }

/** Unix second of Go's zero time, 0001-01-01T00:00:00Z. */
export const ZERO_SEC = -62135596800;
export const ZERO_TIME: GoTime = { sec: ZERO_SEC, nsec: 0, loc: UTC };

const NS = 1_000_000_000n;

/** time.Unix(0, ns) in Go's Local zone. */
export function timeFromNanos(ns: bigint): GoTime {
  let sec = ns / NS;
  let nsec = ns % NS;
  if (nsec < 0n) { nsec += NS; sec -= 1n; }
  return { sec: Number(sec), nsec: Number(nsec), loc: LOCAL };
}

export function unixNano(t: GoTime): bigint {
  return BigInt.asIntN(64, BigInt(t.sec) * NS + BigInt(t.nsec));
}

export function unixMilli(t: GoTime): bigint {
  return BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6));
}

export function isZero(t: GoTime): boolean {
  return t.sec === ZERO_SEC && t.nsec === 0;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export interface Civil {
  year: number; month: number; day: number; hour: number; min: number; sec: number; nsec: number;
  wday: number; yday: number; offset: number; abbr: string;
}

export function civil(t: GoTime): Civil {
  const z = t.loc.lookup(t.sec);
  const local = t.sec + z.offset;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  const yday = days - daysFromCivil(year, 1, 1) + 1;
  return {
    year, month, day,
    hour: Math.floor(secOfDay / 3600), min: Math.floor((secOfDay % 3600) / 60), sec: secOfDay % 60,
    nsec: t.nsec, wday: ((days % 7) + 11) % 7, yday, offset: z.offset, abbr: z.abbr,
  };
}

/** time.Date: normalises out-of-range fields and resolves the zone offset. */
export function makeTime(year: number, month: number, day: number, hour: number, min: number, sec: number,
  nsec: number, loc: GoLocation): GoTime {
  const y = year + Math.floor((month - 1) / 12);
  const m = (((month - 1) % 12) + 12) % 12 + 1;
  const days = daysFromCivil(y, m, 1) + day - 1;
  let unix = days * 86400 + hour * 3600 + min * 60 + sec + Math.floor(nsec / 1e9);
  nsec = ((nsec % 1e9) + 1e9) % 1e9;
  const off1 = loc.lookup(unix).offset;
  const guess = unix - off1;
  const off2 = loc.lookup(guess).offset;
  unix = off2 === off1 ? guess : unix - off2;
  return { sec: unix, nsec, loc };
}

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Layout element codes.
const enum Std {
  None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay,
  UnderYearDay, ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ, ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ,
  ISO8601ColonSecondsTZ, NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

interface Chunk { prefix: string; std: Std; digits: number; sep: string; suffix: string }

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's nextStdChunk: the text before the first layout element, the element and the rest. */
function nextChunk(layout: string): Chunk {
  const mk = (i: number, std: Std, len: number, digits = 0, sep = ''): Chunk =>
    ({ prefix: layout.slice(0, i), std, digits, sep, suffix: layout.slice(i + len) });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const rest = layout.slice(i);
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) return rest.startsWith('January') ? mk(i, Std.LongMonth, 7) : mk(i, Std.Month, 3);
        break;
      case 'M':
        if (rest.startsWith('Mon')) return rest.startsWith('Monday') ? mk(i, Std.LongWeekDay, 6) : mk(i, Std.WeekDay, 3);
        if (rest.startsWith('MST')) return mk(i, Std.TZ, 3);
        break;
      case '0':
        if (rest.length >= 2 && rest[1]! >= '1' && rest[1]! <= '6') {
          const codes = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];
          return mk(i, codes[rest.charCodeAt(1) - 49] as Std, 2);
        }
        if (rest.startsWith('002')) return mk(i, Std.ZeroYearDay, 3);
        break;
      case '1':
        if (rest.startsWith('15')) return mk(i, Std.Hour, 2);
        return mk(i, Std.NumMonth, 1);
      case '2':
        if (rest.startsWith('2006')) return mk(i, Std.LongYear, 4);
        return mk(i, Std.Day, 1);
      case '_':
        if (rest.startsWith('_2')) {
          if (rest.startsWith('_2006')) return { prefix: layout.slice(0, i + 1), std: Std.LongYear, digits: 0, sep: '', suffix: layout.slice(i + 5) };
          return mk(i, Std.UnderDay, 2);
        }
        if (rest.startsWith('__2')) return mk(i, Std.UnderYearDay, 3);
        break;
      case '3': return mk(i, Std.Hour12, 1);
      case '4': return mk(i, Std.Minute, 1);
      case '5': return mk(i, Std.Second, 1);
      case 'P': if (rest.startsWith('PM')) return mk(i, Std.PM, 2); break;
      case 'p': if (rest.startsWith('pm')) return mk(i, Std.pm, 2); break;
      case '-':
        if (rest.startsWith('-070000')) return mk(i, Std.NumSecondsTz, 7);
        if (rest.startsWith('-07:00:00')) return mk(i, Std.NumColonSecondsTZ, 9);
        if (rest.startsWith('-0700')) return mk(i, Std.NumTZ, 5);
        if (rest.startsWith('-07:00')) return mk(i, Std.NumColonTZ, 6);
        if (rest.startsWith('-07')) return mk(i, Std.NumShortTZ, 3);
        break;
      case 'Z':
        if (rest.startsWith('Z070000')) return mk(i, Std.ISO8601SecondsTZ, 7);
        if (rest.startsWith('Z07:00:00')) return mk(i, Std.ISO8601ColonSecondsTZ, 9);
        if (rest.startsWith('Z0700')) return mk(i, Std.ISO8601TZ, 5);
        if (rest.startsWith('Z07:00')) return mk(i, Std.ISO8601ColonTZ, 6);
        if (rest.startsWith('Z07')) return mk(i, Std.ISO8601ShortTZ, 3);
        break;
      case '.': case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return mk(i, ch === '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), c);
          }
        }
        break;
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: '', suffix: '' };
}

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? '-' + s : s;
};

function fmtZone(off: number, colon: boolean, seconds: boolean, short: boolean, zulu: boolean): string {
  if (zulu && off === 0) return 'Z';
  const a = Math.abs(off);
  let s = (off < 0 ? '-' : '+') + pad(Math.floor(a / 3600), 2);
  if (!short) s += (colon ? ':' : '') + pad(Math.floor((a % 3600) / 60), 2);
  if (seconds) s += (colon ? ':' : '') + pad(a % 60, 2);
  return s;
}

/** time.Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  let rest = layout;
  for (;;) {
    const ch = nextChunk(rest);
    out += ch.prefix;
    if (ch.std === Std.None) break;
    rest = ch.suffix;
    switch (ch.std) {
      case Std.Year: out += pad(((c.year % 100) + 100) % 100, 2); break;
      case Std.LongYear: out += pad(c.year, 4); break;
      case Std.Month: out += (LONG_MONTHS[c.month - 1] as string).slice(0, 3); break;
      case Std.LongMonth: out += LONG_MONTHS[c.month - 1]; break;
      case Std.NumMonth: out += c.month; break;
      case Std.ZeroMonth: out += pad(c.month, 2); break;
      case Std.WeekDay: out += (LONG_DAYS[c.wday] as string).slice(0, 3); break;
      case Std.LongWeekDay: out += LONG_DAYS[c.wday]; break;
      case Std.Day: out += c.day; break;
      case Std.UnderDay: out += (c.day < 10 ? ' ' : '') + c.day; break;
      case Std.ZeroDay: out += pad(c.day, 2); break;
      case Std.UnderYearDay: out += String(c.yday).padStart(3, ' '); break;
      case Std.ZeroYearDay: out += pad(c.yday, 3); break;
      case Std.Hour: out += pad(c.hour, 2); break;
      case Std.Hour12: out += c.hour % 12 === 0 ? 12 : c.hour % 12; break;
      case Std.ZeroHour12: out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break;
      case Std.Minute: out += c.min; break;
      case Std.ZeroMinute: out += pad(c.min, 2); break;
      case Std.Second: out += c.sec; break;
      case Std.ZeroSecond: out += pad(c.sec, 2); break;
      case Std.PM: out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case Std.pm: out += c.hour >= 12 ? 'pm' : 'am'; break;
      case Std.ISO8601TZ: out += fmtZone(c.offset, false, false, false, true); break;
      case Std.ISO8601SecondsTZ: out += fmtZone(c.offset, false, true, false, true); break;
      case Std.ISO8601ShortTZ: out += fmtZone(c.offset, false, false, true, true); break;
      case Std.ISO8601ColonTZ: out += fmtZone(c.offset, true, false, false, true); break;
      case Std.ISO8601ColonSecondsTZ: out += fmtZone(c.offset, true, true, false, true); break;
      case Std.NumTZ: out += fmtZone(c.offset, false, false, false, false); break;
      case Std.NumSecondsTz: out += fmtZone(c.offset, false, true, false, false); break;
      case Std.NumShortTZ: out += fmtZone(c.offset, false, false, true, false); break;
      case Std.NumColonTZ: out += fmtZone(c.offset, true, false, false, false); break;
      case Std.NumColonSecondsTZ: out += fmtZone(c.offset, true, true, false, false); break;
      case Std.TZ: out += c.abbr !== '' ? c.abbr : fmtZone(c.offset, false, false, false, false); break;
      case Std.FracSecond0: out += ch.sep + String(c.nsec).padStart(9, '0').slice(0, ch.digits); break;
      case Std.FracSecond9: {
        const f = String(c.nsec).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '');
        if (f !== '') out += ch.sep + f;
        break;
      }
    }
  }
  return out;
}

/** time.Time.String(). */
export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

export function withLocation(t: GoTime, loc: GoLocation): GoTime {
  return { sec: t.sec, nsec: t.nsec, loc };
}

// ---- parsing ----

function getNum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) return fixed ? undefined : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getNum3(s: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, s.slice(i)];
}

function lookupName(tab: string[], val: string): [number, string] | undefined {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i] as string;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) return [i, val.slice(v.length)];
  }
  return undefined;
}

function parseTZName(value: string): number {
  if (value.length < 3) return -1;
  if (value.length >= 4 && (value.startsWith('ChST') || value.startsWith('MeST'))) return 4;
  if (value.startsWith('GMT')) {
    let n = 3;
    if (value.length > 3 && (value[3] === '+' || value[3] === '-')) {
      let j = 4;
      while (isDigitAt(value, j)) j++;
      if (j === 4) return -1;
      n = j;
    }
    return n;
  }
  if (value[0] === '+' || value[0] === '-') {
    let j = 1;
    while (isDigitAt(value, j)) j++;
    return j === 3 || j === 5 ? j : -1;
  }
  let n = 0;
  while (n < value.length && value.charCodeAt(n) >= 65 && value.charCodeAt(n) <= 90) n++;
  if (n === 3 || n === 4 || (n === 5 && value[4] === 'T')) return n;
  return -1;
}

/** time.ParseInLocation; undefined when the value does not match the layout. */
export function parseTime(layout: string, value: string, defLoc: GoLocation, local: GoLocation = LOCAL): GoTime | undefined {
  let year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  let pmSet = false, amSet = false;
  let zoneOffset = -1;
  let zoneName = '';
  let z: GoLocation | undefined;
  let rest = layout;
  for (;;) {
    const ch = nextChunk(rest);
    if (!value.startsWith(ch.prefix)) return undefined;
    value = value.slice(ch.prefix.length);
    if (ch.std === Std.None) { if (value.length !== 0) return undefined; break; }
    rest = ch.suffix;
    let r: [number, string] | undefined;
    switch (ch.std) {
      case Std.Year: {
        if (value.length < 2 || !isDigitAt(value, 0) || !isDigitAt(value, 1)) return undefined;
        const y = Number(value.slice(0, 2));
        year = y >= 69 ? y + 1900 : y + 2000;
        value = value.slice(2);
        break;
      }
      case Std.LongYear:
        if (value.length < 4 || !/^\d{4}/.test(value)) return undefined;
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      case Std.Month: case Std.LongMonth:
        r = lookupName(ch.std === Std.Month ? LONG_MONTHS.map((m) => m.slice(0, 3)) : LONG_MONTHS, value);
        if (!r) return undefined;
        month = r[0] + 1; value = r[1];
        break;
      case Std.NumMonth: case Std.ZeroMonth:
        r = getNum(value, ch.std === Std.ZeroMonth);
        if (!r || r[0] <= 0 || r[0] > 12) return undefined;
        [month, value] = r;
        break;
      case Std.WeekDay: case Std.LongWeekDay:
        r = lookupName(ch.std === Std.WeekDay ? LONG_DAYS.map((d) => d.slice(0, 3)) : LONG_DAYS, value);
        if (!r) return undefined;
        value = r[1];
        break;
      case Std.Day: case Std.UnderDay: case Std.ZeroDay:
        if (ch.std === Std.UnderDay && value[0] === ' ') value = value.slice(1);
        r = getNum(value, ch.std === Std.ZeroDay);
        if (!r) return undefined;
        [day, value] = r;
        break;
      case Std.UnderYearDay: case Std.ZeroYearDay:
        for (let i = 0; i < 2; i++) if (ch.std === Std.UnderYearDay && value[0] === ' ') value = value.slice(1);
        r = getNum3(value, ch.std === Std.ZeroYearDay);
        if (!r) return undefined;
        [yday, value] = r;
        break;
      case Std.Hour:
        r = getNum(value, false);
        if (!r || r[0] < 0 || r[0] >= 24) return undefined;
        [hour, value] = r;
        break;
      case Std.Hour12: case Std.ZeroHour12:
        r = getNum(value, ch.std === Std.ZeroHour12);
        if (!r || r[0] < 0 || r[0] > 12) return undefined;
        [hour, value] = r;
        break;
      case Std.Minute: case Std.ZeroMinute:
        r = getNum(value, ch.std === Std.ZeroMinute);
        if (!r || r[0] < 0 || r[0] >= 60) return undefined;
        [min, value] = r;
        break;
      case Std.Second: case Std.ZeroSecond: {
        r = getNum(value, ch.std === Std.ZeroSecond);
        if (!r || r[0] < 0 || r[0] >= 60) return undefined;
        [sec, value] = r;
        // A fractional second may follow even when the layout has none.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = nextChunk(rest);
          if (next.prefix === '' && (next.std === Std.FracSecond0 || next.std === Std.FracSecond9)) break;
          let n = 1;
          while (isDigitAt(value, n)) n++;
          nsec = fracNanos(value.slice(1, n));
          value = value.slice(n);
        }
        break;
      }
      case Std.PM: case Std.pm: {
        if (value.length < 2) return undefined;
        const p = value.slice(0, 2);
        if (ch.std === Std.PM ? p === 'PM' : p === 'pm') pmSet = true;
        else if (ch.std === Std.PM ? p === 'AM' : p === 'am') amSet = true;
        else return undefined;
        value = value.slice(2);
        break;
      }
      case Std.ISO8601TZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ:
      case Std.ISO8601ColonSecondsTZ: case Std.NumTZ: case Std.NumShortTZ: case Std.NumColonTZ:
      case Std.NumSecondsTz: case Std.NumColonSecondsTZ: {
        const iso = ch.std >= Std.ISO8601TZ && ch.std <= Std.ISO8601ColonSecondsTZ;
        if (iso && value[0] === 'Z') { value = value.slice(1); z = UTC; break; }
        const colon = ch.std === Std.ISO8601ColonTZ || ch.std === Std.NumColonTZ ||
          ch.std === Std.ISO8601ColonSecondsTZ || ch.std === Std.NumColonSecondsTZ;
        const secs = ch.std === Std.ISO8601SecondsTZ || ch.std === Std.NumSecondsTz ||
          ch.std === Std.ISO8601ColonSecondsTZ || ch.std === Std.NumColonSecondsTZ;
        const short = ch.std === Std.ISO8601ShortTZ || ch.std === Std.NumShortTZ;
        const re = short ? /^([+-])(\d\d)/ : secs ? (colon ? /^([+-])(\d\d):(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)(\d\d)/)
          : colon ? /^([+-])(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)/;
        const m = re.exec(value);
        if (!m) return undefined;
        const off = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        zoneOffset = m[1] === '-' ? -off : off;
        value = value.slice(m[0].length);
        break;
      }
      case Std.TZ: {
        if (value.startsWith('UTC')) { z = UTC; value = value.slice(3); break; }
        const n = parseTZName(value);
        if (n < 0) return undefined;
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case Std.FracSecond0: {
        const ndigit = 1 + ch.digits;
        if (value.length < ndigit || (value[0] !== '.' && value[0] !== ',')) return undefined;
        if (!/^\d+$/.test(value.slice(1, ndigit))) return undefined;
        nsec = fracNanos(value.slice(1, ndigit));
        value = value.slice(ndigit);
        break;
      }
      case Std.FracSecond9: {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
        let i = 0;
        while (i + 1 < value.length && isDigitAt(value, i + 1) && i < 9) i++;
        nsec = fracNanos(value.slice(1, 1 + i));
        value = value.slice(1 + i);
        break;
      }
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = isLeap(year);
    if (yday < 1 || yday > (leap ? 366 : 365)) return undefined;
    const t = makeTime(year, 1, yday, 0, 0, 0, 0, UTC);
    const c = civil(t);
    if (month >= 0 && month !== c.month) return undefined;
    if (day >= 0 && day !== c.day) return undefined;
    month = c.month; day = c.day;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const dim = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  if (day < 1 || day > dim) return undefined;
  if (z) return makeTime(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = makeTime(year, month, day, hour, min, sec, nsec, UTC);
    const unix = t.sec - zoneOffset;
    if (local.lookup(unix).offset === zoneOffset) return { sec: unix, nsec, loc: local };
    return { sec: unix, nsec, loc: fixedZone('', zoneOffset) };
  }
  if (zoneName !== '') {
    const t = makeTime(year, month, day, hour, min, sec, nsec, UTC);
    const lz = local.lookup(t.sec);
    if (lz.abbr === zoneName) return { sec: t.sec - lz.offset, nsec, loc: local };
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) off = Number(zoneName.slice(3)) * 3600;
    return { sec: t.sec - off, nsec, loc: fixedZone(zoneName, off) };
  }
  return makeTime(year, month, day, hour, min, sec, nsec, defLoc);
}

function fracNanos(digits: string): number {
  return Number((digits + '000000000').slice(0, 9));
}
