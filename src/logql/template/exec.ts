/**
 * Executes a parsed template the way Go's text/template does: argument evaluation against typed
 * parameters, pipelines feeding the previous value as the last argument, variables scoped to
 * if/with/range, `missingkey=zero` map look-ups, range over maps/slices/ints, break/continue and
 * {{template}} calls. It tracks the node being evaluated exactly where Go does, so failures read
 * `template: line:1:5: executing "line" at <ge .status 400>: error calling ge: ...`.
 */
import { BUILTINS } from './builtins'
import { TemplateExecError } from './errors'
import { formatV } from './fmt'
import { CallError, PARAM_TYPE_NAMES, type CallContext, type FuncDef, type ParamType } from './func-types'
import {
  nodeString, type ArgNode, type BranchNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode,
  type ListNode, type Node, type NumberNode, type PipeNode, type TemplateNode, type VariableNode,
} from './nodes'
import { goQuote } from '../../go/strconv'
import { timeFromNanos, type GoTime } from './time'
import { timeMethod } from './time-methods'
import { utf8Length } from '../../go/utf8'
import { goBool, goFloat, goInt, isTrue, NIL, typeName, type GoValue } from './value'

/** Marks the absence of a piped-in value (Go's missingVal). */
const MISSING: GoValue = { k: 'nil' }

class Fail extends Error {}
const NO_ARGS: ArgNode[] = []
class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal()
const CONTINUE = new ContinueSignal()

export interface Program {
  readonly name: string
  readonly text: string
  readonly root: ListNode
  readonly defs: Map<string, ListNode>
  readonly funcs: (name: string) => FuncDef | undefined
}

interface Variable { name: string; value: GoValue }

/** One reusable execution state per compiled template; `run` resets it for each line. */
export class Execution implements CallContext {
  private vars: Variable[] = []
  private at: Node | null = null
  private tmplName: string
  private depth = 0
  private out = ''
  line = ''
  private tsNs = 0n
  private ts: GoTime | undefined
  private nowNs: bigint | undefined

  constructor(private prog: Program) {
    this.tmplName = prog.name
  }

  get timestamp(): GoTime {
    return (this.ts ??= timeFromNanos(this.tsNs))
  }

  get now(): GoTime {
    return timeFromNanos(this.nowNs ?? BigInt(Date.now()) * 1_000_000n)
  }

  run(data: GoValue, line: string, tsNs: bigint, nowNs?: bigint): string {
    this.line = line
    this.tsNs = tsNs
    this.nowNs = nowNs
    this.ts = undefined
    this.out = ''
    this.at = null
    this.depth = 0
    this.tmplName = this.prog.name
    this.vars.length = 0
    this.vars.push({ name: '$', value: data })
    try {
      this.walk(data, this.prog.root)
    } catch (e) {
      if (e instanceof Fail) throw new TemplateExecError(e.message)
      throw e
    }
    const out = this.out
    this.out = ''
    return out
  }

  private errorf(msg: string): never {
    if (!this.at) throw new Fail(`template: ${this.tmplName}: ${msg}`)
    const text = this.prog.text.slice(0, this.at.pos)
    const nl = text.lastIndexOf('\n')
    const line = 1 + (text.match(/\n/g)?.length ?? 0)
    const col = utf8Length(nl < 0 ? text : text.slice(nl + 1))
    const where = `${this.prog.name}:${line}:${col}`
    throw new Fail(`template: ${where}: executing ${goQuote(this.tmplName)} at <${nodeString(this.at)}>: ${msg}`)
  }

  private walk(dot: GoValue, node: Node): void {
    this.at = node
    switch (node.type) {
      case 'text': this.out += node.text; return
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0) {
          this.at = node
          this.out += typeof v === 'string' ? v : v.k === 'nil' ? '<no value>' : formatV(v)
        }
        return
      }
      case 'list': for (const n of node.nodes) this.walk(dot, n); return
      case 'if': case 'with': return this.walkIfOrWith(dot, node)
      case 'range': return this.walkRange(dot, node)
      case 'template': return this.walkTemplate(dot, node)
      case 'break': throw BREAK
      case 'continue': throw CONTINUE
      default: this.errorf(`unknown node: ${nodeString(node)}`)
    }
  }

  private walkIfOrWith(dot: GoValue, node: BranchNode): void {
    const mark = this.vars.length
    try {
      const val = this.evalPipeline(dot, node.pipe)
      if (isTrue(val)) this.walk(node.type === 'with' ? val : dot, node.list)
      else if (node.elseList) this.walk(dot, node.elseList)
    } finally {
      this.vars.length = mark
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): void {
    this.at = r
    const outer = this.vars.length
    try {
      const val = this.evalPipeline(dot, r.pipe)
      const mark = this.vars.length
      const decl = r.pipe.decl
      const one = (index: GoValue, elem: GoValue): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0] as string, decl.length > 1 ? index : elem)
          else this.setTopVar(1, elem)
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0] as string, elem)
          else this.setTopVar(2, index)
        }
        try {
          this.walk(elem, r.list)
        } catch (e) {
          if (e !== CONTINUE) throw e
        } finally {
          this.vars.length = mark
        }
      }
      let ran = false
      try {
        if (typeof val === 'string') this.errorf(`range can't iterate over ${val}`)
        switch (val.k) {
          case 'int': case 'uint': {
            if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`)
            for (let i = 0n; i < val.v; i++) {
              ran = true
              one(NIL, val.k === 'int' ? goInt(i, val.t) : { k: 'uint', t: val.t, v: i })
            }
            break
          }
          case 'slice':
            val.v.forEach((e, i) => { ran = true; one(goInt(i), e); })
            break
          case 'map':
            for (const k of val.keys()) { ran = true; one(k, val.get(k) ?? val.zero); }
            break
          case 'nil': break
          default: this.errorf(`range can't iterate over ${formatV(val)}`)
        }
      } catch (e) {
        if (e !== BREAK) throw e
        ran = true
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList)
    } finally {
      this.vars.length = outer
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at = t
    const root = this.prog.defs.get(t.name)
    if (!root) this.errorf(`template ${goQuote(t.name)} not defined`)
    if (this.depth >= 1000) this.errorf('exceeded maximum template depth (100000)')
    const newDot = this.evalPipeline(dot, t.pipe)
    const savedVars = this.vars
    const savedName = this.tmplName
    this.vars = [{ name: '$', value: newDot }]
    this.tmplName = t.name
    this.depth++
    try {
      this.walk(newDot, root)
    } finally {
      this.vars = savedVars
      this.tmplName = savedName
      this.depth--
    }
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable
      if (v.name === name) { v.value = value; return; }
    }
    this.errorf(`undefined variable: ${name}`)
  }

  private setTopVar(n: number, value: GoValue): void {
    (this.vars[this.vars.length - n] as Variable).value = value
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable
      if (v.name === name) return v.value
    }
    this.errorf(`undefined variable: ${name}`)
  }

  evalPipeline(dot: GoValue, pipe: PipeNode | null): GoValue {
    if (!pipe) return NIL
    this.at = pipe
    let value = MISSING
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value)
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0] as string, value)
      else this.vars.push({ name: v.ident[0] as string, value })
    }
    return value
  }

  private notAFunction(args: ArgNode[], final: GoValue): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`)
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: GoValue): GoValue {
    const first = cmd.args[0] as ArgNode
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final)
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final)
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final)
      case 'pipe': this.notAFunction(cmd.args, final); return this.evalPipeline(dot, first)
      case 'variable': return this.evalVariableNode(dot, first, cmd.args, final)
    }
    this.at = first
    this.notAFunction(cmd.args, final)
    switch (first.type) {
      case 'bool': return goBool(first.value)
      case 'dot': return dot
      case 'nil': this.errorf('nil is not a command')
      case 'number': return this.idealConstant(first)
      case 'string': return first.text
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`)
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at = n
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text)
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return goFloat(n.float64)
    if (n.isInt) return goInt(n.int64)
    if (n.isUint) this.errorf(`${n.text} overflows int`)
    return NIL
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: ArgNode[] | null, final: GoValue): GoValue {
    this.at = field
    return this.evalFieldChain(dot, dot, field, field.ident, args, final)
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: ArgNode[] | null, final: GoValue): GoValue {
    this.at = chain
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`)
    const recv = this.evalArg(dot, 'any', chain.node)
    return this.evalFieldChain(dot, recv, chain, chain.field, args, final)
  }

  private evalVariableNode(dot: GoValue, v: VariableNode, args: ArgNode[] | null, final: GoValue): GoValue {
    this.at = v
    const value = this.varValue(v.ident[0] as string)
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final)
      return value
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final)
  }

  private evalFieldChain(dot: GoValue, recv: GoValue, node: Node, ident: string[], args: ArgNode[] | null,
    final: GoValue): GoValue {
    let iface = false
    for (let i = 0; i < ident.length - 1; i++) {
      const r = this.evalField(dot, ident[i] as string, node, null, MISSING, recv, iface)
      iface = typeof recv !== 'string' && recv.k === 'map' && recv.t === 'map[string]interface {}'
      recv = r
    }
    return this.evalField(dot, ident[ident.length - 1] as string, node, args, final, recv, iface)
  }

  private evalField(dot: GoValue, name: string, node: Node, args: ArgNode[] | null, final: GoValue, recv: GoValue,
    iface: boolean): GoValue {
    if (typeof recv !== 'string' && recv.k === 'nil') {
      if (iface) this.errorf(`nil pointer evaluating interface {}.${name}`)
      return NIL
    }
    const typ = iface ? 'interface {}' : typeName(recv)
    if (typeof recv !== 'string' && recv.k === 'time') {
      const m = timeMethod(recv.v, name)
      if (m) return this.evalCall(dot, m, false, node, name, args, final)
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING
    if (typeof recv !== 'string' && recv.k === 'map') {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`)
      const v = recv.get(name)
      return v === undefined ? recv.zero : v
    }
    this.errorf(`can't evaluate field ${name} in type ${typ}`)
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: Node, args: ArgNode[] | null, final: GoValue): GoValue {
    this.at = node
    let fn = node.fn
    if (!fn) {
      fn = this.prog.funcs(node.ident)
      if (!fn) this.errorf(`${goQuote(node.ident)} is not a defined function`)
      node.fn = fn
      node.builtin = BUILTINS[node.ident] === fn
    }
    return this.evalCall(dot, fn, node.builtin === true, cmd, node.ident, args, final)
  }

  private evalCall(dot: GoValue, fn: FuncDef, builtin: boolean, node: Node, name: string, argNodes: ArgNode[] | null,
    final: GoValue): GoValue {
    const args = argNodes && argNodes.length > 1 ? argNodes.slice(1) : NO_ARGS
    const numIn = args.length + (final !== MISSING ? 1 : 0)
    const numFixed = fn.variadic ? fn.params.length : args.length
    if (fn.variadic) {
      if (numIn < fn.params.length) {
        this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`)
      }
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`)
    }
    if (builtin && (name === 'and' || name === 'or')) {
      let v: GoValue = NIL
      for (const a of args) {
        v = this.evalArg(dot, 'value', a)
        if (isTrue(v) === (name === 'or')) return v
      }
      if (final !== MISSING) v = final
      return v
    }
    const argv: GoValue[] = []
    let i = 0
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i] as ParamType, args[i] as ArgNode))
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i] as ArgNode))
    if (final !== MISSING) {
      let t: ParamType
      if (fn.variadic) t = numIn - 1 < numFixed ? (fn.params[numIn - 1] as ParamType) : fn.variadic
      else t = fn.params[fn.params.length - 1] as ParamType
      argv.push(this.validateType(final, t))
    }
    if (builtin && name === 'call') {
      const callee = argv[0] as GoValue
      const calleeName = args.length > 0 ? nodeString(args[0] as ArgNode) : formatV(final)
      this.at = node
      if (typeof callee !== 'string' && callee.k === 'nil') this.errorf('error calling call: call of nil')
      this.errorf(`error calling call: non-function ${calleeName} of type ${typeName(callee)}`)
    }
    try {
      return fn.call(argv, this)
    } catch (e) {
      if (e instanceof CallError) {
        this.at = node
        this.errorf(`error calling ${name}: ${e.message}`)
      }
      throw e
    }
  }

  private validateType(v: GoValue, t: ParamType): GoValue {
    if (t === 'any' || t === 'value') return v
    if (typeof v !== 'string' && v.k === 'nil') this.errorf(`invalid value; expected ${PARAM_TYPE_NAMES[t]}`)
    if (!assignable(v, t)) this.errorf(`wrong type for value; expected ${PARAM_TYPE_NAMES[t]}; got ${typeName(v)}`)
    return v
  }

  private evalArg(dot: GoValue, t: ParamType, n: ArgNode): GoValue {
    this.at = n
    switch (n.type) {
      case 'dot': return this.validateType(dot, t)
      case 'nil':
        if (t === 'any' || t === 'value') return NIL
        this.errorf(`cannot assign nil to ${PARAM_TYPE_NAMES[t]}`)
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), t)
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, null, MISSING), t)
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), t)
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, MISSING), t)
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, MISSING), t)
    }
    switch (t) {
      case 'bool':
        if (n.type === 'bool') return goBool(n.value)
        this.errorf(`expected bool; found ${nodeString(n)}`)
      case 'float64':
        if (n.type === 'number' && n.isFloat) return goFloat(n.float64)
        this.errorf(`expected float; found ${nodeString(n)}`)
      case 'int':
        if (n.type === 'number' && n.isInt) return goInt(n.int64)
        this.errorf(`expected integer; found ${nodeString(n)}`)
      case 'string':
        if (n.type === 'string') return n.text
        this.errorf(`expected string; found ${nodeString(n)}`)
      case 'any': case 'value':
        switch (n.type) {
          case 'bool': return goBool(n.value)
          case 'number': return this.idealConstant(n)
          case 'string': return n.text
        }
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${PARAM_TYPE_NAMES[t]}`)
  }
}

function assignable(v: GoValue, t: ParamType): boolean {
  if (typeof v === 'string') return t === 'string'
  switch (t) {
    case 'int': return v.k === 'int' && v.t === 'int'
    case 'float64': return v.k === 'float'
    case 'bool': return v.k === 'bool'
    case 'time': return v.k === 'time'
    default: return false
  }
}
