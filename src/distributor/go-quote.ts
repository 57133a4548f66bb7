/**
 * Go's `strconv.Quote`, used wherever Loki prints a value with `%q` or Prometheus prints a label
 * value: printable runes stay as they are, `"` and `\` are escaped, control and non-printable runes
 * become `\a \b \f \n \r \t \v`, `\xNN`, `\uNNNN` or `\UNNNNNNNN`. (Invalid UTF-8, which Go prints as
 * `\xNN`, has already become U+FFFD when the body was decoded, and prints as that character.)
 */

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

/** Unicode categories Go's `strconv.IsPrint` rejects: controls, format, unassigned, separators other than space. */
const NON_PRINT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

function isPrint(cp: number, ch: string): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true
  if (cp < 0xa0) return false
  return !NON_PRINT.test(ch)
}

/** Fast check: nothing to escape in `s`. */
function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false
  }
  return true
}

export function goQuote(s: string): string {
  if (plainAscii(s)) return `"${s}"`
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    switch (cp) {
      case 0x22:
        out += '\\"'
        continue
      case 0x5c:
        out += '\\\\'
        continue
      case 0x07:
        out += '\\a'
        continue
      case 0x08:
        out += '\\b'
        continue
      case 0x0c:
        out += '\\f'
        continue
      case 0x0a:
        out += '\\n'
        continue
      case 0x0d:
        out += '\\r'
        continue
      case 0x09:
        out += '\\t'
        continue
      case 0x0b:
        out += '\\v'
        continue
    }
    if (isPrint(cp, ch)) out += ch
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`
    else out += `\\U${hex(cp, 8)}`
  }
  return out + '"'
}
