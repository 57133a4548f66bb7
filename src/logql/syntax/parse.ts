/**
 * Public entry of the LogQL language layer: parse queries into the plain-object AST, validate them
 * as Loki does, print them back in Loki's canonical (`String()`) or formatted (`format_query`)
 * form. Every failure is a ParseError whose message is Loki's exact text.
 */

import type { Expr, LabelMatcher, LogSelectorExpr, SampleExpr } from './ast'
import { isLogExpr } from './ast'
import { ParseError } from './errors'
import { parseWithoutValidation } from './parser'
import { prettyExpr } from './pretty'
import { validateExpr, validatePipelines } from './validate'

export interface ParseOptions {
  /** Also run the checks Loki makes when building pipelines (default true). */
  readonly validatePipelines?: boolean
}

/** Loki's `ParseExpr`: parse and validate a query; throws ParseError. */
export function parseExpr(q: string, opts: ParseOptions = {}): Expr {
  const e = parseWithoutValidation(q)
  validateExpr(e)
  if (opts.validatePipelines ?? true) validatePipelines(e)
  return e
}

/** Parse without any semantic validation. */
export function parseExprUnvalidated(q: string): Expr {
  return parseWithoutValidation(q)
}

/** Loki's `ParseLogSelector`: a log query (selector and optional pipeline). */
export function parseLogSelector(q: string, validate = true): LogSelectorExpr {
  const e = parseWithoutValidation(q)
  if (!isLogExpr(e)) throw new Error('only log selector is supported')
  if (validate) {
    validateExpr(e)
    validatePipelines(e)
  }
  return e
}

/**
 * Loki's `ParseMatchers`: the matchers of a bare stream selector, for `match[]` of the series API
 * and the `query` of the labels / index APIs. Without `validate` (the default) `{}` and
 * empty-compatible selectors are accepted, as the series API does.
 */
export function parseMatchers(q: string, validate = false): LabelMatcher[] {
  const e = validate ? parseExpr(q, { validatePipelines: false }) : parseWithoutValidation(q)
  if (e.kind !== 'MatchersExpr') throw new Error('only label matchers is supported')
  return [...e.matchers]
}

/** Loki's `ParseSampleExpr`: a validated metric query. */
export function parseSampleExpr(q: string): SampleExpr {
  const e = parseExpr(q)
  if (isLogExpr(e)) throw new Error('only sample expression supported')
  return e
}

/**
 * What `GET /loki/api/v1/format_query` returns in `data`: Loki's `ParseExpr` (matcher validation,
 * no pipeline construction) then `Prettify`. Throws ParseError; Loki then answers 400 with
 * `{"status":"invalid-query","error":"<message>"}`.
 */
export function formatQuery(q: string): string {
  return prettyExpr(parseExpr(q, { validatePipelines: false }))
}

export function isValidationError(e: unknown): e is ParseError {
  return e instanceof ParseError && e.line === 0 && e.col === 0
}
