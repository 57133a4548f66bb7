/**
 * Public entry of the LogQL regex layer: RE2-semantics compilation with Go error messages,
 * anchored (label matchers) or unanchored (line filters, `regexp` parser) matching, named-group
 * extraction and Go template expansion for label_replace / regexReplaceAll.
 */

export { compileRegex, regexError, RegexSyntaxError } from './regex'
export type { CompiledRegex, RegexMatch, RegexOptions } from './regex'
export { expandTemplate } from './expand'
export type { GroupLookup } from './expand'
export { literalAlternatives } from './literal'
