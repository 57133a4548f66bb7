/**
 * Methods callable on time values in templates (`{{ __timestamp__.Unix }}`,
 * `{{ (__timestamp__).Format "15:04" }}`): a useful subset of Go's `time.Time` method set.
 */
import { str, type FuncDef } from './func-types'
import { civil, formatTime, isZero, timeString, unixMilli, unixNano, withLocation, type GoTime } from './time'
import { goBool, goInt, type GoValue } from './value'
import { LOCAL, UTC } from './zones'

const int64 = (v: bigint | number): GoValue => goInt(typeof v === 'number' ? BigInt(v) : v, 'int64')
const timeVal = (t: GoTime): GoValue => ({ k: 'time', v: t })
const nullary = (f: () => GoValue): FuncDef => ({ params: [], call: f })

export function timeMethod(t: GoTime, name: string): FuncDef | undefined {
  switch (name) {
    case 'Unix': return nullary(() => int64(t.sec))
    case 'UnixMilli': return nullary(() => int64(unixMilli(t)))
    case 'UnixMicro': return nullary(() => int64(BigInt(t.sec) * 1_000_000n + BigInt(Math.floor(t.nsec / 1000))))
    case 'UnixNano': return nullary(() => int64(unixNano(t)))
    case 'Year': return nullary(() => goInt(civil(t).year))
    case 'Month': return nullary(() => goInt(civil(t).month, 'time.Month'))
    case 'Day': return nullary(() => goInt(civil(t).day))
    case 'Hour': return nullary(() => goInt(civil(t).hour))
    case 'Minute': return nullary(() => goInt(civil(t).min))
    case 'Second': return nullary(() => goInt(civil(t).sec))
    case 'Nanosecond': return nullary(() => goInt(t.nsec))
    case 'YearDay': return nullary(() => goInt(civil(t).yday))
    case 'Weekday': return nullary(() => goInt(civil(t).wday, 'time.Weekday'))
    case 'IsZero': return nullary(() => goBool(isZero(t)))
    case 'UTC': return nullary(() => timeVal(withLocation(t, UTC)))
    case 'Local': return nullary(() => timeVal(withLocation(t, LOCAL)))
    case 'String': return nullary(() => timeString(t))
    case 'Format': return { params: ['string'], call: (a) => formatTime(t, str(a[0])) }
  }
  return undefined
}
