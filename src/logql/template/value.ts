/**
 * The small tagged value system that template execution works on. It models the Go types that
 * Loki's templates can meet: plain JS strings stand for Go `string` (the common case, kept unboxed
 * so label look-ups allocate nothing), and boxes carry the other kinds with their Go type name so
 * that comparisons, printing and error texts behave as Go's reflect-based engine does.
 */
import type { GoTime } from './time'

export type IntKind = 'int' | 'int64' | 'time.Month' | 'time.Weekday'
export type UintKind = 'uint8' | 'uint64'

export interface GoInt { readonly k: 'int'; readonly t: IntKind; readonly v: bigint }
export interface GoUint { readonly k: 'uint'; readonly t: UintKind; readonly v: bigint }
export interface GoFloat { readonly k: 'float'; readonly v: number }
export interface GoBool { readonly k: 'bool'; readonly v: boolean }
export interface GoTimeValue { readonly k: 'time'; readonly v: GoTime }
export interface GoMap {
  readonly k: 'map'
  /** Go type name, e.g. `map[string]string`. */
  readonly t: string
  /** Value a missing key yields (Go's zero value of the element type). */
  readonly zero: GoValue
  get(key: string): GoValue | undefined
  /** Keys in Go's sorted order. */
  keys(): string[]
  readonly size: number
}
export interface GoSlice { readonly k: 'slice'; readonly t: string; readonly v: readonly GoValue[] }
/** The invalid reflect.Value: an untyped nil, printed as `<no value>` at top level. */
export interface GoNil { readonly k: 'nil' }

export type GoBox = GoInt | GoUint | GoFloat | GoBool | GoTimeValue | GoMap | GoSlice | GoNil
export type GoValue = string | GoBox

export const NIL: GoNil = { k: 'nil' }
export const TRUE: GoBool = { k: 'bool', v: true }
export const FALSE: GoBool = { k: 'bool', v: false }

const SMALL_INTS: GoInt[] = []
for (let i = 0; i < 256; i++) SMALL_INTS.push({ k: 'int', t: 'int', v: BigInt(i) })

export function goBool(b: boolean): GoBool {
  return b ? TRUE : FALSE
}

/** A Go `int` (64-bit); wraps like Go on overflow. */
export function goInt(v: bigint | number, t: IntKind = 'int'): GoInt {
  if (typeof v === 'number') {
    if (t === 'int' && v >= 0 && v < 256 && Number.isInteger(v)) return SMALL_INTS[v] as GoInt
    v = BigInt(Math.trunc(v))
  }
  return { k: 'int', t, v: BigInt.asIntN(64, v) }
}

export function goUint(v: bigint, t: UintKind): GoUint {
  return { k: 'uint', t, v: t === 'uint8' ? BigInt.asUintN(8, v) : BigInt.asUintN(64, v) }
}

export function goFloat(v: number): GoFloat {
  return { k: 'float', v }
}

export function goSlice(v: readonly GoValue[], t = '[]interface {}'): GoSlice {
  return { k: 'slice', t, v }
}

/** A map backed by a JS Map (used for JSON objects). */
export function goMapOf(entries: Map<string, GoValue>, t = 'map[string]interface {}', zero: GoValue = NIL): GoMap {
  let sorted: string[] | undefined
  return {
    k: 'map', t, zero, size: entries.size,
    get: (key) => entries.get(key),
    keys: () => (sorted ??= [...entries.keys()].sort(compareBytes)),
  }
}

/** The label set seen as Go's `map[string]string`. */
export class LabelsMap implements GoMap {
  readonly k = 'map'
  readonly t = 'map[string]string'
  readonly zero = ''
  private sorted: string[] | undefined
  constructor(private labels: Readonly<Record<string, string>>) {}
  get(key: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.labels, key) ? this.labels[key] : undefined
  }
  keys(): string[] {
    return (this.sorted ??= Object.keys(this.labels).sort(compareBytes))
  }
  get size(): number {
    return this.keys().length
  }
}

export function labelsMap(labels: Readonly<Record<string, string>>): GoMap {
  return new LabelsMap(labels)
}

/** Go orders strings by bytes; for valid UTF-16 this equals code point order. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff
      const sy = y >= 0xd800 && y <= 0xdfff
      if (sx !== sy) return sx ? 1 : -1
      return x - y
    }
  }
  return a.length - b.length
}

/** Go's reflect type name of a value, as it appears in error texts. */
export function typeName(v: GoValue): string {
  if (typeof v === 'string') return 'string'
  switch (v.k) {
    case 'int': case 'uint': return v.t
    case 'float': return 'float64'
    case 'bool': return 'bool'
    case 'time': return 'time.Time'
    case 'map': case 'slice': return v.t
    case 'nil': return '<nil>'
  }
}

/** text/template's notion of truth (`if`, `with`, `and`, `or`, `not`). */
export function isTrue(v: GoValue): boolean {
  if (typeof v === 'string') return v.length > 0
  switch (v.k) {
    case 'int': case 'uint': return v.v !== 0n
    case 'float': return v.v !== 0
    case 'bool': return v.v
    case 'time': return true
    case 'map': return v.size > 0
    case 'slice': return v.v.length > 0
    case 'nil': return false
  }
}
