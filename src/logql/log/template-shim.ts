/**
 * Go-template entry point used by line_format/label_format. Handles field references and
 * `__line__` only; replaced by the full text/template implementation of ../template.
 */

export function compileTemplate(
  text: string,
  _name?: string,
): { execute(data: { labels: Readonly<Record<string, string>>; line: string; timestampNs: bigint }): string } {
  const parts: Array<string | { field: string } | { line: true }> = []
  let rest = text
  while (rest.length > 0) {
    const i = rest.indexOf('{{')
    if (i < 0) {
      parts.push(rest)
      break
    }
    if (i > 0) parts.push(rest.slice(0, i))
    const j = rest.indexOf('}}', i)
    if (j < 0) throw new Error(`template: ${_name ?? ''}: unclosed action`)
    const action = rest.slice(i + 2, j).trim()
    if (action === '__line__') parts.push({ line: true })
    else if (/^\.[A-Za-z_][A-Za-z0-9_]*$/.test(action)) parts.push({ field: action.slice(1) })
    else throw new Error(`template: unsupported action ${action}`)
    rest = rest.slice(j + 2)
  }
  return {
    execute: ({ labels, line }) =>
      parts.map((p) => (typeof p === 'string' ? p : 'line' in p ? line : (labels[p.field] ?? ''))).join(''),
  }
}
