/**
 * UTF-8 helpers. Go strings are byte sequences while JS strings are UTF-16, so the few template
 * functions that count or slice bytes (`len`, `index`, `slice`, sprig's `trunc` and `substr`) go
 * through these. Cutting inside a multi-byte character yields bytes that Loki's JSON encoder later
 * shows as U+FFFD, one per invalid byte, which `decodeLossy` reproduces.
 */
const encoder = new TextEncoder()

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}


export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Decodes UTF-8, replacing each byte of an invalid sequence with U+FFFD as Go's JSON encoder does. */
export function decodeLossy(b: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < b.length) {
    const c = b[i] as number
    if (c < 0x80) { out += String.fromCharCode(c); i++; continue; }
    let need = 0
    let cp = 0
    let min = 0
    if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; min = 0x10000; }
    let ok = need > 0
    if (ok) {
      for (let j = 1; j <= need; j++) {
        const d = b[i + j]
        if (d === undefined || (d & 0xc0) !== 0x80) { ok = false; break; }
        cp = (cp << 6) | (d & 0x3f)
      }
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false
    if (!ok) { out += '\ufffd'; i++; continue; }
    out += String.fromCodePoint(cp)
    i += need + 1
  }
  return out
}

/** Go's `s[start:end]` on the UTF-8 bytes of `s`. */
export function byteSlice(s: string, start: number, end?: number): string {
  if (isAscii(s)) return s.slice(start, end)
  return decodeLossy(utf8Bytes(s).subarray(start, end))
}

/** Code points of a string (Go's `[]rune(s)`). */
export function runes(s: string): string[] {
  return Array.from(s)
}
