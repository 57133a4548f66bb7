/**
 * The order yaml.v3 writes string map keys in (its keyList.Less): letters by code point, runs of
 * digits by numeric value, so `a2` sorts before `a10`.
 */
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c)
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c)

function less(a: string, b: string): boolean {
  const ar = Array.from(a)
  const br = Array.from(b)
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string
    const y = br[i] as string
    if (x === y) {
      digits = isDigit(x)
      continue
    }
    const al = isLetter(x)
    const bl = isLetter(y)
    if (al && bl) return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0)
    if (al || bl) return digits ? al : bl
    let an = 0
    let bn = 0
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + ((ar[ai] as string).codePointAt(0) ?? 48) - 48
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + ((br[bi] as string).codePointAt(0) ?? 48) - 48
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0)
  }
  return ar.length < br.length
}

export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0
  return less(a, b) ? -1 : less(b, a) ? 1 : 0
}
