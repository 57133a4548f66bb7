/**
 * Byte-size formatting as Go's go-humanize `Bytes` (SI units), which Loki's messages use.
 */
const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']

export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`
  const e = Math.floor(Math.log(n) / Math.log(1000))
  const unit = SI_UNITS[e] ?? 'EB'
  const val = Math.floor((n / Math.pow(1000, e)) * 10 + 0.5) / 10
  return val < 10 ? `${val.toFixed(1)} ${unit}` : `${val.toFixed(0)} ${unit}`
}
