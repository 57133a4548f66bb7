/**
 * The template cases of Loki's own pkg/logql/log/fmt_test.go, run through the engine. Every expectation here was produced by Go's own text/template (Go 1.26) with Loki's function
 * map (sprig v3.3.0, cast v1.10.0), `missingkey=zero` and the template names Loki uses.
 */
import { describe, expect, it } from 'vitest';
import { itMatchesEachCase, type TemplateCase } from '../../../test/support/template-cases'




const CASES: TemplateCase[] = [
  ["foo{{.foo}}buzz{{  .bar  }}", "out", "fooblipbuzzblop", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["foo{{.foo}}buzz{{ Replace .bar \"blop\" \"bar\" -1 }}", "out", "fooblipbuzzbar", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["foo{{.foo}}buzz{{ .bar | replace \"blop\" \"bar\" }}", "out", "fooblipbuzzbar", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{.foo | title }}", "out", "Blip", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{.foo | substr 1 3 }} {{ .bar  | trunc 1 }} {{ .bar  | trunc 3 }}", "out", "li b blo", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{.foo | trim }} {{ .bar  | trimAll \"op\" }} {{ .bar  | trimPrefix \"b\" }} {{ .bar  | trimSuffix \"p\" }}", "out", "blip bl lop blo", { labels: {"foo": "  blip ", "bar": "blop"}, line: "", ts: 0n }],
  ["{{.foo | lower }} {{ .bar  | upper }}", "out", "blip BLOP", { labels: {"foo": "BLIp", "bar": "blop"}, line: "", ts: 0n }],
  ["{{ \"foo\" | repeat 3 }}", "out", "foofoofoo", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{ \"foo\\n bar\" | indent 4 }}", "out", "    foo\n     bar", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{ \"foo\" | nindent 2 }}", "out", "\n  foo", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{ if  .foo | contains \"p\"}}yes{{end}}-{{ if  .foo | contains \"z\"}}no{{end}}", "out", "yes-", { labels: {"foo": "BLIp"}, line: "", ts: 0n }],
  ["{{ if  .foo | hasPrefix \"BL\" }}yes{{end}}-{{ if  .foo | hasPrefix \"p\"}}no{{end}}", "out", "yes-", { labels: {"foo": "BLIp"}, line: "", ts: 0n }],
  ["{{ if  .foo | hasSuffix \"Ip\" }}yes{{end}}-{{ if  .foo | hasSuffix \"pw\"}}no{{end}}", "out", "yes-", { labels: {"foo": "BLIp"}, line: "", ts: 0n }],
  ["{{ regexReplaceAll \"(p)\" .foo \"t\" }}", "out", "BLIt", { labels: {"foo": "BLIp"}, line: "", ts: 0n }],
  ["{{ regexReplaceAllLiteral \"(p)\" .foo \"${1}\" }}", "out", "BLI${1}", { labels: {"foo": "BLIp"}, line: "", ts: 0n }],
  ["{{.foo Replace \"foo\"}}", "eerr", "template: line:1:2: executing \"line\" at <.foo>: foo is not a method but has arguments", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["foo {{.foo}}buzz{{  .bar  }}", "out", "foo buzzblop", { labels: {"bar": "blop"}, line: "", ts: 0n }],
  ["foo {{.foo | ToUpper }} buzz{{  .bar  }}", "out", "foo BLIP buzzblop", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{ add .foo 1 | sub .bar | mul .baz | div .bazz}}", "out", "2", { labels: {"foo": "1", "bar": "3", "baz": "10", "bazz": "20"}, line: "", ts: 0n }],
  ["{{ addf .foo 1.5 | subf .bar 1.5 | mulf .baz | divf .bazz }}", "out", "3.8476190476190477", { labels: {"foo": "1.5", "bar": "5", "baz": "10.5", "bazz": "20.2"}, line: "", ts: 0n }],
  ["{{ round (addf .foo 1.5 | subf .bar | mulf .baz | divf .bazz) 5 .2}}", "out", "3.88572", { labels: {"foo": "1.5", "bar": "3.5", "baz": "10.5", "bazz": "20.4"}, line: "", ts: 0n }],
  ["min is {{ min .foo .bar .baz }} and max is {{ max .foo .bar .baz }}", "out", "min is 5 and max is 15", { labels: {"foo": "5", "bar": "10", "baz": "15"}, line: "", ts: 0n }],
  ["minf is {{ minf .foo .bar .baz }} and maxf is {{maxf .foo .bar .baz}}", "out", "minf is 5.3 and maxf is 15.2", { labels: {"foo": "5.3", "bar": "10.5", "baz": "15.2"}, line: "", ts: 0n }],
  ["ceil is {{ ceil .foo }} and floor is {{floor .foo }}", "out", "ceil is 6 and floor is 5", { labels: {"foo": "5.3"}, line: "", ts: 0n }],
  ["mod is {{ mod .foo 3 }}", "out", "mod is 2", { labels: {"foo": "20"}, line: "", ts: 0n }],
  ["{{ \"2.5\" | float64 | int | add 10}}", "out", "12", { labels: {"foo": "2.5"}, line: "", ts: 0n }],
  ["{{ sub (unixEpoch (toDate \"2006-01-02\" \"2021-11-02\")) (unixEpoch (toDate \"2006-01-02\" \"2021-11-01\")) }}", "out", "86400", { labels: {}, line: "", ts: 0n }],
  ["{{ date \"2006-01-02\" (toDate \"2006-01-02\" \"2021-11-02\") }}", "out", "2021-11-02", { labels: {}, line: "", ts: 0n }],
  ["{{ __line__ }} bar {{ .bar }}", "out", "1 bar 2", { labels: {"bar": "2"}, line: "1", ts: 0n }],
  ["{{ __timestamp__ | date \"2006-01-02T15:04:05.00Z00:00\" }} bar {{ .bar }}", "out", "2022-06-27T18:05:24.12Z00:00 bar 2", { labels: {"bar": "2"}, line: "1", ts: 1656353124120000000n }],
  ["{{ __timestamp__ | unixEpoch }} bar {{ .bar }}", "out", "1656353124 bar 2", { labels: {"bar": "2"}, line: "1", ts: 1656353124120000000n }],
  ["{{.foo}} and {{.bar}}", "out", "blip and blop", { labels: {"foo": "blip", "bar": "blop"}, name: "label", line: "", ts: 0n }],
  ["{{div .status 100 }}", "out", "2", { labels: {"status": "200"}, name: "label", line: "", ts: 0n }],
  ["{{.foo | default \"-\" }} and {{.bar}}", "out", "- and blop", { labels: {"bar": "blop"}, name: "label", line: "", ts: 0n }],
  ["{{ .foo | ToUpper | .buzz }} and {{.bar}}", "eerr", "template: line:1:20: executing \"line\" at <.buzz>: buzz is not a method but has arguments", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{with .foo}}{{printf \"%q\" .}} {{end}}", "out", "\"blip\" ", { labels: {"foo": "blip", "bar": "blop"}, line: "", ts: 0n }],
  ["{{with .foo}}{{printf \"%q\" .}} {{else}} {{ .buzz | lower }} {{end}}", "out", "  ", { labels: {}, line: "", ts: 0n }],
];

describe('Loki line_format and label_format templates (expectations from Go)', () => {
  itMatchesEachCase(CASES)
});
