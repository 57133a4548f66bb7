/**
 * Time zones for template time values. UTC and Go's `Local` (Loki runs in UTC) are fixed; named
 * IANA zones are resolved through `Intl`, and their abbreviations are mapped to the ones Go's tzdata
 * prints (`CET`, `CEST`, `BST`...), falling back to tzdata's numeric style (`-03`, `+0530`).
 */

export interface ZoneInfo { readonly offset: number; readonly abbr: string }

export interface GoLocation {
  /** Name as Go's `Location.String()` reports it. */
  readonly name: string
  /** Offset (seconds east of UTC) and abbreviation in force at a Unix second. */
  lookup(unixSec: number): ZoneInfo
}

const UTC_INFO: ZoneInfo = { offset: 0, abbr: 'UTC' }
export const UTC: GoLocation = { name: 'UTC', lookup: () => UTC_INFO }
export const LOCAL: GoLocation = { name: 'Local', lookup: () => UTC_INFO }

export function fixedZone(name: string, offset: number): GoLocation {
  const info: ZoneInfo = { offset, abbr: name }
  return { name, lookup: () => info }
}

const CET = ['Paris', 'Berlin', 'Madrid', 'Rome', 'Amsterdam', 'Brussels', 'Vienna', 'Stockholm', 'Oslo',
  'Copenhagen', 'Warsaw', 'Prague', 'Budapest', 'Zurich', 'Belgrade', 'Bratislava', 'Ljubljana',
  'Luxembourg', 'Malta', 'Monaco', 'Andorra', 'Gibraltar', 'San_Marino', 'Vatican', 'Tirane', 'Sarajevo',
  'Skopje', 'Zagreb', 'Podgorica', 'Busingen', 'Vaduz'].map((c) => 'Europe/' + c)
  .concat(['Africa/Ceuta', 'Africa/Algiers', 'Africa/Tunis', 'Arctic/Longyearbyen', 'CET'])
const EET = ['Athens', 'Helsinki', 'Kiev', 'Kyiv', 'Bucharest', 'Sofia', 'Riga', 'Tallinn', 'Vilnius',
  'Chisinau', 'Mariehamn', 'Kaliningrad', 'Uzhgorod', 'Zaporozhye'].map((c) => 'Europe/' + c)
  .concat(['Asia/Nicosia', 'Europe/Nicosia', 'Asia/Beirut', 'Asia/Famagusta', 'Africa/Cairo', 'Africa/Tripoli'])
  .concat(['EET'])
const WET = ['Europe/Lisbon', 'Atlantic/Canary', 'Atlantic/Madeira', 'Atlantic/Faroe', 'WET']
const GMT = ['Abidjan', 'Accra', 'Bamako', 'Banjul', 'Bissau', 'Conakry', 'Dakar', 'Freetown', 'Lome', 'Monrovia',
  'Nouakchott', 'Ouagadougou', 'Sao_Tome'].map((c) => 'Africa/' + c)
  .concat(['Atlantic/Reykjavik', 'Atlantic/St_Helena', 'America/Danmarkshavn', 'Iceland'])
const CAT = ['Maputo', 'Harare', 'Lusaka', 'Lubumbashi', 'Blantyre', 'Bujumbura', 'Gaborone', 'Kigali', 'Khartoum',
  'Juba', 'Windhoek'].map((c) => 'Africa/' + c)
const WAT = ['Lagos', 'Kinshasa', 'Douala', 'Luanda', 'Malabo', 'Niamey', 'Porto-Novo', 'Brazzaville', 'Bangui',
  'Libreville', 'Ndjamena'].map((c) => 'Africa/' + c)
const EAT = ['Nairobi', 'Addis_Ababa', 'Dar_es_Salaam', 'Kampala', 'Mogadishu', 'Djibouti', 'Asmara'].map((c) => 'Africa/' + c)
  .concat(['Indian/Antananarivo', 'Indian/Comoro', 'Indian/Mayotte'])

function tableAbbr(zone: string, offset: number): string | undefined {
  const h = offset / 3600
  if (CET.includes(zone)) return h === 1 ? 'CET' : h === 2 ? 'CEST' : undefined
  if (EET.includes(zone)) return h === 2 ? 'EET' : h === 3 ? 'EEST' : undefined
  if (WET.includes(zone)) return h === 0 ? 'WET' : h === 1 ? 'WEST' : undefined
  if (GMT.includes(zone)) return h === 0 ? 'GMT' : undefined
  if (CAT.includes(zone)) return h === 2 ? 'CAT' : undefined
  if (WAT.includes(zone)) return h === 1 ? 'WAT' : undefined
  if (EAT.includes(zone)) return h === 3 ? 'EAT' : undefined
  switch (zone) {
    case 'Europe/London': case 'Europe/Guernsey': case 'Europe/Isle_of_Man': case 'Europe/Jersey':
      return h === 0 ? 'GMT' : h === 1 ? 'BST' : undefined
    case 'Europe/Dublin': return h === 0 ? 'GMT' : h === 1 ? 'IST' : undefined
    case 'Europe/Moscow': case 'Europe/Simferopol': case 'Europe/Volgograd': case 'Europe/Kirov': case 'W-SU':
      return h === 3 ? 'MSK' : undefined
    case 'America/St_Johns': case 'Canada/Newfoundland': return h === -3.5 ? 'NST' : h === -2.5 ? 'NDT' : undefined
    case 'America/Havana': case 'Cuba': return h === -5 ? 'CST' : h === -4 ? 'CDT' : undefined
    case 'Pacific/Guam': case 'Pacific/Saipan': return 'ChST'
    case 'Asia/Pyongyang': return 'KST'
    case 'Asia/Makassar': return 'WITA'
    case 'Asia/Jayapura': return 'WIT'
    case 'Asia/Kolkata': case 'Asia/Calcutta': return 'IST'
    case 'Asia/Jerusalem': case 'Asia/Tel_Aviv': return h === 2 ? 'IST' : h === 3 ? 'IDT' : undefined
    case 'Asia/Tokyo': return 'JST'
    case 'Asia/Seoul': return 'KST'
    case 'Asia/Shanghai': case 'Asia/Taipei': case 'Asia/Macau': case 'PRC': return 'CST'
    case 'Asia/Hong_Kong': return 'HKT'
    case 'Asia/Manila': return 'PST'
    case 'Asia/Karachi': return 'PKT'
    case 'Asia/Jakarta': case 'Asia/Pontianak': return 'WIB'
    case 'Africa/Johannesburg': return 'SAST'
    case 'Australia/Sydney': case 'Australia/Melbourne': case 'Australia/Hobart': case 'Australia/Canberra':
    case 'Australia/Brisbane': case 'Australia/Lindeman':
      return h === 10 ? 'AEST' : h === 11 ? 'AEDT' : undefined
    case 'Australia/Adelaide': case 'Australia/Darwin': case 'Australia/Broken_Hill':
      return h === 9.5 ? 'ACST' : h === 10.5 ? 'ACDT' : undefined
    case 'Australia/Perth': return 'AWST'
    case 'Pacific/Auckland': case 'NZ': return h === 12 ? 'NZST' : h === 13 ? 'NZDT' : undefined
    case 'GMT': case 'Etc/GMT': case 'Etc/Greenwich': case 'Greenwich': return 'GMT'
    case 'Etc/UTC': case 'Etc/UCT': case 'Etc/Universal': case 'Etc/Zulu': case 'UCT': case 'Universal':
    case 'Zulu':
      return 'UTC'
  }
  return undefined
}

function numericAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+'
  const a = Math.abs(offset)
  const hh = String(Math.floor(a / 3600)).padStart(2, '0')
  const mm = Math.floor((a % 3600) / 60)
  return sign + hh + (mm === 0 ? '' : String(mm).padStart(2, '0'))
}

interface IntlZone { parts: Intl.DateTimeFormat; names: Intl.DateTimeFormat }

function intlZone(name: string): IntlZone | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    const resolved = parts.resolvedOptions().timeZone
    // Go loads zone files by exact, case-sensitive name.
    if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return undefined
    const names = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' })
    return { parts, names }
  } catch {
    return undefined
  }
}

function offsetAt(z: IntlZone, unixSec: number): number {
  const ms = unixSec * 1000
  const p: Record<string, string> = {}
  for (const part of z.parts.formatToParts(new Date(ms))) p[part.type] = part.value
  let year = Number(p.year)
  if (p.era === 'BC' || p.era === 'B') year = 1 - year
  const d = new Date(0)
  d.setUTCFullYear(year, Number(p.month) - 1, Number(p.day))
  d.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0)
  return Math.round((d.getTime() - Math.floor(ms / 1000) * 1000) / 1000)
}

const cache = new Map<string, GoLocation | null>()

/** time.LoadLocation; undefined when the zone is unknown. */
export function loadLocation(name: string): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC
  if (name === 'Local') return LOCAL
  const hit = cache.get(name)
  if (hit !== undefined) return hit ?? undefined
  const z = intlZone(name)
  let loc: GoLocation | null = null
  if (z) {
    const memo = new Map<number, ZoneInfo>()
    loc = {
      name,
      lookup(unixSec: number): ZoneInfo {
        const key = Math.floor(unixSec / 900)
        const m = memo.get(key)
        if (m) return m
        const offset = offsetAt(z, unixSec)
        let abbr = tableAbbr(name, offset)
        if (abbr === undefined) {
          const parts = z.names.formatToParts(new Date(unixSec * 1000))
          const tzn = parts.find((p) => p.type === 'timeZoneName')?.value ?? ''
          abbr = /^(GMT|UTC)([+-]|$)/.test(tzn) || tzn === '' ? numericAbbr(offset) : tzn
        }
        const info = { offset, abbr }
        if (memo.size > 512) memo.clear()
        memo.set(key, info)
        return info
      },
    }
  }
  if (cache.size > 256) cache.clear()
  cache.set(name, loc)
  return loc ?? undefined
}
