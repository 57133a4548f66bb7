/**
 * Runs a template the way the table tests compare outcomes: the output, or the text of a parse
 * error (`perr`) or execution error (`eerr`). Shared by the template test files.
 */
import { compileTemplate, TemplateExecError, TemplateParseError, type CompiledTemplate, type TemplateData } from './index'

export type Outcome = 'out' | 'perr' | 'eerr'

export function runTemplate(template: string, data: TemplateData, name?: string): { kind: Outcome; text: string } {
  let compiled: CompiledTemplate
  try {
    compiled = compileTemplate(template, name)
  } catch (e) {
    if (e instanceof TemplateParseError) return { kind: 'perr', text: e.message }
    throw e
  }
  try {
    return { kind: 'out', text: compiled.execute(data) }
  } catch (e) {
    if (e instanceof TemplateExecError) return { kind: 'eerr', text: e.message }
    throw e
  }
}
