/**
 * The two error types of the template engine. Their messages are Go's exact texts, because Loki
 * shows them to users: a parse error inside the query error, an execution error as the
 * `__error_details__` label next to `__error__=TemplateFormatErr`.
 */

/** The template text is malformed, e.g. `template: line:1: unexpected "}" in operand`. */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError'
}

/** Executing the template failed, e.g. `template: line:1:5: executing "line" at <...>: ...`. */
export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError'
}
