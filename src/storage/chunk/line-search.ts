/**
 * Line prefiltering on stored bytes. A query whose line filters require literal text (`|=
 * "error"`, `|~ "(timeout|deadlock)"`) needs only the lines that contain it; this finds the lines
 * of a block that may, with one native search over the block's whole line column, so most lines
 * of such a query are never rebuilt or decoded to strings. Stored lines differ from the original
 * (hex runs packed, timestamp text elided), so each literal is searched by the part of it those
 * transforms keep intact, and lines whose elided text the literal could overlap are kept as
 * candidates. A candidate may still not match: the caller tests the decoded line itself.
 */
import { Buffer } from 'node:buffer'
import { hexSafeCore } from './hex-runs'
import { mayOverlapElidedText } from './ts-text'

/** One block's stored line column and what tells its lines apart. */
export interface StoredLines {
  readonly count: number
  readonly bytes: Uint8Array
  /** Line i is bytes[starts[i], starts[i + 1]). */
  readonly starts: Float64Array
  /** Non-zero where a line had timestamp text elided. */
  readonly elisions: Float64Array | undefined
}

interface Needle {
  readonly core: Uint8Array
  readonly overlapsElided: boolean
}

export class LinePrefilter {
  /** Every group must have one needle in a line; a needle is one literal of the group. */
  private readonly groups: ReadonlyArray<readonly Needle[]>

  /**
   * `groups`: for each group at least one of its strings must be in a line for the line to
   * pass. Groups that cannot be searched on stored bytes are left out (they narrow nothing).
   */
  constructor(groups: ReadonlyArray<readonly string[]>) {
    const enc = new TextEncoder()
    const out: Needle[][] = []
    for (const g of groups) {
      const needles: Needle[] = []
      for (const s of g) {
        const core = hexSafeCore(enc.encode(s))
        if (!core) break
        needles.push({ core, overlapsElided: mayOverlapElidedText(core) })
      }
      if (g.length > 0 && needles.length === g.length) out.push(needles)
    }
    this.groups = out
  }

  /** Whether any group narrows the lines. */
  get active(): boolean {
    return this.groups.length > 0
  }

  /** A mask with 1 for each line that may pass every group, or null when no group narrows. */
  candidates(lines: StoredLines): Uint8Array | null {
    let mask: Uint8Array | null = null
    const buf = Buffer.from(lines.bytes.buffer, lines.bytes.byteOffset, lines.bytes.byteLength)
    for (const g of this.groups) {
      const m = new Uint8Array(lines.count)
      for (const needle of g) mark(buf, lines, needle, m)
      if (mask === null) mask = m
      else for (let i = 0; i < m.length; i++) mask[i] = (mask[i] as number) & (m[i] as number)
    }
    return mask
  }
}

/** Sets m[i] for every line i that holds the needle's core in its stored bytes, or may hide it. */
function mark(buf: Buffer, lines: StoredLines, needle: Needle, m: Uint8Array): void {
  const { starts } = lines
  const len = needle.core.length
  let li = 0
  let pos = buf.indexOf(needle.core, 0)
  while (pos >= 0) {
    while ((starts[li + 1] as number) <= pos) li++
    const end = starts[li + 1] as number
    if (pos + len <= end) {
      m[li] = 1
      pos = end >= buf.length ? -1 : buf.indexOf(needle.core, end)
    } else pos = buf.indexOf(needle.core, pos + 1)
  }
  const el = lines.elisions
  if (needle.overlapsElided && el) for (let i = 0; i < lines.count; i++) if (el[i] !== 0) m[i] = 1
}
