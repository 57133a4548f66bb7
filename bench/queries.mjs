/**
 * The fixed query set and how one query is timed. Log queries go to `query_range` with
 * `limit=1000`; metric queries to `query_range` with `step=60s`; both over the corpus' whole time
 * range. The result size is entries for streams, series and points for matrices. Bytes scanned come
 * from `data.stats.summary.totalBytesProcessed` when the server reports it, else from the raw bytes
 * of the corpus streams the selector matches (an upper bound, marked as an estimate).
 */
import { qs, request } from './http.mjs';

/**
 * @typedef {import('./http.mjs').Target} Target
 * @typedef {{ name: string, query: string, kind: 'log' | 'metric',
 *   matches: (labels: Record<string, string>) => boolean }} QueryDef
 * @typedef {{ ok: boolean, status: number, ms: number, entries: number, series: number,
 *   points: number, bytesProcessed: number | null, error?: string }} QueryRun
 */

const B = 'bench="1"';
const PATTERN = '"<_> - - <_> \\"<method> <path> <_>\\" <status> <_>"';

/** @type {QueryDef[]} */
export const QUERIES = [
  { name: 'selector-limit-1000', kind: 'log', query: `{${B}, env="prod"}`, matches: (l) => l.env === 'prod' },
  { name: 'line-filter-error', kind: 'log', query: `{${B}, env=~".+"} |= "error"`, matches: () => true },
  { name: 'line-filter-regex', kind: 'log', query: `{${B}, env=~".+"} |~ "(timeout|deadlock|refused)"`, matches: () => true },
  { name: 'json-status-5xx', kind: 'log', query: `{${B}, service_name="api"} | json | status >= 500`, matches: (l) => l.service_name === 'api' },
  { name: 'logfmt-level-error', kind: 'log', query: `{${B}, namespace="data"} | logfmt | level="error"`, matches: (l) => l.namespace === 'data' },
  { name: 'count-by-service-1m', kind: 'metric', query: `sum by (service_name) (count_over_time({${B}, env="prod"}[1m]))`, matches: (l) => l.env === 'prod' },
  { name: 'error-rate-by-cluster', kind: 'metric', query: `sum(rate({${B}, env="prod"} |= "error" [5m])) by (cluster)`, matches: (l) => l.env === 'prod' },
  { name: 'p99-latency-unwrap', kind: 'metric', query: `quantile_over_time(0.99, {${B}, service_name="api"} | json | unwrap latency_ms [5m]) by (cluster)`, matches: (l) => l.service_name === 'api' },
  { name: 'topk-paths-pattern', kind: 'metric', query: `topk(5, sum by (path) (count_over_time({${B}, service_name="web"} | pattern ${PATTERN} [5m])))`, matches: (l) => l.service_name === 'web' },
  { name: 'logfmt-regex-rate', kind: 'metric', query: `sum by (level) (rate({${B}, service_name="auth"} |~ "level=(warn|error)" | logfmt [5m]))`, matches: (l) => l.service_name === 'auth' },
];

/**
 * Runs one query once.
 * @param {Target} t @param {QueryDef} q
 * @param {{ startNs: string, endNs: string, timeoutMs: number }} range
 * @returns {Promise<QueryRun>}
 */
export async function runQuery(t, q, range) {
  /** @type {Record<string, string | number>} */
  const params = { query: q.query, start: range.startNs, end: range.endNs };
  if (q.kind === 'log') Object.assign(params, { limit: 1000, direction: 'backward' });
  else params.step = '60s';
  const res = await request(t, `/loki/api/v1/query_range?${qs(params)}`, { timeoutMs: range.timeoutMs });
  const out = { ok: false, status: res.status, ms: res.ms, entries: 0, series: 0, points: 0, bytesProcessed: /** @type {number | null} */ (null) };
  if (res.status !== 200) return { ...out, error: (res.error ?? res.text).slice(0, 300) };
  try {
    const body = /** @type {{ data?: { resultType?: string, result?: unknown[],
      stats?: { summary?: { totalBytesProcessed?: number } } } }} */ (JSON.parse(res.text));
    const result = body.data?.result ?? [];
    for (const r of result) {
      const item = /** @type {{ values?: unknown[], value?: unknown }} */ (r);
      out.series++;
      if (body.data?.resultType === 'streams') out.entries += item.values?.length ?? 0;
      else out.points += item.values?.length ?? (item.value ? 1 : 0);
    }
    const bytes = body.data?.stats?.summary?.totalBytesProcessed;
    out.bytesProcessed = typeof bytes === 'number' ? bytes : null;
    out.ok = true;
    return out;
  } catch (err) {
    return { ...out, error: `bad JSON: ${String(err).slice(0, 200)}` };
  }
}

/**
 * Polls an instant count of this run's lines until it reaches `expected` or the time is up.
 * @param {Target} t
 * @param {{ selector: string, rangeSec: number, timeNs: string, expected: number,
 *   timeoutMs: number, requestTimeoutMs: number, log: (s: string) => void }} o
 * @returns {Promise<{ reached: boolean, seconds: number, seen: number, polls: number }>}
 */
export async function waitQueryable(t, o) {
  const started = performance.now();
  const query = `sum(count_over_time(${o.selector}[${o.rangeSec}s]))`;
  let seen = 0;
  let polls = 0;
  let lastLog = started;
  for (;;) {
    polls++;
    const res = await request(t, `/loki/api/v1/query?${qs({ query, time: o.timeNs })}`, { timeoutMs: o.requestTimeoutMs });
    if (res.status === 200) {
      try {
        const body = /** @type {{ data?: { result?: Array<{ value?: [number, string] }> } }} */ (JSON.parse(res.text));
        seen = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
      } catch {
        seen = 0;
      }
    }
    const elapsed = performance.now() - started;
    if (seen >= o.expected) return { reached: true, seconds: elapsed / 1000, seen, polls };
    if (elapsed > o.timeoutMs) return { reached: false, seconds: elapsed / 1000, seen, polls };
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      o.log(`  waiting: ${seen} of ${o.expected} lines queryable (status ${res.status})`);
    }
    await new Promise((r) => setTimeout(r, polls < 20 ? 100 : 500));
  }
}
