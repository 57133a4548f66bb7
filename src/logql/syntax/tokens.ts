/**
 * LogQL token tables, as in Loki's lex.go: keywords and operators (matched case-insensitively),
 * names that are tokens only when used as a function, and the names goyacc prints for tokens in
 * syntax errors (keywords print as their text, other tokens as their grammar name).
 */

/** Keywords and operators (matched case-insensitively), with the names goyacc prints for them. */
export const KEYWORD_TOKENS: Readonly<Record<string, string>> = {
  ',': 'COMMA',
  '.': 'DOT',
  '{': 'OPEN_BRACE',
  '}': 'CLOSE_BRACE',
  '=': 'EQ',
  '!=': 'NEQ',
  '=~': 'RE',
  '!~': 'NRE',
  '!>': 'NPA',
  '|=': 'PIPE_EXACT',
  '|~': 'PIPE_MATCH',
  '|>': 'PIPE_PATTERN',
  '|': 'PIPE',
  unwrap: 'UNWRAP',
  '(': 'OPEN_PARENTHESIS',
  ')': 'CLOSE_PARENTHESIS',
  by: 'BY',
  without: 'WITHOUT',
  bool: 'BOOL',
  '[': 'OPEN_BRACKET',
  ']': 'CLOSE_BRACKET',
  label_replace: 'LABEL_REPLACE',
  offset: 'OFFSET',
  on: 'ON',
  ignoring: 'IGNORING',
  group_left: 'GROUP_LEFT',
  group_right: 'GROUP_RIGHT',
  or: 'OR',
  and: 'AND',
  unless: 'UNLESS',
  '+': 'ADD',
  '-': 'SUB',
  '*': 'MUL',
  '/': 'DIV',
  '%': 'MOD',
  '^': 'POW',
  '==': 'CMP_EQ',
  '>': 'GT',
  '>=': 'GTE',
  '<': 'LT',
  '<=': 'LTE',
  json: 'JSON',
  regexp: 'REGEXP',
  logfmt: 'LOGFMT',
  unpack: 'UNPACK',
  pattern: 'PATTERN',
  label_format: 'LABEL_FMT',
  line_format: 'LINE_FMT',
  ip: 'IP',
  decolorize: 'DECOLORIZE',
  drop: 'DROP',
  keep: 'KEEP',
  variants: 'VARIANTS',
  of: 'OF',
}

/** Names that are tokens only when used as a function. */
export const FUNCTION_TOKENS: Readonly<Record<string, string>> = {
  rate: 'RATE',
  rate_counter: 'RATE_COUNTER',
  count_over_time: 'COUNT_OVER_TIME',
  bytes_rate: 'BYTES_RATE',
  bytes_over_time: 'BYTES_OVER_TIME',
  avg_over_time: 'AVG_OVER_TIME',
  sum_over_time: 'SUM_OVER_TIME',
  min_over_time: 'MIN_OVER_TIME',
  max_over_time: 'MAX_OVER_TIME',
  stdvar_over_time: 'STDVAR_OVER_TIME',
  stddev_over_time: 'STDDEV_OVER_TIME',
  quantile_over_time: 'QUANTILE_OVER_TIME',
  first_over_time: 'FIRST_OVER_TIME',
  last_over_time: 'LAST_OVER_TIME',
  absent_over_time: 'ABSENT_OVER_TIME',
  vector: 'VECTOR',
  sum: 'SUM',
  avg: 'AVG',
  max: 'MAX',
  min: 'MIN',
  count: 'COUNT',
  stddev: 'STDDEV',
  stdvar: 'STDVAR',
  bottomk: 'BOTTOMK',
  topk: 'TOPK',
  sort: 'SORT',
  sort_desc: 'SORT_DESC',
  label_replace: 'LABEL_REPLACE',
  approx_topk: 'APPROX_TOPK',
  bytes: 'BYTES_CONV',
  duration: 'DURATION_CONV',
  duration_seconds: 'DURATION_SECONDS_CONV',
  ip: 'IP',
}

const DISPLAY: Record<string, string> = { EOF: '$end' }
for (const [text, type] of Object.entries(KEYWORD_TOKENS)) DISPLAY[type] = text

/** The name goyacc uses for a token type in "unexpected X, expecting Y" messages. */
export function tokenDisplay(type: string): string {
  return DISPLAY[type] ?? type
}

