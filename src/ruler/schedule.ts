/**
 * When a group is evaluated: on a fixed grid of its interval, offset by a hash of its namespace
 * and name (as Prometheus spreads groups over their interval), so a group written at any moment
 * is first evaluated within one interval.
 */

function fnv1a32(s: string): number {
  let h = 0x811c9dc5
  for (const b of new TextEncoder().encode(s)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

export function groupOffsetMs(namespace: string, name: string, intervalMs: number): number {
  return fnv1a32(`${namespace};${name}`) % intervalMs
}

/** The latest evaluation slot at or before `nowMs`. */
export function slotAtOrBefore(nowMs: number, offsetMs: number, intervalMs: number): number {
  return nowMs - ((((nowMs - offsetMs) % intervalMs) + intervalMs) % intervalMs)
}

/** The first evaluation slot strictly after `nowMs`. */
export function slotAfter(nowMs: number, offsetMs: number, intervalMs: number): number {
  return slotAtOrBefore(nowMs, offsetMs, intervalMs) + intervalMs
}
