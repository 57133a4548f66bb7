/**
 * Go time layouts: the month and day names and the tokenizer that finds the next element of a
 * layout ("2006", "Jan", "15", "-07:00", ".000"...), shared by formatting and parsing.
 */
export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December']
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

// Layout element codes.
export const enum Std {
  None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay,
  UnderYearDay, ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ, ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ,
  ISO8601ColonSecondsTZ, NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

export interface Chunk { prefix: string; std: Std; digits: number; sep: string; suffix: string }

export const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57

/** Go's nextStdChunk: the text before the first layout element, the element and the rest. */
export function nextChunk(layout: string): Chunk {
  const mk = (i: number, std: Std, len: number, digits = 0, sep = ''): Chunk =>
    ({ prefix: layout.slice(0, i), std, digits, sep, suffix: layout.slice(i + len) })
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]
    const rest = layout.slice(i)
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) return rest.startsWith('January') ? mk(i, Std.LongMonth, 7) : mk(i, Std.Month, 3)
        break
      case 'M':
        if (rest.startsWith('Mon')) return rest.startsWith('Monday') ? mk(i, Std.LongWeekDay, 6) : mk(i, Std.WeekDay, 3)
        if (rest.startsWith('MST')) return mk(i, Std.TZ, 3)
        break
      case '0':
        if (rest.length >= 2 && rest[1]! >= '1' && rest[1]! <= '6') {
          const codes = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year]
          return mk(i, codes[rest.charCodeAt(1) - 49] as Std, 2)
        }
        if (rest.startsWith('002')) return mk(i, Std.ZeroYearDay, 3)
        break
      case '1':
        if (rest.startsWith('15')) return mk(i, Std.Hour, 2)
        return mk(i, Std.NumMonth, 1)
      case '2':
        if (rest.startsWith('2006')) return mk(i, Std.LongYear, 4)
        return mk(i, Std.Day, 1)
      case '_':
        if (rest.startsWith('_2')) {
          if (rest.startsWith('_2006')) {
            return { prefix: layout.slice(0, i + 1), std: Std.LongYear, digits: 0, sep: '', suffix: layout.slice(i + 5) }
          }
          return mk(i, Std.UnderDay, 2)
        }
        if (rest.startsWith('__2')) return mk(i, Std.UnderYearDay, 3)
        break
      case '3': return mk(i, Std.Hour12, 1)
      case '4': return mk(i, Std.Minute, 1)
      case '5': return mk(i, Std.Second, 1)
      case 'P': if (rest.startsWith('PM')) return mk(i, Std.PM, 2); break
      case 'p': if (rest.startsWith('pm')) return mk(i, Std.pm, 2); break
      case '-':
        if (rest.startsWith('-070000')) return mk(i, Std.NumSecondsTz, 7)
        if (rest.startsWith('-07:00:00')) return mk(i, Std.NumColonSecondsTZ, 9)
        if (rest.startsWith('-0700')) return mk(i, Std.NumTZ, 5)
        if (rest.startsWith('-07:00')) return mk(i, Std.NumColonTZ, 6)
        if (rest.startsWith('-07')) return mk(i, Std.NumShortTZ, 3)
        break
      case 'Z':
        if (rest.startsWith('Z070000')) return mk(i, Std.ISO8601SecondsTZ, 7)
        if (rest.startsWith('Z07:00:00')) return mk(i, Std.ISO8601ColonSecondsTZ, 9)
        if (rest.startsWith('Z0700')) return mk(i, Std.ISO8601TZ, 5)
        if (rest.startsWith('Z07:00')) return mk(i, Std.ISO8601ColonTZ, 6)
        if (rest.startsWith('Z07')) return mk(i, Std.ISO8601ShortTZ, 3)
        break
      case '.': case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1]
          let j = i + 1
          while (j < layout.length && layout[j] === ch) j++
          if (!isDigitAt(layout, j)) {
            return mk(i, ch === '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), c)
          }
        }
        break
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: '', suffix: '' }
}
