#!/usr/bin/env node
/**
 * Ruler figures for one tenant object: pushes lines, writes one group of --rules rules (half
 * alerting, half recording, each a LogQL metric query over the last 5 minutes), lets it be
 * evaluated --evaluations times on the server's interval, then reads /prometheus/api/v1/rules and
 * /metrics: evaluation time per rule (median, p90, max), the group's time, how many rules one
 * object evaluates per minute at that pace, and the meters per evaluated rule.
 *
 *   node bench/ruler.mjs --url http://127.0.0.1:3111 --rules 40 --lines 20000
 *
 * The server should run with a short `evaluation_interval` (e.g. `--var evaluation_interval:2s`).
 */
import { parseArgs } from 'node:util';
import { request } from './http.mjs';
import { parseMetrics } from './meters.mjs';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    tenant: { type: 'string' },
    token: { type: 'string' },
    rules: { type: 'string', default: '40' },
    lines: { type: 'string', default: '20000' },
    streams: { type: 'string', default: '20' },
    evaluations: { type: 'string', default: '3' },
    'timeout-seconds': { type: 'string', default: '300' },
  },
});
if (!opts.url) throw new Error('--url is required');
const target = { url: opts.url, tenant: opts.tenant, token: opts.token };
const RULES = Number(opts.rules);
const LINES = Number(opts.lines);
const STREAMS = Number(opts.streams);
const EVALUATIONS = Number(opts.evaluations);
const NS = `bench-${Date.now()}`;

async function must(path, init, status) {
  const r = await request(target, path, init);
  if (r.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path}: ${r.status} ${r.text}`);
  return r;
}

async function pushLines() {
  const now = Date.now();
  const levels = ['info', 'warn', 'error', 'debug'];
  const perStream = Math.ceil(LINES / STREAMS);
  for (let s = 0; s < STREAMS; s++) {
    const values = [];
    for (let i = 0; i < perStream; i++) {
      const ts = BigInt(now - 240_000 + Math.floor((i * 230_000) / perStream)) * 1_000_000n + BigInt(i % 1000);
      values.push([ts.toString(), `level=${levels[i % 4]} app=app${s % 5} msg="request ${i}" duration=${(i * 7) % 500}ms`]);
    }
    const body = JSON.stringify({ streams: [{ stream: { app: `app${s % 5}`, pod: `pod-${s}` }, values }] });
    await must('/loki/api/v1/push', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }, 204);
  }
}

function group() {
  const rules = [];
  for (let i = 0; i < RULES; i++) {
    const app = `app${i % 5}`;
    if (i % 2 === 0) {
      rules.push(`  - alert: Errors${i}\n    expr: 'sum by (pod) (count_over_time({app="${app}"} |= "level=error" [5m])) > ${i}'\n    labels:\n      severity: page\n    annotations:\n      summary: '{{ $labels.pod }}: {{ $value }}'`);
    } else {
      rules.push(`  - record: bench:lines:rate5m_${i}\n    expr: 'sum by (pod) (rate({app="${app}"} | logfmt | duration > 100ms [5m]))'`);
    }
  }
  return `name: bench\nrules:\n${rules.join('\n')}\n`;
}

async function rulesState() {
  const r = await must('/prometheus/api/v1/rules?file=' + encodeURIComponent(NS), {}, 200);
  return JSON.parse(r.text).data.groups[0];
}

async function metrics() {
  return parseMetrics((await must('/metrics', {}, 200)).text);
}

const quantile = (xs, q) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

await pushLines();
await must(`/loki/api/v1/rules/${NS}`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: group() }, 202);
let seen = '0001-01-01T00:00:00Z';
let evaluations = 0;
let before;
const groupSeconds = [];
let last;
const deadline = Date.now() + Number(opts['timeout-seconds']) * 1000;
while (evaluations <= EVALUATIONS) {
  if (Date.now() > deadline) throw new Error('timed out waiting for evaluations');
  const g = await rulesState();
  if (g && g.lastEvaluation !== seen && g.rules.every((r) => r.lastEvaluation !== '0001-01-01T00:00:00Z')) {
    seen = g.lastEvaluation;
    // The first evaluation warms the object; the meters count from there.
    if (evaluations === 0) before = await metrics();
    else groupSeconds.push(g.evaluationTime);
    last = g;
    evaluations++;
  }
  await new Promise((r) => setTimeout(r, 100));
}
const after = await metrics();
await must(`/loki/api/v1/rules/${NS}`, { method: 'DELETE' }, 202);

const perRule = last.rules.map((r) => r.evaluationTime * 1000);
const alerting = last.rules.filter((r) => r.type === 'alerting').map((r) => r.evaluationTime * 1000);
const recording = last.rules.filter((r) => r.type === 'recording').map((r) => r.evaluationTime * 1000);
const evaluated = (after.prometheus_rule_evaluations_total ?? 0) - (before.prometheus_rule_evaluations_total ?? 0);
const groupMs = (quantile(groupSeconds, 0.5) ?? 0) * 1000;
const delta = (name) => ((after[name] ?? 0) - (before[name] ?? 0)) / Math.max(1, evaluated);
const report = {
  rules: RULES,
  lines: LINES,
  streams: STREAMS,
  errors: last.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`),
  perRuleMs: { median: quantile(perRule, 0.5), p90: quantile(perRule, 0.9), max: Math.max(...perRule) },
  alertingMedianMs: quantile(alerting, 0.5),
  recordingMedianMs: quantile(recording, 0.5),
  groupMedianMs: groupMs,
  rulesPerMinutePerObject: groupMs > 0 ? Math.floor((RULES * 60_000) / groupMs) : null,
  rulesEvaluatedMeasured: evaluated,
  perEvaluatedRule: {
    doRowsWritten: delta('edgeloki_do_rows_written_total'),
    doRowsRead: delta('edgeloki_do_rows_read_total'),
    doRequests: delta('edgeloki_do_requests_total'),
    d1RowsRead: delta('edgeloki_d1_rows_read_total'),
    d1Queries: delta('edgeloki_d1_queries_total'),
    r2ClassB: delta('edgeloki_r2_class_b_operations_total'),
  },
};
console.log(JSON.stringify(report, null, 2));
