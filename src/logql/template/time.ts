/**
 * Go `time.Time` for templates: a Unix second, nanoseconds and a location, with Go's layout-based
 * `Format` (reference time "Mon Jan 2 15:04:05 MST 2006") and `String()`. Civil dates
 * use the proleptic Gregorian calendar so Go's zero time (year 1) prints as Go prints it.
 */
import { LONG_DAYS, LONG_MONTHS, nextChunk, Std } from './time-layout'
import { LOCAL, UTC, type GoLocation } from './zones'

export { LONG_DAYS, LONG_MONTHS }

export interface GoTime { readonly sec: number; readonly nsec: number; readonly loc: GoLocation }

/** Unix second of Go's zero time, 0001-01-01T00:00:00Z. */
export const ZERO_SEC = -62135596800
export const ZERO_TIME: GoTime = { sec: ZERO_SEC, nsec: 0, loc: UTC }

const NS = 1_000_000_000n

/** time.Unix(0, ns) in Go's Local zone. */
export function timeFromNanos(ns: bigint): GoTime {
  let sec = ns / NS
  let nsec = ns % NS
  if (nsec < 0n) { nsec += NS; sec -= 1n; }
  return { sec: Number(sec), nsec: Number(nsec), loc: LOCAL }
}

export function unixNano(t: GoTime): bigint {
  return BigInt.asIntN(64, BigInt(t.sec) * NS + BigInt(t.nsec))
}

export function unixMilli(t: GoTime): bigint {
  return BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6))
}

export function isZero(t: GoTime): boolean {
  return t.sec === ZERO_SEC && t.nsec === 0
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b)

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = floorDiv(y, 400)
  const yoe = y - era * 400
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy
  return era * 146097 + doe - 719468
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468
  const era = floorDiv(z, 146097)
  const doe = z - era * 146097
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365)
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100))
  const mp = floorDiv(5 * doy + 2, 153)
  const d = doy - floorDiv(153 * mp + 2, 5) + 1
  const m = mp + (mp < 10 ? 3 : -9)
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

export interface Civil {
  year: number; month: number; day: number; hour: number; min: number; sec: number; nsec: number
  wday: number; yday: number; offset: number; abbr: string
}

export function civil(t: GoTime): Civil {
  const z = t.loc.lookup(t.sec)
  const local = t.sec + z.offset
  const days = floorDiv(local, 86400)
  const secOfDay = local - days * 86400
  const [year, month, day] = civilFromDays(days)
  const yday = days - daysFromCivil(year, 1, 1) + 1
  return {
    year, month, day,
    hour: Math.floor(secOfDay / 3600), min: Math.floor((secOfDay % 3600) / 60), sec: secOfDay % 60,
    nsec: t.nsec, wday: ((days % 7) + 11) % 7, yday, offset: z.offset, abbr: z.abbr,
  }
}

/** time.Date: normalises out-of-range fields and resolves the zone offset. */
export function makeTime(year: number, month: number, day: number, hour: number, min: number, sec: number,
  nsec: number, loc: GoLocation): GoTime {
  const y = year + Math.floor((month - 1) / 12)
  const m = (((month - 1) % 12) + 12) % 12 + 1
  const days = daysFromCivil(y, m, 1) + day - 1
  let unix = days * 86400 + hour * 3600 + min * 60 + sec + Math.floor(nsec / 1e9)
  nsec = ((nsec % 1e9) + 1e9) % 1e9
  const off1 = loc.lookup(unix).offset
  const guess = unix - off1
  const off2 = loc.lookup(guess).offset
  unix = off2 === off1 ? guess : unix - off2
  return { sec: unix, nsec, loc }
}

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, '0')
  return n < 0 ? '-' + s : s
}

function fmtZone(off: number, colon: boolean, seconds: boolean, short: boolean, zulu: boolean): string {
  if (zulu && off === 0) return 'Z'
  const a = Math.abs(off)
  let s = (off < 0 ? '-' : '+') + pad(Math.floor(a / 3600), 2)
  if (!short) s += (colon ? ':' : '') + pad(Math.floor((a % 3600) / 60), 2)
  if (seconds) s += (colon ? ':' : '') + pad(a % 60, 2)
  return s
}

/** time.Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t)
  let out = ''
  let rest = layout
  for (;;) {
    const ch = nextChunk(rest)
    out += ch.prefix
    if (ch.std === Std.None) break
    rest = ch.suffix
    switch (ch.std) {
      case Std.Year: out += pad(((c.year % 100) + 100) % 100, 2); break
      case Std.LongYear: out += pad(c.year, 4); break
      case Std.Month: out += (LONG_MONTHS[c.month - 1] as string).slice(0, 3); break
      case Std.LongMonth: out += LONG_MONTHS[c.month - 1]; break
      case Std.NumMonth: out += c.month; break
      case Std.ZeroMonth: out += pad(c.month, 2); break
      case Std.WeekDay: out += (LONG_DAYS[c.wday] as string).slice(0, 3); break
      case Std.LongWeekDay: out += LONG_DAYS[c.wday]; break
      case Std.Day: out += c.day; break
      case Std.UnderDay: out += (c.day < 10 ? ' ' : '') + c.day; break
      case Std.ZeroDay: out += pad(c.day, 2); break
      case Std.UnderYearDay: out += String(c.yday).padStart(3, ' '); break
      case Std.ZeroYearDay: out += pad(c.yday, 3); break
      case Std.Hour: out += pad(c.hour, 2); break
      case Std.Hour12: out += c.hour % 12 === 0 ? 12 : c.hour % 12; break
      case Std.ZeroHour12: out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break
      case Std.Minute: out += c.min; break
      case Std.ZeroMinute: out += pad(c.min, 2); break
      case Std.Second: out += c.sec; break
      case Std.ZeroSecond: out += pad(c.sec, 2); break
      case Std.PM: out += c.hour >= 12 ? 'PM' : 'AM'; break
      case Std.pm: out += c.hour >= 12 ? 'pm' : 'am'; break
      case Std.ISO8601TZ: out += fmtZone(c.offset, false, false, false, true); break
      case Std.ISO8601SecondsTZ: out += fmtZone(c.offset, false, true, false, true); break
      case Std.ISO8601ShortTZ: out += fmtZone(c.offset, false, false, true, true); break
      case Std.ISO8601ColonTZ: out += fmtZone(c.offset, true, false, false, true); break
      case Std.ISO8601ColonSecondsTZ: out += fmtZone(c.offset, true, true, false, true); break
      case Std.NumTZ: out += fmtZone(c.offset, false, false, false, false); break
      case Std.NumSecondsTz: out += fmtZone(c.offset, false, true, false, false); break
      case Std.NumShortTZ: out += fmtZone(c.offset, false, false, true, false); break
      case Std.NumColonTZ: out += fmtZone(c.offset, true, false, false, false); break
      case Std.NumColonSecondsTZ: out += fmtZone(c.offset, true, true, false, false); break
      case Std.TZ: out += c.abbr !== '' ? c.abbr : fmtZone(c.offset, false, false, false, false); break
      case Std.FracSecond0: out += ch.sep + String(c.nsec).padStart(9, '0').slice(0, ch.digits); break
      case Std.FracSecond9: {
        const f = String(c.nsec).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '')
        if (f !== '') out += ch.sep + f
        break
      }
    }
  }
  return out
}

/** time.Time.String(). */
export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST')
}

export function withLocation(t: GoTime, loc: GoLocation): GoTime {
  return { sec: t.sec, nsec: t.nsec, loc }
}
