/**
 * Recursive-descent parser for Go text/template, producing the nodes of `nodes.ts`. It follows
 * Go's parser token for token (same look-ahead, same variable scoping, same `else if` folding), so
 * that malformed templates fail with Go's messages: `template: line:1: unexpected "}" in operand`,
 * `function "foo" not defined`, `undefined variable "$x"`, `unexpected EOF`...
 */
import { TemplateParseError } from './errors'
import { Lexer, T, type Item } from './lexer'
import {
  nodeString, type ArgNode, type BranchNode, type CommandNode, type ListNode, type Node, type NumberNode,
  type PipeNode, type VariableNode,
} from './nodes'
import { LiteralError, parseNumber, unquote } from './literals'
import { goQuote } from '../../go/strconv'

export interface ParsedTemplate { root: ListNode; defs: Map<string, ListNode> }

function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF'
  if (i.typ === T.Error) return i.val
  if (i.typ > T.Keyword) return `<${i.val}>`
  const r = Array.from(i.val)
  if (r.length > 10) return goQuote(r.slice(0, 10).join('')) + '...'
  return goQuote(i.val)
}

class ParseFailure extends Error {}

const EOF_ITEM: Item = { typ: T.EOF, pos: 0, val: '', line: 1 }

export class Parser {
  private lex: Lexer
  private token: Item[] = [EOF_ITEM, EOF_ITEM, EOF_ITEM]
  private peekCount = 0
  private vars: string[] = ['$']
  private rangeDepth = 0
  private actionLine = 0
  private depth = 0
  private defs = new Map<string, ListNode>()

  constructor(private name: string, text: string, private hasFunction: (name: string) => boolean) {
    this.lex = new Lexer(text)
  }

  parse(): ParsedTemplate {
    try {
      const root = this.parseTop()
      return { root, defs: this.defs }
    } catch (e) {
      if (e instanceof ParseFailure) throw new TemplateParseError(e.message)
      throw e
    }
  }

  private errorf(msg: string): never {
    throw new ParseFailure(`template: ${this.name}:${(this.token[0] as Item).line}: ${msg}`)
  }

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--
    else this.token[0] = this.lex.next()
    return this.token[this.peekCount] as Item
  }
  private backup(): void { this.peekCount++; }
  private backup2(t1: Item): void { this.token[1] = t1; this.peekCount = 2; }
  private backup3(t2: Item, t1: Item): void { this.token[1] = t1; this.token[2] = t2; this.peekCount = 3; }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item
    this.peekCount = 1
    this.token[0] = this.lex.next()
    return this.token[0]
  }
  private nextNonSpace(): Item {
    let t: Item
    do t = this.next(); while (t.typ === T.Space)
    return t
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace()
    this.backup()
    return t
  }
  private expect(typ: T, context: string): Item {
    const t = this.nextNonSpace()
    if (t.typ !== typ) this.unexpected(t, context)
    return t
  }
  private unexpected(t: Item, context: string): never {
    if (t.typ === T.Error) {
      let extra = ''
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length)
      }
      this.errorf(t.val + extra)
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`)
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s)
    } catch (e) {
      if (e instanceof LiteralError) this.errorf(e.message)
      throw e
    }
  }

  private parseTop(): ListNode {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] }
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next()
        if (this.nextNonSpace().typ === T.Define) {
          this.parseDefinition()
          continue
        }
        this.backup2(delim)
      }
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`)
      root.nodes.push(n)
    }
    this.addDef(this.name, root)
    return root
  }

  private addDef(name: string, list: ListNode): void {
    const prev = this.defs.get(name)
    if (prev === undefined || isEmptyTree(prev)) { this.defs.set(name, list); return; }
    if (!isEmptyTree(list)) this.errorf(`template: multiple definition of template ${JSON.stringify(name)}`)
  }

  private parseDefinition(): void {
    const context = 'define clause'
    const t = this.nextNonSpace()
    if (t.typ !== T.String && t.typ !== T.RawString) this.unexpected(t, context)
    const name = this.unquoteOrFail(t.val)
    this.expect(T.RightDelim, context)
    const saved = this.vars
    this.vars = ['$']
    const [list, end] = this.itemList()
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`)
    this.vars = saved
    this.addDef(name, list)
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] }
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') return [list, n]
      list.nodes.push(n)
    }
    this.errorf('unexpected EOF')
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace()
    switch (t.typ) {
      case T.Text: return { type: 'text', pos: t.pos, text: t.val }
      case T.LeftDelim: {
        this.actionLine = t.line
        try { return this.action(); } finally { this.actionLine = 0; }
      }
      default: this.unexpected(t, 'input')
    }
  }

  private action(): Node {
    const t = this.nextNonSpace()
    switch (t.typ) {
      case T.Block: return this.blockControl()
      case T.Break: case T.Continue: {
        const kw = t.typ === T.Break ? 'break' : 'continue'
        const n = this.nextNonSpace()
        if (n.typ !== T.RightDelim) this.unexpected(n, `{{${kw}}}`)
        if (this.rangeDepth === 0) this.errorf(`{{${kw}}} outside {{range}}`)
        return { type: kw, pos: t.pos, line: t.line }
      }
      case T.Else: return this.elseControl()
      case T.End: return { type: 'end', pos: this.expect(T.RightDelim, 'end').pos, line: t.line }
      case T.If: return this.control('if')
      case T.Range: return this.control('range')
      case T.Template: return this.templateControl()
      case T.With: return this.control('with')
    }
    this.backup()
    const tok = this.peek()
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', T.RightDelim) }
  }

  private pipeline(context: string, end: T): PipeNode {
    const tok = this.peekNonSpace()
    const pipe: PipeNode = { type: 'pipe', pos: tok.pos, line: tok.line, isAssign: false, decl: [], cmds: [] }
    for (;;) {
      const v = this.peekNonSpace()
      if (v.typ !== T.Variable) break
      this.next()
      const after = this.peek()
      const nxt = this.peekNonSpace()
      if (nxt.typ === T.Assign || nxt.typ === T.Declare) {
        pipe.isAssign = nxt.typ === T.Assign
        this.nextNonSpace()
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') })
        this.vars.push(v.val)
      } else if (nxt.typ === T.Char && nxt.val === ',') {
        this.nextNonSpace()
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') })
        this.vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue
          this.errorf('range can only initialize variables')
        }
        this.errorf(`too many declarations in ${context}`)
      } else if (after.typ === T.Space) {
        this.backup3(v, after)
      } else {
        this.backup2(v)
      }
      break
    }
    for (;;) {
      const t = this.nextNonSpace()
      if (t.typ === end) {
        this.checkPipeline(pipe, context)
        return pipe
      }
      switch (t.typ) {
        case T.Bool: case T.CharConstant: case T.Complex: case T.Dot: case T.Field: case T.Identifier:
        case T.Number: case T.Nil: case T.RawString: case T.String: case T.Variable: case T.LeftParen:
          this.backup()
          pipe.cmds.push(this.command())
          break
        default:
          this.unexpected(t, context)
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`)
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = (c.args[0] as ArgNode).type
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`)
      }
    })
  }

  private control(context: 'if' | 'with' | 'range'): BranchNode {
    const mark = this.vars.length
    const pipe = this.pipeline(context, T.RightDelim)
    if (context === 'range') this.rangeDepth++
    const [list, next] = this.itemList()
    if (context === 'range') this.rangeDepth--
    let elseList: ListNode | null = null
    if (next.type === 'else') {
      if ((context === 'if' && this.peek().typ === T.If) || (context === 'with' && this.peek().typ === T.With)) {
        this.next()
        elseList = { type: 'list', pos: next.pos, nodes: [this.control(context)] }
      } else {
        const [l, n2] = this.itemList()
        if (n2.type !== 'end') this.errorf(`expected end; found ${nodeString(n2)}`)
        elseList = l
      }
    }
    this.vars.length = mark
    return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList }
  }

  private elseControl(): Node {
    const p = this.peekNonSpace()
    if (p.typ === T.If || p.typ === T.With) return { type: 'else', pos: p.pos, line: p.line }
    const t = this.expect(T.RightDelim, 'else')
    return { type: 'else', pos: t.pos, line: t.line }
  }

  private templateName(t: Item, context: string): string {
    if (t.typ !== T.String && t.typ !== T.RawString) this.unexpected(t, context)
    return this.unquoteOrFail(t.val)
  }

  private blockControl(): Node {
    const context = 'block clause'
    const t = this.nextNonSpace()
    const name = this.templateName(t, context)
    const pipe = this.pipeline(context, T.RightDelim)
    const saved = this.vars
    this.vars = ['$']
    const [list, end] = this.itemList()
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`)
    this.vars = saved
    this.addDef(name, list)
    return { type: 'template', pos: t.pos, line: t.line, name, pipe }
  }

  private templateControl(): Node {
    const context = 'template clause'
    const t = this.nextNonSpace()
    const name = this.templateName(t, context)
    let pipe: PipeNode | null = null
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup()
      pipe = this.pipeline(context, T.RightDelim)
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] }
    for (;;) {
      this.peekNonSpace()
      const op = this.operand()
      if (op) cmd.args.push(op)
      const t = this.next()
      if (t.typ === T.Space) continue
      if (t.typ === T.RightDelim || t.typ === T.RightParen) this.backup()
      else if (t.typ !== T.Pipe) this.unexpected(t, 'operand')
      break
    }
    if (cmd.args.length === 0) this.errorf('empty command')
    return cmd
  }

  private operand(): ArgNode | null {
    const node = this.term()
    if (!node) return null
    if (this.peek().typ !== T.Field) return node
    const pos = this.peek().pos
    const fields: string[] = []
    while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1))
    switch (node.type) {
      case 'field': return { type: 'field', pos, ident: [...node.ident, ...fields] }
      case 'variable': return { type: 'variable', pos, ident: [...node.ident, ...fields] }
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`)
      default: return { type: 'chain', pos, node, field: fields }
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace()
    switch (t.typ) {
      case T.Identifier:
        if (!this.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`)
        return { type: 'identifier', pos: t.pos, ident: t.val }
      case T.Dot: return { type: 'dot', pos: t.pos }
      case T.Nil: return { type: 'nil', pos: t.pos }
      case T.Variable: return this.useVar(t.pos, t.val)
      case T.Field: return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] }
      case T.Bool: return { type: 'bool', pos: t.pos, value: t.val === 'true' }
      case T.CharConstant: case T.Complex: case T.Number: return this.number(t)
      case T.LeftParen: {
        if (this.depth >= 1000) this.errorf('max expression depth exceeded')
        this.depth++
        try { return this.pipeline('parenthesized pipeline', T.RightParen); } finally { this.depth--; }
      }
      case T.String: case T.RawString:
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquoteOrFail(t.val) }
    }
    this.backup()
    return null
  }

  private useVar(pos: number, name: string): VariableNode {
    const ident = name.split('.')
    if (!this.vars.includes(ident[0] as string)) this.errorf(`undefined variable ${goQuote(ident[0] as string)}`)
    return { type: 'variable', pos, ident }
  }
  private number(t: Item): NumberNode {
    try {
      return parseNumber(t.val, t.pos, t.typ === T.CharConstant, t.typ === T.Complex)
    } catch (e) {
      if (e instanceof LiteralError) this.errorf(e.message)
      throw e
    }
  }
}

function isEmptyTree(n: Node): boolean {
  if (n.type === 'list') return n.nodes.every(isEmptyTree)
  if (n.type === 'text') return n.text.trim() === ''
  return false
}
