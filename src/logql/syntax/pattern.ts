/**
 * The `| pattern` expression language: literals and `<name>` captures, `<_>` being an unnamed
 * capture. Parsing and the validation Loki applies when the stage is created (at least one named
 * capture, no two captures side by side, no duplicate names), with Loki's error texts.
 */

export type PatternNode =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'capture'; readonly name: string }

const CAPTURE = /^<([A-Za-z_][A-Za-z0-9_]*)>/

export function parsePattern(input: string): PatternNode[] {
  const nodes: PatternNode[] = []
  let lit = ''
  let i = 0
  while (i < input.length) {
    const m = input[i] === '<' ? CAPTURE.exec(input.slice(i)) : null
    if (m) {
      if (lit !== '') nodes.push({ kind: 'literal', text: lit })
      lit = ''
      nodes.push({ kind: 'capture', name: m[1] ?? '' })
      i += m[0].length
    } else {
      lit += input[i] ?? ''
      i++
    }
  }
  if (lit !== '') nodes.push({ kind: 'literal', text: lit })
  return nodes
}

/** Loki's `pattern.New` validation; returns the error message or null. */
export function patternError(input: string): string | null {
  const nodes = parsePattern(input)
  const names = nodes.flatMap((n) => (n.kind === 'capture' && n.name !== '_' ? [n.name] : []))
  if (names.length === 0) return 'at least one capture is required'
  // Loki checks node pairs (0,1), (2,3)... only.
  for (let i = 0; i + 1 < nodes.length; i += 2) {
    if (nodes[i]?.kind === 'capture' && nodes[i + 1]?.kind === 'capture') {
      return 'found consecutive capture: invalid expression'
    }
  }
  const seen = new Set<string>()
  for (const n of names) {
    if (seen.has(n)) return `duplicate capture name (${n}): invalid expression`
    seen.add(n)
  }
  return null
}
