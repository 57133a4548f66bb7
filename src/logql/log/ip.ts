/**
 * `ip("...")` matching for line filters and label filters (pkg/logql/log/ip.go): a pattern is a
 * single address, a CIDR prefix or a `from-to` range, IPv4 or IPv6, parsed with Go netip's rules
 * (no leading zeros in IPv4 fields, one `::`, embedded IPv4 tail). A line matches when any address
 * found in it, scanned the way Loki scans (digit/colon hints, then the longest run of address
 * characters), falls in the pattern. Addresses of different families never match each other.
 */

interface Addr {
  readonly v6: boolean
  /** The address as an unsigned integer (32 or 128 bits). */
  readonly n: bigint
}

export class IpPatternError extends Error {}

function parseV4(s: string): bigint | null {
  const parts = s.split('.')
  if (parts.length !== 4) return null
  let n = 0n
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^\d+$/.test(p)) return null
    if (p.length > 1 && p[0] === '0') return null
    const v = Number(p)
    if (v > 255) return null
    n = (n << 8n) | BigInt(v)
  }
  return n
}

function parseV6(s: string): bigint | null {
  if (s.includes('%')) return null
  let head = s
  let tail = ''
  const dc = s.indexOf('::')
  if (dc >= 0) {
    if (s.indexOf('::', dc + 1) >= 0) return null
    head = s.slice(0, dc)
    tail = s.slice(dc + 2)
  }
  const groups = (part: string): bigint[] | null => {
    if (part === '') return []
    const fields = part.split(':')
    const out: bigint[] = []
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as string
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseV4(f)
        if (v4 === null) return null
        out.push(v4 >> 16n, v4 & 0xffffn)
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return null
      out.push(BigInt(parseInt(f, 16)))
    }
    return out
  }
  const h = groups(head)
  if (h === null) return null
  const t = dc >= 0 ? groups(tail) : []
  if (t === null) return null
  if (dc < 0 && head.includes('.') === false && h.length !== 8) return null
  if (dc < 0 && h.length !== 8) return null
  if (dc >= 0 && h.length + t.length > 7) return null
  // A dotted tail is only allowed at the end of the address.
  if (dc >= 0 && head.includes('.')) return null
  const all = [...h, ...new Array<bigint>(8 - h.length - t.length).fill(0n), ...t]
  let n = 0n
  for (const g of all) n = (n << 16n) | g
  return n
}

/** netip.ParseAddr without zones. */
export function parseAddr(s: string): Addr | null {
  if (s.includes(':')) {
    const n = parseV6(s)
    return n === null ? null : { v6: true, n }
  }
  const n = parseV4(s)
  return n === null ? null : { v6: false, n }
}

type Matcher =
  | { readonly kind: 'addr'; readonly a: Addr }
  | { readonly kind: 'range'; readonly from: Addr; readonly to: Addr }

function toMatcher(pattern: string): Matcher | null {
  const a = parseAddr(pattern)
  if (a) return { kind: 'addr', a }
  const slash = pattern.lastIndexOf('/')
  if (slash >= 0) {
    const base = parseAddr(pattern.slice(0, slash))
    const bitsStr = pattern.slice(slash + 1)
    if (!base || !/^\d{1,3}$/.test(bitsStr) || (bitsStr.length > 1 && bitsStr[0] === '0')) return null
    const bits = Number(bitsStr)
    const width = base.v6 ? 128 : 32
    if (bits > width) return null
    const hostBits = BigInt(width - bits)
    const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << hostBits) - 1n)
    const from = base.n & mask
    const to = from | ((1n << hostBits) - 1n)
    return { kind: 'range', from: { v6: base.v6, n: from }, to: { v6: base.v6, n: to } }
  }
  const dash = pattern.indexOf('-')
  if (dash >= 0) {
    const from = parseAddr(pattern.slice(0, dash))
    const to = parseAddr(pattern.slice(dash + 1))
    if (!from || !to || from.v6 !== to.v6 || from.n > to.n) return null
    return { kind: 'range', from, to }
  }
  return null
}

function contains(m: Matcher, ip: Addr): boolean {
  if (m.kind === 'addr') return m.a.v6 === ip.v6 && m.a.n === ip.n
  return m.from.v6 === ip.v6 && ip.n >= m.from.n && ip.n <= m.to.n
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}
function isV4Char(c: number): boolean {
  return isDigit(c) || c === 46
}
function isV6Char(c: number): boolean {
  return isHex(c) || c === 58 || c === 46
}

/** Tests strings for an address inside the pattern; throws IpPatternError on a bad pattern. */
export function ipMatcher(pattern: string): (s: string) => boolean {
  const m = toMatcher(pattern)
  if (!m) throw new IpPatternError(`ip: invalid pattern: ${JSON.stringify(pattern)}`)
  return (line: string) => {
    const n = line.length
    for (let i = 0; i < n; i++) {
      if (i + 3 < n) {
        const c0 = line.charCodeAt(i)
        if (
          isDigit(c0) &&
          (line.charCodeAt(i + 1) === 46 || line.charCodeAt(i + 2) === 46 || line.charCodeAt(i + 3) === 46)
        ) {
          let j = i
          while (j < n && isV4Char(line.charCodeAt(j))) j++
          const ip = parseAddr(line.slice(i, j))
          if (ip && contains(m, ip)) return true
          i += j - i
          continue
        }
      }
      if (i + 4 < n && v6Hint(line, i)) {
        let j = i
        while (j < n && isV6Char(line.charCodeAt(j))) j++
        const ip = parseAddr(line.slice(i, j))
        if (ip && contains(m, ip)) return true
        i += j - i
      }
    }
    return false
  }
}

function v6Hint(s: string, i: number): boolean {
  const c0 = s.charCodeAt(i)
  const c1 = s.charCodeAt(i + 1)
  const c2 = s.charCodeAt(i + 2)
  const c3 = s.charCodeAt(i + 3)
  const c4 = s.charCodeAt(i + 4)
  return (
    (c0 === 58 && c1 === 58 && isHex(c2)) ||
    (isHex(c0) && c1 === 58) ||
    (isHex(c0) && isHex(c1) && c2 === 58) ||
    (isHex(c0) && isHex(c1) && isHex(c2) && c3 === 58) ||
    (isHex(c0) && isHex(c1) && isHex(c2) && isHex(c3) && c4 === 58)
  )
}
