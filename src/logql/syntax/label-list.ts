/**
 * Parenthesised label lists of LogQL: `by (a, b)` / `without ()` groupings and the label lists
 * of `on`, `ignoring`, `group_left` and `group_right`.
 */

import type { Grouping } from './ast'
import type { Cursor } from './cursor'

export function parseLabelList(c: Cursor): string[] {
  c.expect('OPEN_PARENTHESIS')
  const labels: string[] = []
  if (c.is('CLOSE_PARENTHESIS')) {
    c.next()
    return labels
  }
  if (!c.is('IDENTIFIER')) throw c.syntaxError(['IDENTIFIER', 'CLOSE_PARENTHESIS'])
  labels.push(c.next().value)
  while (c.is('COMMA')) {
    c.next()
    labels.push(c.expect('IDENTIFIER').value)
  }
  c.expect('CLOSE_PARENTHESIS', ['COMMA', 'CLOSE_PARENTHESIS'])
  return labels
}

export function parseGrouping(c: Cursor): Grouping {
  const mode = c.next().type === 'WITHOUT' ? 'without' : 'by'
  return { mode, labels: parseLabelList(c) }
}
