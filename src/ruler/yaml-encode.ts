/**
 * Rule groups written as YAML exactly as Loki writes them (go.yaml.in/yaml/v3's encoder: four-space
 * indentation aligned to multiples of four, sequences inside mappings indented, map keys in its
 * natural order, scalars plain when they would read back as the same string, otherwise quoted,
 * never folded (Loki writes with an unlimited width), multi-line strings literal).
 */
import { compareYamlKeys } from './yaml-keys'

/** A YAML value of the rule-group documents: strings, integers, string maps, ordered fields, lists. */
export type YamlNode =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'fields'; readonly fields: ReadonlyArray<readonly [string, YamlNode]> }
  | { readonly kind: 'map'; readonly entries: Readonly<Record<string, string>> }
  | { readonly kind: 'seq'; readonly items: readonly YamlNode[] }

const BEST_INDENT = 4

/** Indentation of a nested block: one level past `indent`, rounded to a multiple of four. */
function aligned(indent: number): number {
  return BEST_INDENT * Math.floor((indent + BEST_INDENT) / BEST_INDENT)
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL'])
const BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])
const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'])
const SPECIAL_FLOATS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'])
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
const INT = /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?$/

/** Whether the plain form of `s` would read back as something other than this string (yaml.v3's resolve). */
function resolvesToOther(s: string): boolean {
  if (NULLS.has(s) || BOOLS.has(s) || OLD_BOOLS.has(s) || SPECIAL_FLOATS.has(s)) return true
  const plain = s.replaceAll('_', '')
  if (INT.test(plain) || FLOAT.test(plain) || BASE60.test(s)) return true
  return TIMESTAMP.test(s)
}

interface Analysis {
  readonly plain: boolean
  readonly singleQuoted: boolean
  readonly multiline: boolean
}

const isSpace = (c: string | undefined): boolean => c === ' '
const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029'
const isBlank = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || isBreak(c)

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0
  return (
    cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff)
  )
}

/** yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  const cs = Array.from(s)
  if (cs.length === 0) return { plain: true, singleQuoted: true, multiline: false }
  let blockIndicators = s.startsWith('---') || s.startsWith('...')
  let lineBreaks = false
  let special = false
  let tabs = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let precededByWhitespace = true
  let previousSpace = false
  let previousBreak = false
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as string
    const followedByWhitespace = isBlank(cs[i + 1])
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      blockIndicators = true
    }
    if (c === '\t') tabs = true
    else if (!isPrintable(c)) special = true
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true
      if (i === cs.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (i === cs.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlank(c)
  }
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || tabs || special || lineBreaks || blockIndicators)
  const singleQuoted = !(breakSpace || spaceBreak || tabs || special)
  if (lineBreaks) plain = false
  return { plain, singleQuoted, multiline: lineBreaks }
}

/** Collects one document's text. */
class Writer {
  out = ''

  put(text: string): void {
    this.out += text
  }

  newline(indent: number): void {
    this.out += '\n' + ' '.repeat(indent)
  }
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u2028': 'L', '\u2029': 'P',
}

function doubleQuoted(s: string): string {
  let out = '"'
  for (const c of s) {
    const esc = ESCAPES[c]
    if (esc !== undefined) out += `\\${esc}`
    else if (!isPrintable(c) || c === '\ufeff') {
      const cp = c.codePointAt(0) ?? 0
      out += cp <= 0xff ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`
    } else out += c
  }
  return out + '"'
}

function writeLiteral(w: Writer, s: string, indent: number): void {
  const body = aligned(indent)
  const trailing = s.match(/\n*$/)?.[0].length ?? 0
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+'
  const hint = s.startsWith(' ') || s.startsWith('\n') ? String(BEST_INDENT) : ''
  w.put(` |${hint}${chomp}`)
  const lines = (trailing > 0 ? s.slice(0, s.length - 1) : s).split('\n')
  for (const line of lines) {
    if (line === '') w.put('\n')
    else {
      w.newline(body)
      w.put(line)
    }
  }
}

/** A scalar after `key:` or `- ` (a space is written before it), its block at `indent`. */
function writeScalar(w: Writer, s: string, indent: number): void {
  const a = analyze(s)
  if (a.multiline) return writeLiteral(w, s, indent)
  w.put(' ')
  if (resolvesToOther(s)) return w.put(doubleQuoted(s))
  if (a.plain) return w.put(s)
  if (a.singleQuoted) return w.put(`'${s.replaceAll("'", "''")}'`)
  w.put(doubleQuoted(s))
}

/** A mapping key: always a short string here, plain unless it would read as something else. */
function keyText(k: string): string {
  const a = analyze(k)
  if (resolvesToOther(k) || (!a.plain && !a.singleQuoted) || a.multiline) return doubleQuoted(k)
  if (!a.plain) return `'${k.replaceAll("'", "''")}'`
  return k
}

function isEmpty(n: YamlNode): boolean {
  return (n.kind === 'seq' && n.items.length === 0) || (n.kind === 'map' && Object.keys(n.entries).length === 0) || (n.kind === 'fields' && n.fields.length === 0)
}

function writeValue(w: Writer, n: YamlNode, indent: number, inSequence: boolean): void {
  switch (n.kind) {
    case 'str':
      return writeScalar(w, n.value, indent)
    case 'int':
      return w.put(` ${n.value}`)
    case 'seq':
    case 'map':
    case 'fields':
      if (isEmpty(n)) return w.put(n.kind === 'seq' ? ' []' : ' {}')
      return writeBlock(w, n, inSequence ? indent + 2 : aligned(indent), !inSequence)
  }
}

/** A block mapping or sequence at `indent`; `startOnNewLine` is false right after `- `. */
function writeBlock(w: Writer, n: YamlNode, indent: number, startOnNewLine: boolean): void {
  const entries: Array<readonly [string, YamlNode]> =
    n.kind === 'fields' ? [...n.fields] : n.kind === 'map' ? Object.keys(n.entries).sort(compareYamlKeys).map((k) => [k, { kind: 'str', value: n.entries[k] as string }] as const) : []
  if (n.kind === 'seq') {
    n.items.forEach((item, i) => {
      if (startOnNewLine || i > 0) w.newline(indent)
      w.put('-')
      if (item.kind === 'fields' || item.kind === 'map') {
        if (isEmpty(item)) return w.put(' {}')
        w.put(' ')
        writeBlock(w, item, indent + 2, false)
      } else writeValue(w, item, indent, true)
    })
    return
  }
  entries.forEach(([k, v], i) => {
    if (startOnNewLine || i > 0) w.newline(indent)
    w.put(`${keyText(k)}:`)
    writeValue(w, v, indent, false)
  })
}

/** The YAML document for `root` (a mapping), ending in a newline like yaml.Marshal's output. */
export function encodeYaml(root: YamlNode): string {
  const w = new Writer()
  if (isEmpty(root)) return root.kind === 'seq' ? '[]\n' : '{}\n'
  writeBlock(w, root, 0, false)
  return w.out + '\n'
}
