/**
 * `npm run bench -- --url URL [options]`: pushes a deterministic corpus to a Loki-compatible
 * server as Loki JSON and as snappy protobuf, waits until it is all countable, runs a fixed query
 * set, and reports throughput, latency, time to queryable, stored bytes, server CPU and memory and
 * the Cloudflare bill per GB. With `--compare URL2` the same work runs against a second server,
 * queries alternating between the two, and ratios are printed. `--selftest` checks the harness.
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { createCorpus } from './corpus.mjs';
import { runIngest } from './ingest.mjs';
import { QUERIES, waitQueryable } from './queries.mjs';
import { runQueryPhase } from './query-phase.mjs';
import { createSampler, du, findListener, serverGroup } from './proc.mjs';
import { sampleIsolateHeap } from './isolate-heap.mjs';
import { INGESTER_MEMORY_PEAK, R2_STORED, costPerGB, counterResets, meterDelta, readMetrics } from './meters.mjs';
import { request } from './http.mjs';
import { utf8Length } from './encode.mjs';
import { formatCompare, formatTarget } from './report.mjs';

/**
 * @typedef {import('./ingest.mjs').IngestResult & { server: { cpuMs: number, peakRssMB: number } | null,
 *   meters: Record<string, number | null> }} IngestReport
 * @typedef {{ url: string, process: { pids: number[], comms: string[] } | null,
 *   ingest: IngestReport[], flush: { status: number, ms: number } | null,
 *   queryable: { reached: boolean, seconds: number, seen: number, expected: number, polls: number } | null,
 *   storage: { dir: string, beforeBytes: number, afterBytes: number, addedBytes: number,
 *     perRawByte: number | null, endBytes?: number, endPerRawByte?: number | null } | null,
 *   chunkStorage?: { bytes: number, perRawByte: number },
 *   memory: { peakRssMB: number, vmHwmMB: number, isolateHeapPeakMB?: number, ingesterPeakMB?: number } | null,
 *   cost: (ReturnType<typeof costPerGB> & { usage: Record<string, number | null> }) | null,
 *   ingestMeters: Record<string, number | null> | null, ingestCpuMs?: number | null, queries: import('./query-phase.mjs').QueryReport[], warnings: string[] }} TargetReport
 */

const HELP = `usage: npm run bench -- --url URL [options]
  --url URL            server to drive (edgeloki under wrangler dev, or Loki), e.g. http://127.0.0.1:3100
  --compare URL2       also drive a second server; queries alternate; prints URL/URL2 ratios
  --lines N            lines per encoding (default 20000; 10k to 5M)
  --encodings LIST     json,protobuf,otlp (default json,protobuf; each pushes its own streams;
                       otlp needs every resource attribute indexed, see bench/README.md)
  --concurrency C      concurrent push clients (default 4)
  --repeat R           timed runs per query after one warm-up (default 5)
  --seed S             corpus seed (default 1)
  --range D            time span of the corpus (default 6h)
  --end-offset D       corpus ends this long before now (default 10m)
  --end T              pin the corpus end (RFC3339 or Unix seconds); with --skip-ingest, the
                       range to query (default: now minus --end-offset)
  --batch-bytes N      max JSON body size of one push (default 1048576)
  --buffer-mb N        bodies built ahead of the clients (default 256)
  --tenant T           X-Scope-OrgID;  --token T  Authorization: Bearer T
  --flush              POST /flush after pushing
  --skip-ingest        only run the queries
  --queries LIST       only these query names (comma separated)
  --pid PIDS           server process ids (default: the process listening on the URL's port)
  --pid2 PIDS          the same for --compare
  --data-dir DIR       server data directory, measured before/after (e.g. .wrangler/state)
  --data-dir2 DIR      the same for --compare
  --wait-timeout S     max wait for all lines to be countable (default 120)
  --timeout S          per request timeout (default 60)
  --out FILE           write all figures as JSON
  --inspector WS       the Worker isolate's inspector (wrangler dev --inspector-port P:
                       ws://127.0.0.1:P/ws); reports its peak JS heap over the run
  --selftest           check corpus determinism and the encoders, then exit`;

/** @param {string} s @returns {number} milliseconds */
function parseDuration(s) {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  const unit = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
  let total = 0;
  let m;
  let pos = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[/** @type {keyof typeof unit} */ (m[2])];
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== s.length) throw new Error(`bad duration "${s}" (use e.g. 6h, 90m, 30s)`);
  return total;
}

/** @param {string} s @returns {number} Unix ms */
function parseTime(s) {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`bad time "${s}"`);
  return t;
}

/** @param {string | undefined} s @returns {number[] | null} */
function pidList(s) {
  if (!s) return null;
  return s.split(',').map((p) => Number(p.trim())).filter((p) => p > 0);
}

/** @param {string} url @param {number[] | null} pids */
function resolveProcess(url, pids) {
  if (pids && pids.length) return pids;
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(u.hostname)) return null;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const listener = findListener(port);
  return listener === null ? null : serverGroup(listener);
}

/** @param {string} s */
const log = (s) => process.stderr.write(s + '\n');

async function main() {
  const { values: a } = parseArgs({
    options: {
      url: { type: 'string' }, compare: { type: 'string' }, lines: { type: 'string', default: '20000' },
      encodings: { type: 'string', default: 'json,protobuf' }, concurrency: { type: 'string', default: '4' },
      repeat: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' },
      range: { type: 'string', default: '6h' }, 'end-offset': { type: 'string', default: '10m' },
      end: { type: 'string' }, 'batch-bytes': { type: 'string', default: '1048576' },
      'buffer-mb': { type: 'string', default: '256' }, tenant: { type: 'string' }, token: { type: 'string' },
      flush: { type: 'boolean', default: false }, 'skip-ingest': { type: 'boolean', default: false },
      queries: { type: 'string' }, pid: { type: 'string' }, pid2: { type: 'string' },
      'data-dir': { type: 'string' }, 'data-dir2': { type: 'string' },
      'wait-timeout': { type: 'string', default: '120' }, timeout: { type: 'string', default: '60' },
      out: { type: 'string' }, inspector: { type: 'string' }, selftest: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  if (a.help) return void console.log(HELP);
  if (a.selftest) {
    const { selftest } = await import('./selftest.mjs');
    process.exitCode = (await selftest()) ? 0 : 1;
    return;
  }
  if (!a.url) throw new Error(`--url is required\n${HELP}`);
  const lines = Number(a.lines);
  const concurrency = Number(a.concurrency);
  const repeat = Number(a.repeat);
  const seed = Number(a.seed);
  if (![lines, concurrency, repeat].every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(seed)) throw new Error('--lines, --concurrency, --repeat must be positive integers, --seed an integer');
  const encodings = /** @type {Array<'json' | 'protobuf' | 'otlp'>} */ (a.encodings.split(',').map((e) => e.trim()));
  for (const e of encodings) if (e !== 'json' && e !== 'protobuf' && e !== 'otlp') throw new Error(`unknown encoding "${e}"`);
  const rangeMs = parseDuration(a.range);
  const endMs = a.end ? parseTime(a.end) : Date.now() - parseDuration(a['end-offset']);
  const startMs = endMs - rangeMs;
  const runId = Math.floor(Date.now() / 1000).toString(36);
  const timeoutMs = Number(a.timeout) * 1000;
  const wanted = a.queries ? a.queries.split(',').map((n) => n.trim()) : QUERIES.map((q) => q.name);
  const unknown = wanted.filter((n) => !QUERIES.some((q) => q.name === n));
  if (unknown.length) throw new Error(`unknown query ${unknown.join(', ')}; known: ${QUERIES.map((q) => q.name).join(', ')}`);
  const queries = QUERIES.filter((q) => wanted.includes(q.name));
  const targets = [a.url, ...(a.compare ? [a.compare] : [])].map((url, i) => ({
    target: { url, tenant: a.tenant, token: a.token },
    pids: resolveProcess(url, pidList(i === 0 ? a.pid : a.pid2)),
    refresh: pidList(i === 0 ? a.pid : a.pid2) ? null : () => resolveProcess(url, null),
    dataDir: i === 0 ? a['data-dir'] : a['data-dir2'],
  }));
  log(`corpus: seed ${seed}, ${lines} lines per encoding (${encodings.join(', ')}), ${new Date(startMs).toISOString()} .. ${new Date(endMs).toISOString()}, run ${runId}`);

  const heap = a.inspector ? await sampleIsolateHeap(a.inspector) : null;
  /** @type {TargetReport[]} */
  const reports = [];
  /** @type {Array<ReturnType<typeof createSampler> | null>} */
  const samplers = [];
  /** @type {Map<string, number>} raw bytes per stream (labels as JSON), over every encoding pushed */
  const streamBytes = new Map();
  /** @type {Map<string, Record<string, string>>} */
  const streamLabels = new Map();

  for (const t of targets) {
    const ready = await waitReady(t.target);
    if (ready === 0) throw new Error(`${t.target.url} does not answer (GET /ready failed for 30 s)`);
    if (ready !== 200) log(`warning: ${t.target.url}/ready answers ${ready}; going on`);
    const sampler = t.pids && t.pids.length ? createSampler(t.pids, t.refresh) : null;
    samplers.push(sampler);
    if (sampler) log(`${t.target.url}: measuring processes ${sampler.comms.join(', ')}`);
    /** @type {TargetReport} */
    const rep = { url: t.target.url, process: sampler ? { pids: sampler.pids, comms: sampler.comms } : null, ingest: [], flush: null, queryable: null, storage: null, memory: null, cost: null, ingestMeters: null, queries: [], warnings: [] };
    reports.push(rep);
    if (a['skip-ingest']) continue;
    const duBefore = t.dataDir ? du(t.dataDir) : null;
    const metersStart = await readMetrics(t.target);
    const ingestPhase = sampler?.phase();
    let lastAck = 0;
    for (const encoding of encodings) {
      const extraLabels = { bench: '1', bench_encoding: encoding, bench_run: runId };
      const corpus = createCorpus({ seed, lines, startMs, endMs, extraLabels });
      const before = await readMetrics(t.target);
      const phase = sampler?.phase();
      log(`${t.target.url}: pushing ${lines} lines as ${encoding} with ${concurrency} clients`);
      const res = await runIngest({ target: t.target, corpus, encoding, concurrency, batchBytes: Number(a['batch-bytes']), bufferBytes: Number(a['buffer-mb']) * 1e6, timeoutMs, log, streamBytes: reports.length === 1 ? streamBytes : undefined });
      const server = phase ? phase() : null;
      const after = await readMetrics(t.target);
      rep.ingest.push({ ...res, server, meters: meterDelta(before, after) });
      noteResets(rep, `${encoding} push`, before, after);
      lastAck = res.endedAt;
      for (const d of corpus.streams) streamLabels.set(JSON.stringify(d.labels), d.labels);
    }
    if (a.flush) {
      const f = await request(t.target, '/flush', { method: 'POST', timeoutMs: 300000 });
      rep.flush = { status: f.status, ms: f.ms };
    }
    const expected = rep.ingest.reduce((s, i) => s + i.acceptedLines, 0);
    if (expected === 0) {
      log(`${t.target.url}: no push was accepted; skipping the wait and the bill`);
      continue;
    }
    const wait = await waitQueryable(t.target, { selector: `{bench="1", bench_run="${runId}"}`, rangeSec: Math.ceil(rangeMs / 1000) + 2, timeNs: `${endMs + 1000}000000`, expected, timeoutMs: Number(a['wait-timeout']) * 1000, requestTimeoutMs: timeoutMs, log });
    rep.queryable = { ...wait, expected, seconds: (performance.timeOrigin + performance.now() - lastAck) / 1000 };
    const ingestServer = ingestPhase ? ingestPhase() : null;
    rep.ingestCpuMs = ingestServer ? ingestServer.cpuMs : null;
    const metersEnd = await readMetrics(t.target);
    rep.ingestMeters = meterDelta(metersStart, metersEnd);
    noteResets(rep, 'ingest', metersStart, metersEnd);
    const raw = rep.ingest.reduce((s, i) => s + i.acceptedRawBytes, 0);
    if (metersEnd || ingestServer) {
      rep.cost = { ...costPerGB(rep.ingestMeters, ingestServer ? ingestServer.cpuMs : null, raw), usage: { ...rep.ingestMeters, cpu_ms: ingestServer ? ingestServer.cpuMs : null, r2_storage_30d: rep.ingestMeters[R2_STORED] } };
    }
    const r2Added = rep.ingestMeters?.[R2_STORED];
    if (typeof r2Added === 'number' && raw) rep.chunkStorage = { bytes: r2Added, perRawByte: r2Added / raw };
    const duAfter = t.dataDir ? du(t.dataDir) : null;
    if (t.dataDir && duAfter) {
      const before = duBefore?.bytes ?? 0;
      rep.storage = { dir: t.dataDir, beforeBytes: before, afterBytes: duAfter.bytes, addedBytes: duAfter.bytes - before, perRawByte: raw ? (duAfter.bytes - before) / raw : null };
    }
  }

  if (!streamBytes.size) corpusStreamBytes({ seed, lines, startMs, endMs, encodings }, streamBytes, streamLabels);
  const range = { startNs: `${startMs}000000`, endNs: `${endMs + 1000}000000`, timeoutMs };
  /** @type {(q: import('./queries.mjs').QueryDef) => number | null} */
  const estimate = (q) => {
    if (!streamBytes.size) return null;
    let bytes = 0;
    for (const [k, b] of streamBytes) if (q.matches(/** @type {Record<string, string>} */ (streamLabels.get(k)))) bytes += b;
    return bytes;
  };
  const results = await runQueryPhase({ targets: targets.map((t) => t.target), samplers, queries, repeat, range, estimate, log });
  results.forEach((r, i) => {
    reports[i].queries = r.queries;
    reports[i].warnings.push(...r.warnings);
  });

  targets.forEach((t, i) => {
    const st = reports[i].storage;
    const end = t.dataDir && st ? du(t.dataDir) : null;
    if (st && end) {
      const raw = reports[i].ingest.reduce((sum, x) => sum + x.acceptedRawBytes, 0);
      st.endBytes = end.bytes;
      st.endPerRawByte = raw ? (end.bytes - st.beforeBytes) / raw : null;
    }
  });
  const finalMeters = await Promise.all(targets.map((t) => readMetrics(t.target)));
  heap?.stop();
  samplers.forEach((s, i) => {
    if (!s) return;
    const memory = { ...s.peaks() };
    if (i === 0 && heap) memory.isolateHeapPeakMB = heap.peakUsedMB();
    const ingesterPeak = finalMeters[i]?.[INGESTER_MEMORY_PEAK];
    if (typeof ingesterPeak === 'number') memory.ingesterPeakMB = ingesterPeak / 1e6;
    reports[i].memory = memory;
    reports[i].process = { pids: s.pids, comms: s.comms };
    s.stop();
  });
  for (const r of reports) console.log(formatTarget(r));
  /** @type {Record<string, number | null> | null} */
  let ratios = null;
  if (reports.length === 2) {
    const c = formatCompare(reports[0], reports[1]);
    console.log(c.text);
    ratios = c.ratios;
  }
  if (a.out) {
    const doc = { generatedAt: new Date().toISOString(), options: a, corpus: { seed, linesPerEncoding: lines, encodings, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), runId }, targets: reports, ratios };
    writeFileSync(a.out, JSON.stringify(doc, null, 2) + '\n');
    log(`figures written to ${a.out}`);
  }
}

/**
 * @param {TargetReport} rep @param {string} phase
 * @param {import('./meters.mjs').MetricSnapshot | null} before @param {import('./meters.mjs').MetricSnapshot | null} after
 */
function noteResets(rep, phase, before, after) {
  const names = counterResets(before, after);
  if (names.length) rep.warnings.push(`${phase}: counters went down (server restarted?), deltas undercount: ${names.join(', ')}`);
}

/**
 * The raw line bytes per stream of a corpus that was pushed earlier (`--skip-ingest`), for the
 * queries' CPU per GB; every run's streams match the same selectors, so the run id is left out.
 * @param {{ seed: number, lines: number, startMs: number, endMs: number, encodings: string[] }} o
 * @param {Map<string, number>} bytes @param {Map<string, Record<string, string>>} labels
 */
function corpusStreamBytes(o, bytes, labels) {
  for (const encoding of o.encodings) {
    const corpus = createCorpus({ ...o, extraLabels: { bench: '1', bench_encoding: encoding } });
    const per = corpus.streams.map(() => 0);
    for (const e of corpus.entries()) per[e.stream] += utf8Length(e.line);
    corpus.streams.forEach((d, i) => {
      const key = JSON.stringify(d.labels);
      bytes.set(key, (bytes.get(key) ?? 0) + per[i]);
      labels.set(key, d.labels);
    });
  }
}

/** @param {import('./http.mjs').Target} t @returns {Promise<number>} last status of GET /ready, 0: no answer */
async function waitReady(t) {
  const deadline = performance.now() + 30000;
  for (;;) {
    const r = await request(t, '/ready', { timeoutMs: 5000 });
    if (r.status === 200) return 200;
    if (performance.now() > deadline) return r.status;
    await new Promise((res) => setTimeout(res, 500));
  }
}

main().catch((err) => {
  log(String(err instanceof Error ? err.message : err));
  process.exitCode = 1;
});
