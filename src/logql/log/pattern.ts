/**
 * Loki's pattern expressions (pkg/logql/log/pattern): literals and captures `<name>`, `<_>` being
 * a capture that is not kept. `matches` is the `| pattern` parser's algorithm (anchored at the start
 * unless the pattern begins with a capture; each capture runs to the first occurrence of the next
 * literal; a missing literal ends the match with the rest of the line in the current capture).
 * `test` is the `|>` line filter's algorithm (first occurrences, no empty captures, a trailing
 * literal must end the line).
 */

type Node = { readonly lit: string } | { readonly cap: string }

export class PatternError extends Error {}

const NAME = /^<([A-Za-z_][A-Za-z0-9_]*)>/

function parse(p: string): Node[] {
  const out: Node[] = []
  let lit = ''
  for (let i = 0; i < p.length; ) {
    if (p[i] === '<') {
      const m = NAME.exec(p.slice(i))
      if (m) {
        if (lit !== '') out.push({ lit })
        lit = ''
        out.push({ cap: m[1] as string })
        i += m[0].length
        continue
      }
    }
    lit += p[i]
    i++
  }
  if (lit !== '') out.push({ lit })
  return out
}

function validateConsecutive(nodes: readonly Node[]): void {
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i] as Node
    const b = nodes[i + 1] as Node
    if ('cap' in a && 'cap' in b) {
      throw new PatternError(`found consecutive capture '<${a.cap}><${b.cap}>': invalid expression`)
    }
  }
}

export class PatternMatcher {
  private readonly nodes: readonly Node[]
  /** Names of the kept captures, in order. */
  readonly names: readonly string[]

  private constructor(nodes: Node[]) {
    this.nodes = nodes
    this.names = nodes.flatMap((n) => ('cap' in n && n.cap !== '_' ? [n.cap] : []))
  }

  /** For `| pattern`: at least one named capture, no adjacent captures, unique names. */
  static forParser(p: string): PatternMatcher {
    const nodes = parse(p)
    const m = new PatternMatcher(nodes)
    if (m.names.length === 0) throw new PatternError('at least one capture is required')
    validateConsecutive(nodes)
    const seen = new Set<string>()
    for (const n of m.names) {
      if (seen.has(n)) throw new PatternError(`duplicate capture name (${n}): invalid expression`)
      seen.add(n)
    }
    return m
  }

  /** For `|>` / `!>`: captures optional, no adjacent captures. */
  static forLineFilter(p: string): PatternMatcher {
    const nodes = parse(p)
    validateConsecutive(nodes)
    return new PatternMatcher(nodes)
  }

  /** Values of the named captures, possibly fewer than `names` when the line ends early. */
  matches(line: string): string[] {
    const out: string[] = []
    if (line.length === 0 || this.nodes.length === 0) return out
    let nodes = 0
    let rest = line
    const first = this.nodes[0] as Node
    if ('lit' in first) {
      if (!rest.startsWith(first.lit)) return out
      rest = rest.slice(first.lit.length)
      nodes = 1
    }
    if (nodes === this.nodes.length) return out
    while (nodes < this.nodes.length) {
      const cap = this.nodes[nodes] as { cap: string }
      if (nodes === this.nodes.length - 1) {
        if (cap.cap !== '_') out.push(rest)
        return out
      }
      const lit = (this.nodes[nodes + 1] as { lit: string }).lit
      nodes += 2
      const i = rest.indexOf(lit)
      if (i < 0) {
        if (cap.cap !== '_') out.push(rest)
        return out
      }
      if (cap.cap !== '_') out.push(rest.slice(0, i))
      rest = rest.slice(i + lit.length)
    }
    return out
  }

  /** Whether the whole line fits the pattern (the `|>` filter). */
  test(line: string): boolean {
    const nodes = this.nodes
    if (line.length === 0 || nodes.length === 0) return line.length === 0 && nodes.length === 0
    let off = 0
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as Node
      if (!('lit' in n)) continue
      const j = line.indexOf(n.lit, off)
      if (j < 0) return false
      if (i !== 0 && j === off) return false
      off = j + n.lit.length
    }
    const endsOnCapture = 'cap' in (nodes[nodes.length - 1] as Node)
    return endsOnCapture === (off !== line.length)
  }
}
