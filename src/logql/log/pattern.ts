/**
 * Loki's pattern expressions (pkg/logql/log/pattern): literals and captures `<name>`, `<_>` being
 * a capture that is not kept. `matches` is the `| pattern` parser's algorithm (anchored at the start
 * unless the pattern begins with a capture; each capture runs to the first occurrence of the next
 * literal; a missing literal ends the match with the rest of the line in the current capture).
 * `test` is the `|>` line filter's algorithm (first occurrences, no empty captures, a trailing
 * literal must end the line). Parsing and validation are the syntax's.
 */
import { lineFilterPatternError, parsePattern, patternError } from '../syntax/pattern'

type Node = { readonly lit: string } | { readonly cap: string }

export class PatternError extends Error {}

function nodesOf(p: string): Node[] {
  return parsePattern(p).map((n) => (n.kind === 'capture' ? { cap: n.name } : { lit: n.text }))
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
    const err = patternError(p)
    if (err !== null) throw new PatternError(err)
    return new PatternMatcher(nodesOf(p))
  }

  /** For `|>` / `!>`: no adjacent captures, no named capture. */
  static forLineFilter(p: string): PatternMatcher {
    const err = lineFilterPatternError(p)
    if (err !== null) throw new PatternError(err)
    return new PatternMatcher(nodesOf(p))
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
