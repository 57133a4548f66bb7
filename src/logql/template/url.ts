/**
 * Go's `url.QueryEscape` and `url.QueryUnescape`, used by `urlencode`, `urldecode` and the
 * `urlquery` builtin: bytes outside `A-Za-z0-9-_.~` become `%XX`, space becomes `+`.
 */
import { CallError } from './func-types'
import { decodeLossy, utf8Bytes } from './utf8'

export function queryEscape(s: string): string {
  let out = ''
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c
    else if (c === ' ') out += '+'
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

export function queryUnescape(s: string): string {
  const bytes = utf8Bytes(s)
  const out: number[] = []
  const isHex = (b: number | undefined): boolean => b !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(b))
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (b === 0x25) {
      if (!isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
        let bad = decodeLossy(bytes.subarray(i, i + 3))
        if (bad.length > 3) bad = bad.slice(0, 3)
        throw new CallError(`invalid URL escape ${JSON.stringify(bad)}`)
      }
      out.push(parseInt(String.fromCharCode(bytes[i + 1] as number, bytes[i + 2] as number), 16))
      i += 2
    } else if (b === 0x2b) out.push(0x20)
    else out.push(b)
  }
  return decodeLossy(Uint8Array.from(out))
}
