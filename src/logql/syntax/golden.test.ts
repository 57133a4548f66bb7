/**
 * Every query of the public conformance cases recorded from Loki 3.7.6: queries Loki answered
 * must parse (and print back to an equivalent query), queries Loki rejected with a parse error
 * must fail with exactly Loki's text, and format_query must produce Loki's exact formatting.
 */

import { describe, expect, it } from 'vitest'
import { formatQuery, parseExpr, parseMatchers, printExpr } from './index'

const GOLDEN: readonly (readonly [kind: 'ok' | 'error' | 'format' | 'matchers', id: string, query: string, expected: string | null])[] = [
  ["ok", "sel-eq", "{app=\"db\", env=\"prod\", cluster=\"us-east\"}", null],
  ["ok", "sel-nregex-absent-label", "{env=\"staging\", app!~\"api|web|worker|db\"}", null],
  ["ok", "sel-regex-anchored", "{app=~\"ap\"}", null],
  ["ok", "lp-forward-dup-ts", "{app=\"worker\", env=\"prod\", cluster=\"eu-west\"}", null],
  ["ok", "lp-limit-across-streams", "{env=\"prod\", namespace=\"data\"}", null],
  ["ok", "lp-interval-forward", "{app=\"auth\", env=\"prod\", cluster=\"eu-west\"}", null],
  ["ok", "lf-contains", "{app=\"api\"} |= \"request failed\"", null],
  ["ok", "lf-regex-backtick", "{app=\"web\"} |~ `\" 5[0-9]{2} `", null],
  ["ok", "lf-or", "{app=\"worker\"} |= \"timeout\" or \"access denied\"", null],
  ["ok", "lf-pattern", "{app=\"web\"} |> \"<_> \\\"POST <_> HTTP/1.1\\\" 50<_>\"", null],
  ["ok", "lf-ip-cidr-v6", "{app=\"auth\"} |= ip(\"2001:db8::/32\")", null],
  ["ok", "lf-ip-not-v4", "{app=\"auth\", env=\"prod\"} != ip(\"10.0.0.0/8\") != ip(\"192.168.0.0/16\")", null],
  ["ok", "lf-unicode-or-backslash", "{namespace=~\"shop|data\"} |= \"\u2713\" or `C:\\\\data`", null],
  ["ok", "lf-regex-dot-no-newline", "{app=\"db\"} |~ \"exist.+at db\"", null],
  ["ok", "json-all", "{app=\"api\", env=\"prod\", cluster=\"eu-west\"} | json", null],
  ["ok", "json-params-mixed", "{app=\"api\", env=\"staging\"} | json uid=\"user.id\", ua=\"request.headers[\\\"User-Agent\\\"]\", role0=\"user.roles[0]\", status, user, tags", null],
  ["ok", "json-invalid-lines", "{app=\"api\"} | json | __error__ != \"\"", null],
  ["ok", "logfmt-all", "{app=\"worker\", env=\"prod\", cluster=\"us-east\"} | logfmt", null],
  ["ok", "logfmt-params", "{app=\"auth\"} | logfmt user, ip=\"client_ip\", reason", null],
  ["ok", "logfmt-keep-empty", "{app=\"worker\"} |= \"empty values\" | logfmt --keep-empty", null],
  ["ok", "logfmt-collision-escapes", "{app=\"worker\"} |= \"env=batch\" or \"copied\" | logfmt | env_extracted != \"\" or msg=~\"copied.*\"", null],
  ["ok", "regexp-conn", "{app=\"db\", env=\"prod\"} | regexp \"\\\\[conn-(?P<conn>\\\\d+)\\\\] (?P<message>.*)\" | conn > 35", null],
  ["ok", "pattern-nginx", "{app=\"web\", env=\"prod\"} | pattern `<ip> - <user> [<_>] \"<method> <uri> <_>\" <status> <bytes> \"<_>\" \"<ua>\" rt=<rt>` | status >= 500", null],
  ["ok", "pattern-topk-paths", "topk(5, sum by (path) (count_over_time({app=\"web\"} | pattern `<_> - - <_> \"<method> <path> <_>\" <status> <_>` [2h])))", null],
  ["ok", "unpack-packed", "{service_name=\"cache\"} |= \"_entry\" | unpack", null],
  ["ok", "lbl-numeric-and", "{app=\"api\"} | json | status >= 500 and latency_ms > 100", null],
  ["ok", "lbl-duration-gt", "{app=\"worker\"} | logfmt | duration > 2m", null],
  ["ok", "lbl-bytes-or", "{app=\"worker\"} | logfmt | bytes > 10MB or bytes < 10B", null],
  ["ok", "lbl-or-parens", "{app=\"api\"} | json | (status >= 500 or status == 429) and method != \"GET\"", null],
  ["ok", "lbl-ip-v6", "{app=\"auth\"} | logfmt | client_ip = ip(\"2001:db8::/32\")", null],
  ["ok", "lbl-not-regex-precedence", "{app=\"auth\"} | logfmt | user !~ \"a.*|b.*\" and level=\"warn\" or reason=\"account locked\"", null],
  ["ok", "lfmt-logfmt-fields", "{app=\"worker\", env=\"prod\"} | logfmt | line_format \"{{.level | ToUpper}} {{.job_id}} took {{.duration}}\"", null],
  ["ok", "lfmt-line-and-ts", "{app=\"db\", env=\"staging\"} | line_format `{{ __timestamp__ | unixEpochMillis }} {{ len __line__ }} {{ __line__ | trunc 24 }}`", null],
  ["ok", "lblfmt-rename", "{app=\"auth\", env=\"prod\"} | logfmt | label_format who=user | keep who, client_ip, app", null],
  ["ok", "lblfmt-multi", "{app=\"worker\", env=\"staging\"} | logfmt | label_format q=queue, lvl=\"{{ .level }}-{{ .app }}\" | keep q, lvl, queue", null],
  ["ok", "tf-strings", "{app=\"auth\", env=\"prod\", cluster=\"eu-west\"} | logfmt | line_format `{{ ToUpper .user }}|{{ ToLower .level }}|{{ Replace .msg \" \" \"_\" -1 }}|{{ TrimPrefix .client_ip \"192.\" }}|{{ TrimSuffix .latency \"ms\" }}|{{ TrimSpace \"  x  \" }}|{{ Trim \"xxhixx\" \"x\" }}|{{ TrimLeft \"xxhi\" \"x\" }}|{{ TrimRight \"hixx\" \"x\" }}|{{ trim \"  a  \" }}|{{ trimAll \"-\" \"--x--\" }}|{{ trimPrefix \"log\" .msg }}|{{ trimSuffix \"ed\" .msg }}|{{ replace \"login\" \"LOGIN\" .msg }}|{{ count \"[aeiou]\" .msg }}|{{ regexReplaceAll \"([0-9]+)\" .client_ip \"N\" }}|{{ regexReplaceAllLiteral \"[aeiou]\" .user \"$1\" }}`", null],
  ["ok", "tf-math", "{app=\"api\", env=\"prod\", cluster=\"eu-west\"} | json | line_format `{{ add .status 1 }}|{{ sub .status 100 }}|{{ mul .retries 3 }}|{{ div .status 100 }}|{{ mod .status 7 }}|{{ addf .latency_ms 0.5 }}|{{ mulf .latency_ms 1000 }}|{{ divf .latency_ms 3 }}|{{ subf .latency_ms 1 }}|{{ max .status 300 }}|{{ min .status 300 }}|{{ maxf .latency_ms 50.5 }}|{{ minf .latency_ms 50.5 }}|{{ ceil .latency_ms }}|{{ floor .latency_ms }}|{{ round .latency_ms 1 }}|{{ int .latency_ms }}|{{ float64 .status }}`", null],
  ["ok", "tf-time", "{app=\"api\", env=\"prod\", cluster=\"eu-west\"} | json | line_format `{{ __timestamp__ | unixEpochMillis }}|{{ __timestamp__ | unixEpochNanos }}|{{ __timestamp__ | unixEpoch }}|{{ __timestamp__ | date \"2006-01-02T15:04\" }}|{{ toDate \"2006-01-02T15:04:05.000Z\" .ts | date \"15:04:05\" }}|{{ toDateInZone \"2006-01-02T15:04:05.000Z\" \"Europe/Paris\" .ts }}|{{ unixToTime \"1793491200\" }}`", null],
  ["ok", "tf-units-layout", "{app=\"worker\", env=\"prod\", cluster=\"us-east\"} | logfmt | line_format `{{ .bytes | bytes }}|{{ .duration | duration }}|{{ .duration | duration_seconds }}|[{{ alignLeft 10 .queue }}][{{ alignRight 6 .level }}][{{ trunc 4 .msg }}][{{ substr 0 3 .job_id }}][{{ repeat 2 \"ab\" }}][{{ title .msg }}][{{ lower .level }}][{{ upper .level }}][{{ indent 2 .level }}][{{ nindent 1 .attempts }}]`", null],
  ["ok", "tf-logic-printf", "{app=\"api\", env=\"prod\", cluster=\"us-east\"} | json | line_format `{{ if and (ge (int .status) 400) (lt (int .status) 500) }}4xx{{ else if or (eq .status \"500\") (ne .level \"info\") }}odd{{ else }}{{ not false }}{{ end }}|{{ contains \"orders\" .path }}|{{ hasPrefix \"/api\" .path }}|{{ hasSuffix \"z\" .path }}|{{ default \"none\" .duration }}|{{ printf \"%05.1f|%-6s|%q\" (float64 .latency_ms) .method .msg }}|{{ len .path }}|{{ index .path 1 }}|{{ slice .path 0 4 }}|{{ print .status \"x\" }}`", null],
  ["ok", "dk-keep", "{app=\"auth\"} | logfmt | keep user, level, app", null],
  ["ok", "dk-keep-preserves-error", "{app=\"api\"} | json | keep level, path | __error__ != \"\"", null],
  ["ok", "decolorize-lines", "{app=\"db\", env=\"prod\", cluster=\"eu-west\"} | decolorize", null],
  ["ok", "err-json-parser-err", "{app=\"api\"} | json | __error__ = \"JSONParserErr\"", null],
  ["ok", "err-label-filter-err", "{app=\"api\", env=\"prod\"} | json | user_name > 5 | __error__ != \"\"", null],
  ["ok", "err-hidden-by-sum", "sum(sum_over_time({app=\"api\"} | json | unwrap duration(duration) [2h]))", null],
  ["ok", "err-avg-by-post-unwrap-filter", "avg_over_time({app=\"api\", env=\"prod\"} | json | unwrap latency_ms | __error__=\"\" [30m]) by (cluster)", null],
  ["ok", "sm-filter-exists", "{app=\"web\", env=\"staging\"} | trace_id != \"\"", null],
  ["ok", "sm-categorize-parsed", "{app=\"api\", env=\"prod\"} | json | status >= 500", null],
  ["ok", "sm-by-pod", "sum by (pod) (count_over_time({app=\"worker\"}[30m]))", null],
  ["ok", "sm-detected-level-drop", "{app=\"db\"} | detected_level=\"error\" | drop detected_level", null],
  ["ok", "ra-count-over-time", "count_over_time({app=\"db\", env=\"prod\"}[15m] |= \"query\")", null],
  ["ok", "ra-bytes-over-time", "bytes_over_time({service_name=\"cache\", env=\"prod\"}[30m])", null],
  ["ok", "ra-absent-over-time", "absent_over_time({app=\"db\", env=\"prod\"} |= \"no such text\" [10m])", null],
  ["ok", "ra-sum-over-time", "sum by (cluster) (sum_over_time({app=\"api\"} | json | unwrap latency_ms | __error__=\"\" [10m]))", null],
  ["ok", "ra-avg-over-time", "avg_over_time({app=\"api\", env=\"prod\"} | json | __error__=\"\" | unwrap latency_ms [30m]) by (cluster)", null],
  ["ok", "ra-min-over-time", "min_over_time({app=\"api\"} | json | unwrap latency_ms | __error__=\"\" [1h]) by (env)", null],
  ["ok", "ra-stddev-over-time", "stddev_over_time({app=\"api\"} | json | unwrap latency_ms | __error__=\"\" [1h]) by (env)", null],
  ["ok", "ra-first-over-time", "first_over_time({app=\"worker\"} | logfmt | unwrap attempts | __error__=\"\" [20m]) by (pod)", null],
  ["ok", "ra-quantile-over-time", "quantile_over_time(0.99, {app=\"api\"} | json | unwrap latency_ms | __error__=\"\" [30m]) by (cluster)", null],
  ["ok", "ra-rate-unwrap", "sum by (queue) (rate({app=\"worker\"} | logfmt | unwrap bytes(bytes) | __error__=\"\" [30m]))", null],
  ["ok", "uw-duration", "sum by (queue) (sum_over_time({app=\"worker\"} | logfmt | unwrap duration(duration) | __error__=\"\" [30m]))", null],
  ["ok", "grp-by-before", "sum by (app, env) (count_over_time({namespace=\"shop\"}[30m]))", null],
  ["ok", "grp-without", "sum without (cluster, namespace, service_name, detected_level) (count_over_time({app=\"db\"}[30m]))", null],
  ["ok", "offset-range", "sum by (app) (count_over_time({namespace=\"data\"}[10m] offset 30m))", null],
  ["ok", "va-avg", "avg by (env) (count_over_time({app=\"web\"}[1h]))", null],
  ["ok", "va-max", "max by (app) (bytes_over_time({namespace=\"data\"}[2h]))", null],
  ["ok", "va-count", "count(count_over_time({namespace=\"shop\"}[1h]))", null],
  ["ok", "va-stddev", "stddev by (app) (count_over_time({namespace=\"data\"}[30m]))", null],
  ["ok", "va-topk", "topk(3, sum by (app, env, cluster) (bytes_over_time({namespace=~\".+\"}[1h])))", null],
  ["ok", "va-sort", "sort(sum by (service_name) (bytes_over_time({env=\"prod\"}[2h])))", null],
  ["ok", "va-topk-by", "topk by (env) (1, sum by (env, app) (bytes_over_time({namespace=\"data\"}[1h])))", null],
  ["ok", "bin-scalar-precedence", "1 + 2 * 3 - 10 % 4 + 2 ^ 3 ^ 2", null],
  ["ok", "bin-vector-scalar", "sum(count_over_time({app=\"api\"}[10m])) * 6 / 60", null],
  ["ok", "vm-on", "sum by (env) (count_over_time({app=\"api\"} |= \"request failed\" [2h])) / on(env) sum by (env) (count_over_time({app=\"api\"}[2h]))", null],
  ["ok", "vm-ignoring-group-left", "sum by (env, cluster) (count_over_time({app=\"web\"}[2h])) / ignoring(cluster) group_left sum by (env) (count_over_time({app=\"web\"}[2h]))", null],
  ["ok", "vm-on-group-left-labels", "sum by (app, env) (count_over_time({namespace=\"data\"}[2h])) * on(env) group_left(cluster) max by (env, cluster) (count_over_time({app=\"worker\", cluster=\"eu-west\"}[2h]) > 0)", null],
  ["ok", "cmp-bool-vector", "sum by (app) (count_over_time({namespace=\"data\"}[2h])) > bool 250", null],
  ["ok", "cmp-filter", "sum by (app) (count_over_time({namespace=\"shop\"}[30m])) > 60", null],
  ["ok", "set-and", "sum by (app) (count_over_time({namespace=\"data\"}[2h])) and sum by (app) (count_over_time({namespace=\"data\"} |= \"deadlock\" [2h]))", null],
  ["ok", "set-unless", "sum by (app) (count_over_time({namespace=\"shop\"}[2h])) unless sum by (app) (count_over_time({app=\"web\"}[2h]))", null],
  ["ok", "label-replace-copy", "label_replace(sum by (app) (count_over_time({namespace=\"data\"}[2h])), \"svc\", \"$1-svc\", \"app\", \"(.*)\")", null],
  ["ok", "vec-grafana-health-check", "vector(1)+vector(1)", null],
  ["ok", "vec-range", "vector(5)", null],
  ["ok", "inst-by-service", "sum by (service_name) (count_over_time({env=\"prod\"}[2h]))", null],
  ["ok", "inst-unaligned-time", "sum by (cluster) (count_over_time({app=\"auth\"}[10m]))", null],
  ["ok", "mr-step-ms", "sum by (env) (count_over_time({app=\"auth\"}[10m]))", null],
  ["ok", "mr-ns-bounds-derived-service", "sum by (service_name) (count_over_time({source=\"kernel\"}[30m]))", null],
  ["matchers", "series-multi", "{app=\"db\"}", null],
  ["matchers", "series-multi", "{service_name=\"cache\", env=\"prod\"}", null],
  ["ok", "stats-app", "{app=\"api\"}", null],
  ["ok", "stats-none", "{app=\"nonexistent\"}", null],
  ["ok", "volume-service", "{service_name=~\".+\"}", null],
  ["ok", "volume-target-labels-limit", "{namespace=\"shop\"}", null],
  ["ok", "volume-range-service", "{env=\"prod\"}", null],
  ["ok", "detected-fields-api", "{app=\"api\", env=\"prod\"}", null],
  ["ok", "detected-field-values", "{app=\"worker\"}", null],
  ["ok", "detected-labels-shop", "{namespace=\"shop\"}", null],
  ["ok", "patterns-web", "{app=\"web\"}", null],
  ["format", "format-metric", "sum by(cluster)(rate({app=\"api\"}|=\"error\"|json|status>=500[5m]))/ignoring(x) group_left sum(rate({app=\"api\"}[5m]))", "  sum by (cluster)(rate({app=\"api\"} |= \"error\" | json | status>=500[5m]))\n/ ignoring (x) group_left\n  sum(rate({app=\"api\"}[5m]))"],
  ["format", "format-log-pipeline", "{app=\"api\",env=~\"prod|staging\"}|json|line_format \"{{.msg}}\" # comment\n|= `x` or \"y\"|drop a,b=\"c\"", "{app=\"api\", env=~\"prod|staging\"} | json | line_format \"{{.msg}}\" |= \"x\" or \"y\" | drop a,b=\"c\""],
  ["error", "err-parse-dangling-filter", "{app=\"api\"} |= ", "parse error at line 1, col 16: syntax error: unexpected $end, expecting STRING or ip"],
  ["ok", "err-limit-zero", "{app=\"api\"}", null],
  ["ok", "err-bad-direction", "{app=\"api\"}", null],
  ["ok", "err-step-zero", "sum(count_over_time({app=\"api\"}[5m]))", null],
  ["error", "err-empty-compatible-matcher", "{app=~\".*\"}", "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"],
  ["ok", "err-log-query-on-instant", "{app=\"api\"}", null],
  ["error", "err-unknown-function", "foo_over_time({app=\"api\"}[5m])", "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"],
  ["error", "err-unwrap-on-count", "count_over_time({app=\"api\"} | json | unwrap latency_ms [5m])", "parse error : invalid aggregation count_over_time with unwrap"],
  ["error", "err-grouping-count-over-time", "count_over_time({app=\"api\"}[5m]) by (cluster)", "parse error : grouping not allowed for count_over_time aggregation"],
  ["ok", "err-bad-time", "{app=\"api\"}", null],
]

describe('Loki 3.7.6 conformance queries', () => {
  for (const [kind, id, query, expected] of GOLDEN) {
    it(`${id}: ${query}`, () => {
      switch (kind) {
        case 'ok': {
          const e = parseExpr(query)
          expect(parseExpr(printExpr(e))).toEqual(e)
          break
        }
        case 'error':
          expect(() => parseExpr(query)).toThrow(expected ?? '')
          try {
            parseExpr(query)
          } catch (err) {
            expect((err as Error).message).toBe(expected)
          }
          break
        case 'format':
          expect(formatQuery(query)).toBe(expected)
          break
        case 'matchers':
          expect(parseMatchers(query).length).toBeGreaterThan(0)
          break
      }
    })
  }
})
