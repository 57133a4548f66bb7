/**
 * `detected_labels` as Loki's querier answers it (pkg/querier/querier.go `DetectedLabels`): every
 * indexed label of the streams matching the selector in the range, with the number of distinct
 * values. Labels whose values are all numbers or UUIDs are left out (they identify rather than
 * group), except the static ones Drilldown always offers: cluster, namespace, instance, pod.
 */
import type { IndexedStream } from '../storage/label-index'
import { conv, parseGoFloat } from '../go/strconv'

const STATIC_LABELS = new Set(['cluster', 'namespace', 'instance', 'pod'])

export interface DetectedLabel {
  readonly label: string
  readonly cardinality: number
}

const HEX = /^[0-9a-fA-F]+$/

/** google/uuid Parse: 36-char canonical, `urn:uuid:` prefixed, `{…}` braced, or 32 hex digits. */
export function isUuid(s: string): boolean {
  let v = s
  if (v.length === 45) {
    if (v.slice(0, 9).toLowerCase() !== 'urn:uuid:') return false
    v = v.slice(9)
  } else if (v.length === 38) {
    if (v[0] !== '{' || v[37] !== '}') return false
    v = v.slice(1, 37)
  } else if (v.length === 32) {
    return HEX.test(v)
  }
  if (v.length !== 36) return false
  if (v[8] !== '-' || v[13] !== '-' || v[18] !== '-' || v[23] !== '-') return false
  return HEX.test(v.slice(0, 8) + v.slice(9, 13) + v.slice(14, 18) + v.slice(19, 23) + v.slice(24))
}

function isId(v: string): boolean {
  parseGoFloat(v)
  if (conv.error === '') return true
  return isUuid(v)
}

export function detectLabels(streams: readonly IndexedStream[]): DetectedLabel[] {
  const values = new Map<string, Set<string>>()
  for (const s of streams) {
    for (const [k, v] of Object.entries(s.labels)) {
      let set = values.get(k)
      if (!set) {
        set = new Set()
        values.set(k, set)
      }
      set.add(v)
    }
  }
  const out: DetectedLabel[] = []
  for (const [label, set] of values) {
    if (!STATIC_LABELS.has(label) && [...set].every(isId)) continue
    out.push({ label, cardinality: set.size })
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}
