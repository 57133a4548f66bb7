/**
 * `label_replace(v, "dst", "replacement", "src", "regex")`: when the fully anchored RE2 regex
 * matches the value of `src` (missing labels read as ""), `dst` is set to the expanded
 * replacement, or removed when the expansion is empty; without a match the series is unchanged.
 * The replacement follows Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`.
 */
import { RE2JS } from 're2js'
import type { LabelReplaceExpr } from '../syntax/ast'
import { QueryError } from './errors'
import { labelsKey } from './labels'
import type { Labels } from './source'
import { SeriesCollector, type VectorValue } from './value'

interface Match {
  group(i: number): string | null
}

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c)
}

/** Go's `Regexp.Expand` for one match. */
export function expandTemplate(
  template: string,
  match: Match,
  groupCount: number,
  named: Readonly<Record<string, number>>,
): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const dollar = template.indexOf('$', i)
    if (dollar < 0) {
      out += template.slice(i)
      break
    }
    out += template.slice(i, dollar)
    i = dollar + 1
    if (template[i] === '$') {
      out += '$'
      i++
      continue
    }
    const brace = template[i] === '{'
    let j = brace ? i + 1 : i
    const nameStart = j
    while (j < template.length && isWordChar(template[j] as string)) j++
    const name = template.slice(nameStart, j)
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$'
      continue
    }
    i = brace ? j + 1 : j
    let index = -1
    if (/^[0-9]+$/.test(name)) index = Number(name)
    else if (named[name] !== undefined) index = named[name] as number
    if (index >= 0 && index <= groupCount) out += match.group(index) ?? ''
  }
  return out
}

export interface CompiledLabelReplace {
  apply(labels: Labels): Labels
}

export function compileLabelReplace(expr: LabelReplaceExpr): CompiledLabelReplace {
  let re: RE2JS
  try {
    re = RE2JS.compile(`^(?:${expr.regex})$`)
  } catch (e) {
    throw new QueryError(`parse error : invalid regex in label_replace: ${e instanceof Error ? e.message : String(e)}`)
  }
  const named = re.namedGroups()
  const groupCount = re.groupCount()
  return {
    apply(labels: Labels): Labels {
      const src = labels[expr.src] ?? ''
      const m = re.matcher(src)
      if (!m.matches()) return labels
      const res = expandTemplate(expr.replacement, m, groupCount, named)
      const out: Record<string, string> = { ...labels }
      delete out[expr.dst]
      if (res !== '') out[expr.dst] = res
      return out
    },
  }
}

export function evaluateLabelReplace(expr: LabelReplaceExpr, input: VectorValue, steps: number): VectorValue {
  const compiled = compileLabelReplace(expr)
  const collector = new SeriesCollector(steps, labelsKey)
  for (const s of input.series) {
    const labels = compiled.apply(s.labels)
    for (let i = 0; i < steps; i++) {
      if (s.present[i] === 1) collector.set(labels, i, s.values[i] as number)
    }
  }
  return collector.toValue()
}
