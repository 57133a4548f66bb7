/**
 * How template functions are described: the Go parameter types the executor checks arguments
 * against (Go's reflect-based call rules reject `ToUpper 5` or an `int64` where an `int` is
 * wanted), and the error a function returns, which execution reports as `error calling NAME: ...`.
 */
import type { GoTime } from './time'
import { goBool, type GoValue } from './value'

/** Go parameter types: `value` is reflect.Value (builtins), `any` is interface{}. */
export type ParamType = 'string' | 'int' | 'float64' | 'bool' | 'time' | 'any' | 'value'

export interface CallContext {
  readonly line: string
  readonly timestamp: GoTime
  /** The wall clock as the template sees it (sprig's `now`, `date` of a non-time). */
  readonly now: GoTime
}

export interface FuncDef {
  readonly params: readonly ParamType[]
  /** Element type of a trailing variadic parameter. */
  readonly variadic?: ParamType
  call(args: GoValue[], ctx: CallContext): GoValue
}

/** Thrown by a function to fail the call; the message is the Go error text. */
export class CallError extends Error {}

export const PARAM_TYPE_NAMES: Record<ParamType, string> = {
  string: 'string', int: 'int', float64: 'float64', bool: 'bool', time: 'time.Time',
  any: 'interface {}', value: 'reflect.Value',
}

/** Narrowing helpers for arguments already checked against their declared parameter type. */
export function str(v: GoValue | undefined): string {
  return typeof v === 'string' ? v : ''
}

export function num(v: GoValue | undefined): number {
  if (v === undefined || typeof v === 'string') return 0
  if (v.k === 'int' || v.k === 'uint') return Number(v.v)
  if (v.k === 'float') return v.v
  return 0
}

export function timeArg(v: GoValue | undefined): GoTime {
  if (v !== undefined && typeof v !== 'string' && v.k === 'time') return v.v
  throw new CallError('internal: time argument expected')
}

/** A Go `func(string) string`. */
export const strFn1 = (f: (s: string) => string): FuncDef => ({ params: ['string'], call: (a) => f(str(a[0])) })
/** A Go `func(string, string) string`. */
export const strFn2 = (f: (a: string, b: string) => string): FuncDef =>
  ({ params: ['string', 'string'], call: (a) => f(str(a[0]), str(a[1])) })
/** A Go `func(string, string) bool`. */
export const boolFn2 = (f: (a: string, b: string) => boolean): FuncDef =>
  ({ params: ['string', 'string'], call: (a) => goBool(f(str(a[0]), str(a[1]))) })

export const timeValue = (t: GoTime): GoValue => ({ k: 'time', v: t })
