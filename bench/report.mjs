/**
 * Readable tables of the figures: ingest per encoding, time to queryable, storage, server CPU and
 * memory, the bill per GB, each query's latency and size, and with two servers the ratios
 * (first / second). Missing figures print as "n/a".
 */

/** @param {unknown} v @param {number} [digits] @returns {string} */
export function fmt(v, digits = 1) {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'n/a';
  if (typeof v !== 'number') return String(v);
  if (Math.abs(v) >= 1e6 && Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** @param {number | null | undefined} v @returns {string} dollars with enough digits to be read */
export function dollars(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v === 0) return '$0';
  const digits = Math.max(2, Math.min(9, 2 - Math.floor(Math.log10(Math.abs(v)))));
  return `$${v.toFixed(digits)}`;
}

/**
 * @param {string[]} head @param {string[][]} rows @param {boolean[]} [right] right-aligned columns
 * @returns {string}
 */
export function table(head, rows, right = []) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  /** @param {string[]} r */
  const line = (r) => r.map((c, i) => (right[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** @param {Record<string, number>} errors @returns {string} */
function errorText(errors) {
  const parts = Object.entries(errors).map(([k, v]) => `${k}×${v}`);
  return parts.length ? parts.join(' ') : '0';
}

/** @param {import('./run.mjs').IngestReport} i @returns {number | null} server CPU seconds per GB of accepted line text */
function ingestCpuPerGB(i) {
  return i.server && i.acceptedRawBytes ? i.server.cpuMs / 1000 / (i.acceptedRawBytes / 1e9) : null;
}

/**
 * Server CPU seconds per GB of line text: over the whole ingest, and over the query phase with
 * each query weighted by the corpus bytes its selector matches.
 * @param {import('./run.mjs').TargetReport} r
 * @returns {{ ingest: number | null, queries: number | null }}
 */
export function cpuPerGB(r) {
  const raw = r.ingest.reduce((s, i) => s + i.acceptedRawBytes, 0);
  const ingest = r.ingestCpuMs !== null && r.ingestCpuMs !== undefined && raw ? r.ingestCpuMs / 1000 / (raw / 1e9) : null;
  let cpuMs = 0;
  let mb = 0;
  for (const q of r.queries) {
    if (q.cpuMsPerQuery === null || q.selectedMB === null) return { ingest, queries: null };
    cpuMs += q.cpuMsPerQuery;
    mb += q.selectedMB;
  }
  return { ingest, queries: mb > 0 ? cpuMs / 1000 / (mb / 1e3) : null };
}

/**
 * @param {import('./run.mjs').TargetReport} r
 * @returns {string}
 */
export function formatTarget(r) {
  const out = [`\n=== ${r.url} ===`];
  if (r.process) out.push(`server processes: ${r.process.comms.join(', ')}` + (r.process.pids.length > r.process.comms.length ? ` (${r.process.pids.length} measured over the run)` : ''));
  else out.push('server processes: n/a (not local, or no --pid)');
  if (r.ingest.length) {
    out.push('', 'Ingest');
    out.push(table(
      ['encoding', 'lines', 'requests', 'seconds', 'lines/s', 'MB/s text', 'MB bodies', 'p50 ms', 'p99 ms', 'errors', 'retried', 'server CPU s', 'CPU s/GB', 'peak RSS MB', 'bench CPU s'],
      r.ingest.map((i) => [i.encoding, fmt(i.acceptedLines, 0) + (i.acceptedLines < i.lines ? ` of ${fmt(i.lines, 0)}` : ''), String(i.requests), fmt(i.seconds, 2), fmt(i.linesPerSec, 0), fmt(i.rawMBPerSec, 1), fmt(i.bodyMB, 1), fmt(i.p50ms, 0), fmt(i.p99ms, 0), errorText(i.errors), errorText(i.retries ?? {}), fmt(i.server?.cpuMs === undefined ? null : i.server.cpuMs / 1000, 2), fmt(ingestCpuPerGB(i), 1), fmt(i.server?.peakRssMB, 0), fmt(i.clientCpuMs / 1000, 2)]),
      [false, true, true, true, true, true, true, true, true, false, false, true, true, true, true],
    ));
    for (const i of r.ingest) for (const s of i.errorSamples) out.push(`  ${i.encoding} error: ${s}`);
    if (r.flush) out.push(`flush: status ${r.flush.status} in ${fmt(r.flush.ms, 0)} ms`);
    if (r.queryable) {
      const q = r.queryable;
      out.push(q.reached ? `queryable: all ${fmt(q.expected, 0)} lines counted ${fmt(q.seconds, 2)} s after the last push was acknowledged`
        : `queryable: NOT reached, ${fmt(q.seen, 0)} of ${fmt(q.expected, 0)} lines counted after ${fmt(q.seconds, 1)} s`);
    }
  }
  const cpu = cpuPerGB(r);
  if (cpu.ingest !== null || cpu.queries !== null) {
    out.push(`server CPU s per GB of line text: ingest ${fmt(cpu.ingest, 1)} (pushes, flush and the wait until countable), queries ${fmt(cpu.queries, 1)} (all queries, per GB their selectors match)`);
  }
  if (r.storage) {
    const s = r.storage;
    out.push(`stored bytes (${s.dir}): ${fmt(s.beforeBytes, 0)} -> ${fmt(s.afterBytes, 0)} after ingest, +${fmt(s.addedBytes, 0)} = ${fmt(s.perRawByte, 3)} per raw byte`
      + (s.endBytes === undefined ? '' : `; ${fmt(s.endBytes, 0)} at the end = ${fmt(s.endPerRawByte, 3)} per raw byte`));
  }
  if (r.chunkStorage) {
    out.push(`chunk bytes in R2 (edgeloki_r2_bytes_stored): +${fmt(r.chunkStorage.bytes, 0)} = ${fmt(r.chunkStorage.perRawByte, 3)} per raw byte`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  if (r.memory) out.push(`server memory: peak RSS ${fmt(r.memory.peakRssMB, 0)} MB (sampled, all processes), largest VmHWM of one process ${fmt(r.memory.vmHwmMB, 0)} MB`);
  if (r.memory?.isolateHeapPeakMB !== undefined) out.push(`Worker isolate JS heap: peak ${fmt(r.memory.isolateHeapPeakMB, 0)} MB used (inspector samples; every local object shares it)`);
  if (r.memory?.ingesterPeakMB !== undefined) out.push(`largest ingester object: ${fmt(r.memory.ingesterPeakMB, 1)} MB of line bytes held at once (edgeloki_ingester_memory_peak_bytes)`);
  if (r.cost) {
    const c = r.cost;
    out.push('', `Bill per GB of line text ingested (Cloudflare list prices; CPU = measured server CPU)`);
    out.push(table(['meter', 'used in ingest', '$/GB'], Object.entries(c.perGB).map(([k, v]) => [k, fmt(c.usage[k], 0), dollars(v)]), [false, true, true]));
    out.push(`total ${dollars(c.totalPerGB)}/GB vs Grafana Cloud Logs ${dollars(c.grafanaCloudPerGB)}/GB (${fmt(c.ratioToGrafanaCloud * 100, 1)} %)` + (c.missing.length ? `; not measured: ${c.missing.join(', ')}` : ''));
  }
  if (r.queries.length) {
    out.push('', 'Queries');
    out.push(table(
      ['name', 'median ms', 'min ms', 'result', 'MB scanned', 'MB/s', 'errors', 'server CPU ms', 'CPU s/GB', '$/1k queries'],
      r.queries.map((q) => [q.name, fmt(q.medianMs, 0), fmt(q.minMs, 0), q.resultText, fmt(q.scannedMB, 1) + (q.scannedEstimated ? '~' : ''), fmt(q.mbPerSec, 0), errorText(q.errors), fmt(q.cpuMsPerQuery, 0), fmt(q.cpuSecPerGB, 1), dollars(q.costPer1k)]),
      [false, true, true, false, true, true, false, true, true, true],
    ));
    out.push('(CPU s/GB: server CPU per GB of corpus line text in the streams the selector matches, the same bytes for every server)');
    for (const q of r.queries) if (q.errorSample) out.push(`  ${q.name} error: ${q.errorSample}`);
    if (r.queries.some((q) => q.scannedEstimated)) out.push('(~ = the server reports no stats: raw bytes of the corpus streams the selector matches, an upper bound)');
  }
  return out.join('\n');
}

/**
 * @param {import('./run.mjs').TargetReport} a @param {import('./run.mjs').TargetReport} b
 * @returns {{ text: string, ratios: Record<string, number | null> }}
 */
export function formatCompare(a, b) {
  /** @type {Record<string, number | null>} */
  const ratios = {};
  /** @param {number | null | undefined} x @param {number | null | undefined} y */
  const ratio = (x, y) => (x === null || x === undefined || y === null || y === undefined || y === 0 ? null : x / y);
  /** @type {string[][]} */
  const rows = [];
  for (const ia of a.ingest) {
    const ib = b.ingest.find((i) => i.encoding === ia.encoding);
    if (!ib) continue;
    for (const [k, label] of /** @type {const} */ ([['linesPerSec', 'lines/s'], ['p50ms', 'p50 ms'], ['p99ms', 'p99 ms']])) {
      const key = `ingest.${ia.encoding}.${k}`;
      ratios[key] = ratio(ia[k], ib[k]);
      rows.push([`ingest ${ia.encoding} ${label}`, fmt(ia[k], 0), fmt(ib[k], 0), fmt(ratios[key], 2)]);
    }
  }
  ratios['queryable.seconds'] = ratio(a.queryable?.seconds, b.queryable?.seconds);
  rows.push(['time to queryable s', fmt(a.queryable?.seconds, 2), fmt(b.queryable?.seconds, 2), fmt(ratios['queryable.seconds'], 2)]);
  ratios['storage.perRawByte'] = ratio(a.storage?.perRawByte, b.storage?.perRawByte);
  rows.push(['stored per raw byte', fmt(a.storage?.perRawByte, 3), fmt(b.storage?.perRawByte, 3), fmt(ratios['storage.perRawByte'], 2)]);
  ratios['memory.peakRssMB'] = ratio(a.memory?.peakRssMB, b.memory?.peakRssMB);
  rows.push(['peak RSS MB', fmt(a.memory?.peakRssMB, 0), fmt(b.memory?.peakRssMB, 0), fmt(ratios['memory.peakRssMB'], 2)]);
  const ca = cpuPerGB(a);
  const cb = cpuPerGB(b);
  for (const k of /** @type {const} */ (['ingest', 'queries'])) {
    ratios[`cpuSecPerGB.${k}`] = ratio(ca[k], cb[k]);
    rows.push([`server CPU s/GB, ${k}`, fmt(ca[k], 1), fmt(cb[k], 1), fmt(ratios[`cpuSecPerGB.${k}`], 2)]);
  }
  for (const qa of a.queries) {
    const qb = b.queries.find((q) => q.name === qa.name);
    if (!qb) continue;
    const key = `query.${qa.name}.medianMs`;
    ratios[key] = ratio(qa.medianMs, qb.medianMs);
    rows.push([`${qa.name} median ms`, fmt(qa.medianMs, 0), fmt(qb.medianMs, 0), fmt(ratios[key], 2)]);
    if (qa.resultText !== qb.resultText) rows.push([`  result differs`, qa.resultText, qb.resultText, '']);
  }
  const text = `\n=== ${a.url} / ${b.url} ===\n` + table(['figure', 'first', 'second', 'first/second'], rows, [false, true, true, true]);
  return { text, ratios };
}
