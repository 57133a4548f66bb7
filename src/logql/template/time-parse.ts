/**
 * Go's `time.Parse` / `time.ParseInLocation` for sprig's `toDate` and Loki's `toDateInZone`: the
 * value must match the layout element by element; a fractional second may follow the seconds even
 * when the layout has none; numeric offsets and zone abbreviations resolve as Go resolves them.
 */
import { civil, makeTime, type GoTime } from './time'
import { isDigitAt, LONG_DAYS, LONG_MONTHS, nextChunk, Std } from './time-layout'
import { fixedZone, LOCAL, UTC, type GoLocation } from './zones'

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
}

function getNum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined
  if (!isDigitAt(s, 1)) return fixed ? undefined : [s.charCodeAt(0) - 48, s.slice(1)]
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)]
}

function getNum3(s: string, fixed: boolean): [number, string] | undefined {
  let n = 0
  let i = 0
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48
  if (i === 0 || (fixed && i !== 3)) return undefined
  return [n, s.slice(i)]
}

function lookupName(tab: string[], val: string): [number, string] | undefined {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i] as string
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) return [i, val.slice(v.length)]
  }
  return undefined
}

function parseTZName(value: string): number {
  if (value.length < 3) return -1
  if (value.length >= 4 && (value.startsWith('ChST') || value.startsWith('MeST'))) return 4
  if (value.startsWith('GMT')) {
    let n = 3
    if (value.length > 3 && (value[3] === '+' || value[3] === '-')) {
      let j = 4
      while (isDigitAt(value, j)) j++
      if (j === 4) return -1
      n = j
    }
    return n
  }
  if (value[0] === '+' || value[0] === '-') {
    let j = 1
    while (isDigitAt(value, j)) j++
    return j === 3 || j === 5 ? j : -1
  }
  let n = 0
  while (n < value.length && value.charCodeAt(n) >= 65 && value.charCodeAt(n) <= 90) n++
  if (n === 3 || n === 4 || (n === 5 && value[4] === 'T')) return n
  return -1
}

/** time.ParseInLocation; undefined when the value does not match the layout. */
export function parseTime(
  layout: string, value: string, defLoc: GoLocation, local: GoLocation = LOCAL,
): GoTime | undefined {
  let year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0
  let pmSet = false, amSet = false
  let zoneOffset = -1
  let zoneName = ''
  let z: GoLocation | undefined
  let rest = layout
  for (;;) {
    const ch = nextChunk(rest)
    if (!value.startsWith(ch.prefix)) return undefined
    value = value.slice(ch.prefix.length)
    if (ch.std === Std.None) { if (value.length !== 0) return undefined; break; }
    rest = ch.suffix
    let r: [number, string] | undefined
    switch (ch.std) {
      case Std.Year: {
        if (value.length < 2 || !isDigitAt(value, 0) || !isDigitAt(value, 1)) return undefined
        const y = Number(value.slice(0, 2))
        year = y >= 69 ? y + 1900 : y + 2000
        value = value.slice(2)
        break
      }
      case Std.LongYear:
        if (value.length < 4 || !/^\d{4}/.test(value)) return undefined
        year = Number(value.slice(0, 4))
        value = value.slice(4)
        break
      case Std.Month: case Std.LongMonth:
        r = lookupName(ch.std === Std.Month ? LONG_MONTHS.map((m) => m.slice(0, 3)) : LONG_MONTHS, value)
        if (!r) return undefined
        month = r[0] + 1; value = r[1]
        break
      case Std.NumMonth: case Std.ZeroMonth:
        r = getNum(value, ch.std === Std.ZeroMonth)
        if (!r || r[0] <= 0 || r[0] > 12) return undefined
        month = r[0]
        value = r[1]
        break
      case Std.WeekDay: case Std.LongWeekDay:
        r = lookupName(ch.std === Std.WeekDay ? LONG_DAYS.map((d) => d.slice(0, 3)) : LONG_DAYS, value)
        if (!r) return undefined
        value = r[1]
        break
      case Std.Day: case Std.UnderDay: case Std.ZeroDay:
        if (ch.std === Std.UnderDay && value[0] === ' ') value = value.slice(1)
        r = getNum(value, ch.std === Std.ZeroDay)
        if (!r) return undefined
        day = r[0]
        value = r[1]
        break
      case Std.UnderYearDay: case Std.ZeroYearDay:
        for (let i = 0; i < 2; i++) if (ch.std === Std.UnderYearDay && value[0] === ' ') value = value.slice(1)
        r = getNum3(value, ch.std === Std.ZeroYearDay)
        if (!r) return undefined
        yday = r[0]
        value = r[1]
        break
      case Std.Hour:
        r = getNum(value, false)
        if (!r || r[0] < 0 || r[0] >= 24) return undefined
        hour = r[0]
        value = r[1]
        break
      case Std.Hour12: case Std.ZeroHour12:
        r = getNum(value, ch.std === Std.ZeroHour12)
        if (!r || r[0] < 0 || r[0] > 12) return undefined
        hour = r[0]
        value = r[1]
        break
      case Std.Minute: case Std.ZeroMinute:
        r = getNum(value, ch.std === Std.ZeroMinute)
        if (!r || r[0] < 0 || r[0] >= 60) return undefined
        min = r[0]
        value = r[1]
        break
      case Std.Second: case Std.ZeroSecond: {
        r = getNum(value, ch.std === Std.ZeroSecond)
        if (!r || r[0] < 0 || r[0] >= 60) return undefined
        sec = r[0]
        value = r[1]
        // A fractional second may follow even when the layout has none.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = nextChunk(rest)
          if (next.prefix === '' && (next.std === Std.FracSecond0 || next.std === Std.FracSecond9)) break
          let n = 1
          while (isDigitAt(value, n)) n++
          nsec = fracNanos(value.slice(1, n))
          value = value.slice(n)
        }
        break
      }
      case Std.PM: case Std.pm: {
        if (value.length < 2) return undefined
        const p = value.slice(0, 2)
        if (ch.std === Std.PM ? p === 'PM' : p === 'pm') pmSet = true
        else if (ch.std === Std.PM ? p === 'AM' : p === 'am') amSet = true
        else return undefined
        value = value.slice(2)
        break
      }
      case Std.ISO8601TZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ:
      case Std.ISO8601ColonSecondsTZ: case Std.NumTZ: case Std.NumShortTZ: case Std.NumColonTZ:
      case Std.NumSecondsTz: case Std.NumColonSecondsTZ: {
        const iso = ch.std >= Std.ISO8601TZ && ch.std <= Std.ISO8601ColonSecondsTZ
        if (iso && value[0] === 'Z') { value = value.slice(1); z = UTC; break; }
        const colon = ch.std === Std.ISO8601ColonTZ || ch.std === Std.NumColonTZ ||
          ch.std === Std.ISO8601ColonSecondsTZ || ch.std === Std.NumColonSecondsTZ
        const secs = ch.std === Std.ISO8601SecondsTZ || ch.std === Std.NumSecondsTz ||
          ch.std === Std.ISO8601ColonSecondsTZ || ch.std === Std.NumColonSecondsTZ
        const short = ch.std === Std.ISO8601ShortTZ || ch.std === Std.NumShortTZ
        const re = short ? /^([+-])(\d\d)/ : secs ? (colon ? /^([+-])(\d\d):(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)(\d\d)/)
          : colon ? /^([+-])(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)/
        const m = re.exec(value)
        if (!m) return undefined
        const off = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
        zoneOffset = m[1] === '-' ? -off : off
        value = value.slice(m[0].length)
        break
      }
      case Std.TZ: {
        if (value.startsWith('UTC')) { z = UTC; value = value.slice(3); break; }
        const n = parseTZName(value)
        if (n < 0) return undefined
        zoneName = value.slice(0, n)
        value = value.slice(n)
        break
      }
      case Std.FracSecond0: {
        const ndigit = 1 + ch.digits
        if (value.length < ndigit || (value[0] !== '.' && value[0] !== ',')) return undefined
        if (!/^\d+$/.test(value.slice(1, ndigit))) return undefined
        nsec = fracNanos(value.slice(1, ndigit))
        value = value.slice(ndigit)
        break
      }
      case Std.FracSecond9: {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break
        let i = 0
        while (i + 1 < value.length && isDigitAt(value, i + 1) && i < 9) i++
        nsec = fracNanos(value.slice(1, 1 + i))
        value = value.slice(1 + i)
        break
      }
    }
  }
  if (pmSet && hour < 12) hour += 12
  else if (amSet && hour === 12) hour = 0
  if (yday >= 0) {
    const leap = isLeap(year)
    if (yday < 1 || yday > (leap ? 366 : 365)) return undefined
    const t = makeTime(year, 1, yday, 0, 0, 0, 0, UTC)
    const c = civil(t)
    if (month >= 0 && month !== c.month) return undefined
    if (day >= 0 && day !== c.day) return undefined
    month = c.month; day = c.day
  } else {
    if (month < 0) month = 1
    if (day < 0) day = 1
  }
  const dim = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number
  if (day < 1 || day > dim) return undefined
  if (z) return makeTime(year, month, day, hour, min, sec, nsec, z)
  if (zoneOffset !== -1) {
    const t = makeTime(year, month, day, hour, min, sec, nsec, UTC)
    const unix = t.sec - zoneOffset
    if (local.lookup(unix).offset === zoneOffset) return { sec: unix, nsec, loc: local }
    return { sec: unix, nsec, loc: fixedZone('', zoneOffset) }
  }
  if (zoneName !== '') {
    const t = makeTime(year, month, day, hour, min, sec, nsec, UTC)
    const lz = local.lookup(t.sec)
    if (lz.abbr === zoneName) return { sec: t.sec - lz.offset, nsec, loc: local }
    let off = 0
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) off = Number(zoneName.slice(3)) * 3600
    return { sec: t.sec - off, nsec, loc: fixedZone(zoneName, off) }
  }
  return makeTime(year, month, day, hour, min, sec, nsec, defLoc)
}

function fracNanos(digits: string): number {
  return Number((digits + '000000000').slice(0, 9))
}
