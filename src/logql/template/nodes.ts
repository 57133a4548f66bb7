/**
 * Parse tree of a template, mirroring Go's text/template/parse nodes, and their `String()` forms,
 * which Go prints in error contexts (`executing "line" at <ge .status 400>`).
 */
import type { FuncDef } from './func-types'

export interface NumberNode {
  type: 'number'; pos: number; text: string
  isInt: boolean; int64: bigint; isUint: boolean; uint64: bigint; isFloat: boolean; float64: number
}
export interface FieldNode { type: 'field'; pos: number; ident: string[] }
export interface VariableNode { type: 'variable'; pos: number; ident: string[] }
export interface IdentifierNode { type: 'identifier'; pos: number; ident: string; fn?: FuncDef; builtin?: boolean }
export interface DotNode { type: 'dot'; pos: number }
export interface NilNode { type: 'nil'; pos: number }
export interface BoolNode { type: 'bool'; pos: number; value: boolean }
export interface StringNode { type: 'string'; pos: number; quoted: string; text: string }
export interface ChainNode { type: 'chain'; pos: number; node: ArgNode; field: string[] }
export interface CommandNode { type: 'command'; pos: number; args: ArgNode[] }
export interface PipeNode {
  type: 'pipe'; pos: number; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[]
}
export type ArgNode = NumberNode | FieldNode | VariableNode | IdentifierNode | DotNode | NilNode | BoolNode
  | StringNode | ChainNode | PipeNode

export interface TextNode { type: 'text'; pos: number; text: string }
export interface ActionNode { type: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode {
  type: 'if' | 'with' | 'range'; pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null
}
export interface ListNode { type: 'list'; pos: number; nodes: Node[] }
export interface TemplateNode { type: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
export interface LoopControlNode { type: 'break' | 'continue'; pos: number; line: number }
export interface EndNode { type: 'end' | 'else'; pos: number; line: number }

export type Node = TextNode | ActionNode | BranchNode | ListNode | TemplateNode | LoopControlNode | EndNode
  | CommandNode | ArgNode

function argString(a: ArgNode): string {
  return a.type === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a)
}

export function nodeString(n: Node): string {
  switch (n.type) {
    case 'number': return n.text
    case 'field': return '.' + n.ident.join('.')
    case 'variable': return n.ident.join('.')
    case 'identifier': return n.ident
    case 'dot': return '.'
    case 'nil': return 'nil'
    case 'bool': return n.value ? 'true' : 'false'
    case 'string': return n.quoted
    case 'chain': return argString(n.node) + n.field.map((f) => '.' + f).join('')
    case 'command': return n.args.map(argString).join(' ')
    case 'pipe': {
      let s = ''
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ')
      return s + n.cmds.map(nodeString).join(' | ')
    }
    case 'text': return JSON.stringify(n.text)
    case 'action': return '{{' + nodeString(n.pipe) + '}}'
    case 'if': case 'with': case 'range': {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`
      if (n.elseList) s += '{{else}}' + nodeString(n.elseList)
      return s + '{{end}}'
    }
    case 'list': return n.nodes.map(nodeString).join('')
    case 'template':
      return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`
    case 'break': return '{{break}}'
    case 'continue': return '{{continue}}'
    case 'end': return '{{end}}'
    case 'else': return '{{else}}'
  }
}
