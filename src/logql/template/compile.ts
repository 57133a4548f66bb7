/**
 * Go text/template for LogQL's `line_format` and `label_format`, with Loki's function set.
 * `compileTemplate` parses once (throwing `TemplateParseError` with Go's message); `execute` runs
 * per log line against the labels (a Go `map[string]string` with `missingkey=zero`), the line
 * (`__line__`) and its timestamp (`__timestamp__`), throwing `TemplateExecError` with Go's text,
 * which Loki reports as `__error__=TemplateFormatErr` and `__error_details__`.
 */
import { BUILTINS } from './builtins'
import { TemplateExecError, TemplateParseError } from './errors'
import { Execution, type Program } from './exec'
import type { FuncDef } from './func-types'
import { LOKI_FUNCS } from './funcs'
import { SPRIG_FUNCS } from './sprig'
import { Parser } from './parser'
import { LabelsMap } from './value'

export { TemplateExecError, TemplateParseError }

export interface TemplateData {
  labels: Readonly<Record<string, string>>
  line: string
  timestampNs: bigint
  /** Fixes the clock (ns since the epoch); the wall clock when absent. */
  nowNs?: bigint
}

export interface CompiledTemplate {
  execute(data: TemplateData): string
}

const LINE_FUNCS: Record<string, FuncDef> = {
  __line__: { params: [], call: (_a, ctx) => ctx.line },
  __timestamp__: { params: [], call: (_a, ctx) => ({ k: 'time', v: ctx.timestamp }) },
}

function lookup(name: string): FuncDef | undefined {
  if (Object.prototype.hasOwnProperty.call(LINE_FUNCS, name)) return LINE_FUNCS[name]
  if (Object.prototype.hasOwnProperty.call(LOKI_FUNCS, name)) return LOKI_FUNCS[name]
  if (Object.prototype.hasOwnProperty.call(SPRIG_FUNCS, name)) return SPRIG_FUNCS[name]
  if (Object.prototype.hasOwnProperty.call(BUILTINS, name)) return BUILTINS[name]
  return undefined
}

/** Names usable as functions in templates (Go's FuncMap plus builtins). */
export function isTemplateFunction(name: string): boolean {
  return lookup(name) !== undefined
}

/**
 * Parses `text` as a Go template named `name` (Loki uses "line" for line_format and "label" for
 * label_format; the name appears in error messages).
 */
export function compileTemplate(text: string, name = 'line'): CompiledTemplate {
  const parsed = new Parser(name, text, isTemplateFunction).parse()
  const prog: Program = { name, text, root: parsed.root, defs: parsed.defs, funcs: lookup }
  const simpleKey = simpleField(prog)
  const exec = new Execution(prog)
  return {
    execute(data: TemplateData): string {
      if (simpleKey !== undefined) {
        return Object.prototype.hasOwnProperty.call(data.labels, simpleKey) ? (data.labels[simpleKey] as string) : ''
      }
      return exec.run(new LabelsMap(data.labels), data.line, data.timestampNs, data.nowNs)
    },
  }
}

/** `{{.name}}` alone: Loki copies the label value directly. */
function simpleField(prog: Program): string | undefined {
  const nodes = prog.root.nodes
  if (nodes.length !== 1 || prog.defs.size > 1) return undefined
  const n = nodes[0]
  if (n?.type !== 'action' || n.pipe.decl.length > 0 || n.pipe.cmds.length !== 1) return undefined
  const args = n.pipe.cmds[0]?.args
  if (args?.length !== 1) return undefined
  const f = args[0]
  return f?.type === 'field' && f.ident.length === 1 ? f.ident[0] : undefined
}
