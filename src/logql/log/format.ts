/**
 * `| line_format "tmpl"` and `| label_format dst=src, dst2="tmpl"` (pkg/logql/log/fmt.go). Templates
 * are Go text/template with Loki's functions and see every current label (errors included) plus
 * `__line__` and `__timestamp__`. A template that fails at run time leaves the line (or label)
 * unchanged and sets `__error__=TemplateFormatErr`. `line_format "{{.name}}"` copies the label
 * directly ('' when absent). label_format renames move a label (the source is dropped); template
 * assignments add a parsed label and keep their sources; all templates of one stage see the labels
 * as they were when the stage's first template ran.
 */

import type { LabelFmt } from '../syntax/ast'
import { compileTemplate } from '../template/compile'
import { ERR_TEMPLATE_FORMAT, ERROR_LABEL, PARSED, type LabelsBuilder } from './labels'
import { StageBuildError, type Stage } from './stage'

interface Template {
  execute(data: { labels: Readonly<Record<string, string>>; line: string; timestampNs: bigint }): string
}

function compile(text: string, name: string, what: string): Template {
  try {
    return compileTemplate(text, name)
  } catch (e) {
    throw new StageBuildError(`${what}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

const SIMPLE_KEY = /^\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}$/

export class LineFormatStage implements Stage {
  private readonly tmpl: Template | null
  private readonly simpleKey: string | null

  constructor(template: string) {
    const simple = SIMPLE_KEY.exec(template)
    this.simpleKey = simple ? (simple[1] as string) : null
    this.tmpl = compile(template, 'line', 'invalid line template')
  }

  process(ts: bigint, line: string, lbs: LabelsBuilder): string {
    if (this.simpleKey !== null) return lbs.get(this.simpleKey) ?? ''
    try {
      return (this.tmpl as Template).execute({ labels: lbs.toRecord(), line, timestampNs: ts })
    } catch (e) {
      lbs.setError(ERR_TEMPLATE_FORMAT, message(e))
      return line
    }
  }
}

interface CompiledFmt {
  readonly name: string
  readonly source: string
  readonly tmpl: Template | null
}

export class LabelFormatStage implements Stage {
  private readonly formats: CompiledFmt[]

  constructor(formats: readonly LabelFmt[]) {
    const seen = new Set<string>()
    this.formats = formats.map((f) => {
      if (f.name === ERROR_LABEL) throw new StageBuildError(`${f.name} cannot be formatted`)
      if (seen.has(f.name)) {
        throw new StageBuildError(`multiple label name '${f.name}' not allowed in a single format operation`)
      }
      seen.add(f.name)
      return {
        name: f.name,
        source: f.value,
        tmpl: f.rename ? null : compile(f.value, 'label', `invalid template for label '${f.name}'`),
      }
    })
  }

  process(ts: bigint, line: string, lbs: LabelsBuilder): string {
    let data: Record<string, string> | null = null
    for (const f of this.formats) {
      if (f.tmpl === null) {
        const v = lbs.get(f.source)
        if (v !== undefined) {
          lbs.set(PARSED, f.name, v)
          lbs.delete(f.source)
        }
        continue
      }
      data ??= lbs.toRecord()
      try {
        lbs.set(PARSED, f.name, f.tmpl.execute({ labels: data, line, timestampNs: ts }))
      } catch (e) {
        lbs.setError(ERR_TEMPLATE_FORMAT, message(e))
      }
    }
    return line
  }
}
