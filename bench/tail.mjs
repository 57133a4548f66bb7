/**
 * `node bench/tail.mjs --url URL [--tails 0,1,10,100] [--pushes 100] [--compare URL2]`: live-tail
 * figures against a Loki-compatible server. For each tail count it opens that many WebSocket
 * tails on one selector, waits until they are live, then pushes one line at a time and reports
 * the latency from the push's acknowledgement to each tail's frame (p50/p99), push throughput
 * (sequential pushes per second) and, where the server exposes them, object calls per push. The
 * server must allow the tail count (`max_concurrent_tail_requests`).
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { request, percentile } from './http.mjs';
import { readMetrics } from './meters.mjs';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    compare: { type: 'string' },
    tails: { type: 'string', default: '0,1,10,100' },
    pushes: { type: 'string', default: '100' },
    tenant: { type: 'string' },
  },
});
if (!args.url) {
  console.error('usage: node bench/tail.mjs --url URL [--tails 0,1,10,100] [--pushes N] [--compare URL2]');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function push(t, app, line, tsMs = Date.now()) {
  const body = JSON.stringify({ streams: [{ stream: { app }, values: [[(BigInt(tsMs) * 1_000_000n).toString(), line]] }] });
  const res = await request(t, '/loki/api/v1/push', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  if (res.status !== 204) throw new Error(`push: ${res.status} ${res.text || res.error}`);
  return performance.now();
}

/** Opens `n` tails on `{app}` and resolves once each has received `marker` (it is live). */
async function openTails(t, app, n, marker) {
  const url = `${t.url.replace(/^http/, 'ws')}/loki/api/v1/tail?${new URLSearchParams({ query: `{app="${app}"}`, start: String((Date.now() - 60_000) * 1e6) })}`;
  const headers = t.tenant ? { 'X-Scope-OrgID': t.tenant } : {};
  const tails = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const seen = new Map();
      let live = false;
      let onLive;
      const ready = new Promise((r) => (onLive = r));
      ws.on('message', (data) => {
        const at = performance.now();
        for (const s of JSON.parse(data.toString()).streams) {
          for (const [, line] of s.values) {
            if (line === marker && !live) { live = true; onLive(); }
            else seen.set(line, at);
          }
        }
      });
      ws.on('close', (code, reason) => { if (!live) reject(new Error(`tail closed ${code} ${reason}`)); });
      ws.on('open', () => resolve({ ws, seen, ready }));
      ws.on('error', reject);
    })),
  );
  await Promise.all(tails.map((x) => x.ready));
  return tails;
}

async function doCalls(t) {
  const m = await readMetrics(t);
  return m?.edgeloki_do_requests_total ?? null;
}

async function runCount(t, n, pushes) {
  const app = `bench-tail-${n}-${Date.now()}`;
  const marker = 'bench tail marker';
  await push(t, app, marker, Date.now() - 1000);
  const tails = n > 0 ? await openTails(t, app, n, marker) : [];
  // A push path caches which tails are open for 2 s: let the first pushes refresh it.
  await sleep(2500);
  const callsBefore = await doCalls(t);
  const acked = [];
  const started = performance.now();
  for (let i = 0; i < pushes; i++) acked.push(await push(t, app, `line ${i}`));
  const elapsedS = (performance.now() - started) / 1000;
  const callsAfter = await doCalls(t);
  const latencies = [];
  if (n > 0) {
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline && tails.some((x) => x.seen.size < pushes)) await sleep(50);
    for (const x of tails) for (let i = 0; i < pushes; i++) {
      const at = x.seen.get(`line ${i}`);
      if (at !== undefined) latencies.push(at - acked[i]);
    }
  }
  for (const x of tails) x.ws.close(1000);
  latencies.sort((a, b) => a - b);
  return {
    tails: n,
    pushes,
    pushesPerSecond: pushes / elapsedS,
    delivered: latencies.length,
    expected: n * pushes,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    objectCallsPerPush: callsBefore === null || callsAfter === null ? null : (callsAfter - callsBefore) / pushes,
  };
}

const fmt = (x, d = 1) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
for (const url of [args.url, args.compare].filter(Boolean)) {
  const t = { url, tenant: args.tenant };
  console.log(`\n${url}`);
  console.log('tails  pushes/s  delivered      p50 ms  p99 ms  object calls/push');
  for (const n of args.tails.split(',').map(Number)) {
    const r = await runCount(t, n, Number(args.pushes));
    console.log(`${String(r.tails).padStart(5)}  ${fmt(r.pushesPerSecond).padStart(8)}  ${`${r.delivered}/${r.expected}`.padStart(11)}  ${fmt(r.p50Ms).padStart(8)}  ${fmt(r.p99Ms).padStart(6)}  ${fmt(r.objectCallsPerPush, 2).padStart(17)}`);
    await sleep(1000);
  }
}
