/**
 * The query phase: every query of the set runs once to warm up and then `repeat` times against
 * each server, the servers taking turns (which goes first alternates), with the meters and the
 * server CPU read around each query's block so they can be priced per execution.
 */
import { runQuery } from './queries.mjs';
import { bill, counterResets, meterDelta, readMetrics } from './meters.mjs';
import { median } from './http.mjs';

/**
 * @typedef {import('./queries.mjs').QueryDef} QueryDef
 * @typedef {import('./queries.mjs').QueryRun} QueryRun
 * @typedef {{ name: string, query: string, kind: string, runsMs: number[], medianMs: number,
 *   minMs: number, entries: number, series: number, points: number, resultText: string,
 *   scannedMB: number | null, scannedEstimated: boolean, mbPerSec: number | null,
 *   errors: Record<string, number>, errorSample?: string, cpuMsPerQuery: number | null,
 *   selectedMB: number | null, cpuSecPerGB: number | null,
 *   meters: Record<string, number | null>, costPer1k: number | null }} QueryReport
 */

/**
 * @param {{ targets: import('./http.mjs').Target[],
 *   samplers: Array<ReturnType<typeof import('./proc.mjs').createSampler> | null>,
 *   queries: QueryDef[], repeat: number,
 *   range: { startNs: string, endNs: string, timeoutMs: number },
 *   estimate: (q: QueryDef) => number | null, log: (s: string) => void }} o
 * @returns {Promise<Array<{ queries: QueryReport[], warnings: string[] }>>} one per target
 */
export async function runQueryPhase(o) {
  const out = o.targets.map(() => ({ queries: /** @type {QueryReport[]} */ ([]), warnings: /** @type {string[]} */ ([]) }));
  for (const q of o.queries) {
    o.log(`query ${q.name}`);
    const acc = o.targets.map(() => ({ runs: /** @type {QueryRun[]} */ ([]), errors: /** @type {Record<string, number>} */ ({}), sample: /** @type {string | undefined} */ (undefined) }));
    const before = await Promise.all(o.targets.map((t) => readMetrics(t)));
    const phases = o.samplers.map((s) => s?.phase());
    for (let rep = 0; rep <= o.repeat; rep++) {
      // Alternate which server goes first, so neither always runs on a warmer machine.
      const order = o.targets.map((_, i) => i);
      if (rep % 2 === 1) order.reverse();
      for (const i of order) {
        const r = await runQuery(o.targets[i], q, o.range);
        if (!r.ok) {
          const key = r.status === 0 ? 'network' : String(r.status);
          acc[i].errors[key] = (acc[i].errors[key] ?? 0) + 1;
          acc[i].sample ??= `${key}: ${r.error ?? ''}`;
        }
        if (rep > 0) acc[i].runs.push(r);
      }
    }
    const after = await Promise.all(o.targets.map((t) => readMetrics(t)));
    o.targets.forEach((_, i) => {
      const end = phases[i];
      const cpuMs = end ? end().cpuMs / (o.repeat + 1) : null;
      const resets = counterResets(before[i], after[i]);
      if (resets.length) out[i].warnings.push(`query ${q.name}: counters went down (server restarted?), deltas undercount: ${resets.join(', ')}`);
      out[i].queries.push(summarize(q, acc[i], meterDelta(before[i], after[i]), o.repeat + 1, cpuMs, after[i] !== null, o.estimate));
    });
  }
  return out;
}

/**
 * @param {QueryDef} q
 * @param {{ runs: QueryRun[], errors: Record<string, number>, sample: string | undefined }} acc
 * @param {Record<string, number | null>} meters deltas over all executions
 * @param {number} executions warm-up included
 * @param {number | null} cpuMs server CPU per execution
 * @param {boolean} hasMetrics
 * @param {(q: QueryDef) => number | null} estimate
 * @returns {QueryReport}
 */
function summarize(q, acc, meters, executions, cpuMs, hasMetrics, estimate) {
  const ok = acc.runs.filter((r) => r.ok);
  const ms = ok.map((r) => r.ms);
  const last = ok[ok.length - 1];
  /** @type {number[]} */
  const reported = [];
  for (const r of ok) if (r.bytesProcessed !== null) reported.push(r.bytesProcessed);
  let scanned = reported.length ? median(reported) : null;
  const estimated = scanned === null;
  // The corpus bytes the selector matches: the same for every server, so CPU per GB compares.
  const selected = estimate(q);
  if (scanned === null) scanned = selected;
  const medianMs = median(ms);
  /** @type {Record<string, number | null>} */
  const perQuery = {};
  for (const [k, v] of Object.entries(meters)) perQuery[k] = v === null ? null : v / executions;
  const cost = hasMetrics || cpuMs !== null ? bill(perQuery, cpuMs).total : null;
  return {
    name: q.name, query: q.query, kind: q.kind, runsMs: ms, medianMs, minMs: ms.length ? Math.min(...ms) : NaN,
    entries: last?.entries ?? 0, series: last?.series ?? 0, points: last?.points ?? 0,
    resultText: !last ? 'n/a' : q.kind === 'log' ? `${last.entries} entries` : `${last.series} series × ${last.series ? Math.round(last.points / last.series) : 0}`,
    scannedMB: scanned === null ? null : scanned / 1e6, scannedEstimated: estimated && scanned !== null,
    mbPerSec: scanned === null || !ms.length ? null : scanned / 1e6 / (medianMs / 1000),
    errors: acc.errors, errorSample: acc.sample, cpuMsPerQuery: cpuMs,
    selectedMB: selected === null ? null : selected / 1e6,
    cpuSecPerGB: cpuMs === null || !selected ? null : cpuMs / 1000 / (selected / 1e9),
    meters: perQuery, costPer1k: cost === null ? null : cost * 1000,
  };
}
