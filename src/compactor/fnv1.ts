/**
 * Go's hash/fnv New32 (FNV-1, 32 bit), which Loki's compactor uses for delete request ids.
 */
const ENC = new TextEncoder()

/** FNV-1 32 of the parts' bytes in order, as 8 lower-case hex digits (Loki's encodeUniqueID). */
export function fnv1Hex32(...parts: ReadonlyArray<string | Uint8Array>): string {
  let h = 0x811c9dc5
  for (const part of parts) {
    for (const b of typeof part === 'string' ? ENC.encode(part) : part) h = (Math.imul(h, 0x01000193) ^ b) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}
