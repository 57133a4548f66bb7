/**
 * Label matchers as Loki builds them: `=`, `!=`, `=~`, `!~`, where a regex that does not compile
 * fails immediately with Go's message (Prometheus' matcher constructor panics inside Loki's
 * grammar actions, so this error wins over any later syntax error).
 */

import type { LabelMatcher, MatchType } from './ast'
import { ParseError } from './errors'
import { compileRegex, regexError } from '../regex/regex'

export const MATCH_OPS: Record<string, MatchType> = { EQ: '=', NEQ: '!=', RE: '=~', NRE: '!~' }

/** `name op "value"`; a bad regex fails at once, as Prometheus' matcher constructor panics in Loki. */
export function newMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  if (type === '=~' || type === '!~') {
    const err = regexError(value)
    if (err !== null) throw new ParseError(err)
    compileRegex(value, { anchored: true, dotAll: true })
  }
  return { type, name, value }
}

