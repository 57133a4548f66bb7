/**
 * The pattern expression language (pkg/logql/log/pattern): literals and `<name>` captures, `<_>`
 * being an unnamed capture, a name being ASCII `[A-Za-z_][A-Za-z0-9_]*`. Parsing and the two
 * validations Loki applies, with its texts: `pattern.New` for the `| pattern` parser (at least one
 * named capture, no two captures side by side, no duplicate names) and `ParseLineFilter` for
 * `|>` / `!>` (no two captures side by side, no named capture; an empty pattern is allowed).
 */

export type PatternNode =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'capture'; readonly name: string }

const CAPTURE = /^<([A-Za-z_][A-Za-z0-9_]*)>/
const UNNAMED = '_'
// The yacc grammar needs at least one node; the lexer reports the error at the first column.
const EMPTY = 'parse error at line 1, col 1: syntax error: unexpected $end, expecting IDENTIFIER or LITERAL'

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

function show(n: PatternNode): string {
  return n.kind === 'capture' ? `<${n.name}>` : n.text
}

function consecutiveCaptureError(nodes: readonly PatternNode[]): string | null {
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i] as PatternNode
    const b = nodes[i + 1] as PatternNode
    if (a.kind === 'capture' && b.kind === 'capture') return `found consecutive capture '${show(a)}${show(b)}': invalid expression`
  }
  return null
}

/** The names of the kept captures, in order. */
export function captureNames(nodes: readonly PatternNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'capture' && n.name !== UNNAMED ? [n.name] : []))
}

/** Loki's `pattern.New` validation for `| pattern`; returns the error text or null. */
export function patternError(input: string): string | null {
  const nodes = parsePattern(input)
  if (nodes.length === 0) return EMPTY
  const names = captureNames(nodes)
  if (names.length === 0) return 'at least one capture is required'
  const consecutive = consecutiveCaptureError(nodes)
  if (consecutive !== null) return consecutive
  const seen = new Set<string>()
  for (const n of names) {
    if (seen.has(n)) return `duplicate capture name (${n}): invalid expression`
    seen.add(n)
  }
  return null
}

/** Loki's `pattern.ParseLineFilter` validation for `|>` / `!>`; returns the error text or null. */
export function lineFilterPatternError(input: string): string | null {
  const nodes = parsePattern(input)
  const consecutive = consecutiveCaptureError(nodes)
  if (consecutive !== null) return consecutive
  const named = nodes.find((n) => n.kind === 'capture' && n.name !== UNNAMED)
  return named ? `named captures are not allowed: found '${show(named)}'` : null
}
