/**
 * Cloudflare meters and the bill. The server's Prometheus `/metrics` is read before and after each
 * phase; every counter is summed over its label sets, and the difference is what the phase used.
 * Prices are Cloudflare's list prices (Workers Paid plan) as in design.md; locally, CPU time of
 * the server processes stands in for billed Worker CPU. Counters the server does not expose stay
 * null and print as "n/a"; a bill that misses a meter says so.
 */
import { request } from './http.mjs';

/** @typedef {Record<string, number>} MetricSnapshot summed value per metric name */

/** Meter name -> price in dollars per unit (null: shown, not billed). */
export const METERS = /** @type {Record<string, number | null>} */ ({
  edgeloki_worker_requests_total: 0.3 / 1e6,
  edgeloki_do_requests_total: 0.15 / 1e6,
  edgeloki_do_rows_written_total: 1 / 1e6,
  edgeloki_do_rows_read_total: 0.001 / 1e6,
  edgeloki_d1_rows_written_total: 1 / 1e6,
  edgeloki_d1_rows_read_total: 0.001 / 1e6,
  edgeloki_d1_queries_total: null,
  edgeloki_r2_class_a_operations_total: 4.5 / 1e6,
  edgeloki_r2_class_b_operations_total: 0.36 / 1e6,
  loki_distributor_lines_received_total: null,
  loki_distributor_bytes_received_total: null,
});
/** Gauge: the most line bytes any one ingester object held in memory at once. */
export const INGESTER_MEMORY_PEAK = 'edgeloki_ingester_memory_peak_bytes';
/** Gauge: bytes kept in R2 now. */
export const R2_STORED = 'edgeloki_r2_bytes_stored';
export const CPU_PRICE_PER_MS = 0.02 / 1e6;
export const R2_PRICE_PER_GB_MONTH = 0.015;
/** Grafana Cloud Logs list price per GB: $0.40 written + $0.05 processed, 30 days kept. */
export const GRAFANA_CLOUD_PER_GB = 0.45;

/**
 * Parses Prometheus text exposition, summing samples of the same name over their labels.
 * @param {string} text @returns {MetricSnapshot}
 */
export function parseMetrics(text) {
  /** @type {MetricSnapshot} */
  const out = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let i = 0;
    while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
    const name = line.slice(0, i);
    if (line[i] === '{') {
      let quoted = false;
      for (i++; i < line.length; i++) {
        const c = line[i];
        if (quoted && c === '\\') i++;
        else if (c === '"') quoted = !quoted;
        else if (c === '}' && !quoted) break;
      }
      i++;
    }
    const value = Number(line.slice(i).trim().split(/\s+/)[0]);
    if (!name || Number.isNaN(value)) continue;
    out[name] = (out[name] ?? 0) + value;
  }
  return out;
}

/**
 * @param {import('./http.mjs').Target} t
 * @returns {Promise<MetricSnapshot | null>} null when /metrics is not there
 */
export async function readMetrics(t) {
  const res = await request(t, '/metrics', { timeoutMs: 15000 });
  if (res.status !== 200) return null;
  return parseMetrics(res.text);
}

/**
 * Meter deltas between two snapshots (for the R2 gauge: bytes added); a meter missing after is
 * null; a counter that went down was reset, and counts from zero.
 * @param {MetricSnapshot | null} before @param {MetricSnapshot | null} after
 * @returns {Record<string, number | null>}
 */
export function meterDelta(before, after) {
  /** @type {Record<string, number | null>} */
  const out = {};
  for (const name of [...Object.keys(METERS), R2_STORED]) {
    if (!after || !(name in after)) out[name] = null;
    else if (name !== R2_STORED && after[name] < (before?.[name] ?? 0)) out[name] = after[name];
    else out[name] = after[name] - (before?.[name] ?? 0);
  }
  return out;
}

/**
 * Counters that went down between two snapshots: the server restarted (or /metrics was answered
 * by another isolate), so their deltas count only what came after the reset.
 * @param {MetricSnapshot | null} before @param {MetricSnapshot | null} after @returns {string[]}
 */
export function counterResets(before, after) {
  if (!before || !after) return [];
  return Object.keys(METERS).filter((n) => n in before && n in after && after[n] < before[n]);
}

/**
 * Dollar cost of a phase from its meter deltas and server CPU ms.
 * @param {Record<string, number | null>} delta @param {number | null} cpuMs
 * @returns {{ items: Record<string, number | null>, total: number, missing: string[] }}
 */
export function bill(delta, cpuMs) {
  /** @type {Record<string, number | null>} */
  const items = {};
  /** @type {string[]} */
  const missing = [];
  let total = 0;
  for (const [name, price] of Object.entries(METERS)) {
    if (price === null) continue;
    const v = delta[name];
    if (v === null || v === undefined) {
      items[name] = null;
      missing.push(name);
    } else {
      items[name] = v * price;
      total += v * price;
    }
  }
  if (cpuMs === null) {
    items.cpu_ms = null;
    missing.push('cpu_ms');
  } else {
    items.cpu_ms = cpuMs * CPU_PRICE_PER_MS;
    total += cpuMs * CPU_PRICE_PER_MS;
  }
  return { items, total, missing };
}

/**
 * Cost per GB of raw line text ingested, with 30 days of R2 storage, next to Grafana Cloud.
 * @param {Record<string, number | null>} delta ingest-phase meters
 * @param {number | null} cpuMs ingest-phase server CPU
 * @param {number} rawBytes line bytes ingested
 */
export function costPerGB(delta, cpuMs, rawBytes) {
  const gb = rawBytes / 1e9;
  const b = bill(delta, cpuMs);
  const stored = delta[R2_STORED];
  const storagePerGB = stored === null || stored === undefined ? null : ((stored / 1e9) * R2_PRICE_PER_GB_MONTH) / gb;
  /** @type {Record<string, number | null>} */
  const perGB = {};
  for (const [k, v] of Object.entries(b.items)) perGB[k] = v === null ? null : v / gb;
  perGB.r2_storage_30d = storagePerGB;
  const total = b.total / gb + (storagePerGB ?? 0);
  return {
    perGB,
    totalPerGB: total,
    missing: storagePerGB === null ? [...b.missing, R2_STORED] : b.missing,
    grafanaCloudPerGB: GRAFANA_CLOUD_PER_GB,
    ratioToGrafanaCloud: total / GRAFANA_CLOUD_PER_GB,
  };
}
