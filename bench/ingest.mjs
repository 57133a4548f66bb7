/**
 * Push phase. Streams are split among `concurrency` clients (balanced by volume), and each client
 * sends its own batches one after another, so every stream's pushes arrive in time order, as with
 * a fleet of agents that each own their streams. Bodies are built ahead of the clients up to a
 * memory budget: small corpora are fully built before the clock starts, large ones (millions of
 * lines) stream through the budget and never sit in memory at once.
 */
import { createBatcher, encodeJson, encodeOtlp, encodeProto, utf8Length } from './encode.mjs';
import { labelsString } from './corpus.mjs';
import { percentile, request } from './http.mjs';

/**
 * @typedef {import('./http.mjs').Target} Target
 * @typedef {{ body: string | Uint8Array, bytes: number, lines: number, rawBytes: number }} Job
 * @typedef {{ encoding: string, lines: number, acceptedLines: number, rawBytes: number,
 *   acceptedRawBytes: number, bodyBytes: number, requests: number, seconds: number,
 *   linesPerSec: number, rawMBPerSec: number, bodyMB: number, p50ms: number, p99ms: number,
 *   maxMs: number, errors: Record<string, number>, retries: Record<string, number>,
 *   errorSamples: string[], prebuilt: boolean,
 *   clientCpuMs: number,
 *   startedAt: number, endedAt: number }} IngestResult
 */

const MAX_RETRIES = 10;

/** @param {import('./http.mjs').HttpResult} res */
const isRetryable = (res) => res.status === 0 || res.status === 429 || res.status >= 500;

/** @param {import('./http.mjs').HttpResult} res @returns {string} the status, or the network error's code */
const attemptKey = (res) => (res.status === 0 ? String(res.error).split(':')[0] : String(res.status));

/** Bounded queue of built bodies for one client. */
class JobQueue {
  constructor() {
    /** @type {Job[]} */
    this.items = [];
    /** @type {Array<() => void>} */
    this.waiters = [];
    this.closed = false;
  }
  /** @param {Job} job */
  put(job) {
    this.items.push(job);
    this.waiters.shift()?.();
  }
  close() {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w();
  }
  /** @returns {Promise<Job | null>} */
  async take() {
    while (this.items.length === 0) {
      if (this.closed) return null;
      await new Promise((r) => this.waiters.push(() => r(undefined)));
    }
    return /** @type {Job} */ (this.items.shift());
  }
}

/**
 * Assigns each stream to a client so the clients' volumes are as even as the streams allow.
 * @param {number[]} weights @param {number} clients @returns {number[]} client of each stream
 */
export function assignStreams(weights, clients) {
  const load = new Array(clients).fill(0);
  const owner = new Array(weights.length).fill(0);
  const order = weights.map((w, i) => [w, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [w, i] of order) {
    let best = 0;
    for (let c = 1; c < clients; c++) if (load[c] < load[best]) best = c;
    owner[i] = best;
    load[best] += w;
  }
  return owner;
}

/**
 * @param {{ target: Target, corpus: ReturnType<import('./corpus.mjs').createCorpus>,
 *   encoding: 'json' | 'protobuf' | 'otlp', concurrency: number, batchBytes: number, bufferBytes: number,
 *   timeoutMs: number, log: (s: string) => void, streamBytes?: Map<string, number> }} o
 * @returns {Promise<IngestResult>}
 */
export async function runIngest(o) {
  const defs = o.corpus.streams;
  const clients = Math.max(1, Math.min(o.concurrency, defs.length));
  const owner = assignStreams(defs.map((d) => d.weight), clients);
  const labelTexts = defs.map((d) => labelsString(d.labels));
  const labelObjects = defs.map((d) => d.labels);
  const batchers = Array.from({ length: clients }, () => createBatcher(o.batchBytes, labelTexts, labelObjects));
  const queues = Array.from({ length: clients }, () => new JobQueue());
  const entries = o.corpus.entries();
  let queuedBytes = 0;
  let totalLines = 0;
  let totalRaw = 0;
  let producing = true;
  /** @type {Array<() => void>} */
  const spaceWaiters = [];
  const perStream = new Array(defs.length).fill(0);

  /** @param {number} c @param {import('./encode.mjs').Batch | null} batch */
  const enqueue = (c, batch) => {
    if (!batch) return;
    const body = o.encoding === 'json' ? encodeJson(batch) : o.encoding === 'otlp' ? encodeOtlp(batch) : encodeProto(batch);
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    queuedBytes += bytes;
    totalLines += batch.lines;
    totalRaw += batch.rawBytes;
    queues[c].put({ body, bytes, lines: batch.lines, rawBytes: batch.rawBytes });
  };
  /** Builds bodies until the budget is full or the corpus is done. @returns {boolean} done */
  const fill = () => {
    while (queuedBytes < o.bufferBytes) {
      const next = entries.next();
      if (next.done) {
        for (let c = 0; c < clients; c++) enqueue(c, batchers[c].flush());
        for (const q of queues) q.close();
        producing = false;
        return true;
      }
      const c = owner[next.value.stream];
      perStream[next.value.stream] += utf8Length(next.value.line);
      enqueue(c, batchers[c].add(next.value));
    }
    return false;
  };

  const built = Date.now();
  const prebuilt = fill();
  if (prebuilt) o.log(`  built ${queues.reduce((s, q) => s + q.items.length, 0)} ${o.encoding} bodies in ${((Date.now() - built) / 1000).toFixed(1)} s`);

  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<string, number>} */
  const errors = {};
  /** @type {string[]} */
  const errorSamples = [];
  let acceptedLines = 0;
  let acceptedRaw = 0;
  let bodyBytes = 0;
  let sent = 0;
  const headers = o.encoding === 'json' ? { 'Content-Type': 'application/json' } : { 'Content-Type': 'application/x-protobuf' };
  const startedAt = performance.now();
  const clientCpu = process.cpuUsage();
  let lastReport = startedAt;

  /** @type {Record<string, number>} */
  const retries = {};
  const path = o.encoding === 'otlp' ? '/otlp/v1/logs' : '/loki/api/v1/push';
  /**
   * Sends one body as shippers do (Promtail, Alloy): a 429, a 5xx or a failed connection is
   * retried with exponential backoff, 0.5 s doubling up to 5 s, at most `MAX_RETRIES` times.
   * @param {Job} job @param {(attempt: import('./http.mjs').HttpResult) => void} onAttempt
   */
  const pushWithRetries = async (job, onAttempt) => {
    let backoffMs = 500;
    for (let attempt = 0; ; attempt++) {
      const res = await request(o.target, path, { method: 'POST', headers, body: job.body, timeoutMs: o.timeoutMs });
      onAttempt(res);
      if (!isRetryable(res) || attempt === MAX_RETRIES) return res;
      await new Promise((r) => setTimeout(r, backoffMs));
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
  };

  /** @param {number} c */
  const client = async (c) => {
    for (;;) {
      const job = await queues[c].take();
      if (!job) return;
      const res = await pushWithRetries(job, (attempt) => {
        latencies.push(attempt.ms);
        if (!isRetryable(attempt)) return;
        const key = attemptKey(attempt);
        retries[key] = (retries[key] ?? 0) + 1;
        const sample = `retried ${attempt.status === 0 ? String(attempt.error) : `${key}: ${attempt.text.slice(0, 300)}`}`;
        if (errorSamples.length < 8 && !errorSamples.includes(sample)) errorSamples.push(sample);
      });
      queuedBytes -= job.bytes;
      for (const w of spaceWaiters.splice(0)) w();
      bodyBytes += job.bytes;
      sent++;
      if (res.status >= 200 && res.status < 300) {
        acceptedLines += job.lines;
        acceptedRaw += job.rawBytes;
      } else {
        const key = attemptKey(res);
        errors[key] = (errors[key] ?? 0) + 1;
        const sample = res.status === 0 ? String(res.error) : `${key}: ${res.text.slice(0, 300)}`;
        if (errorSamples.length < 5 && !errorSamples.includes(sample)) errorSamples.push(sample);
      }
      const now = performance.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        o.log(`  ${o.encoding}: ${sent} requests, ${acceptedLines} lines accepted, ${((now - startedAt) / 1000).toFixed(0)} s`);
      }
    }
  };
  const producer = async () => {
    while (producing) {
      // Let responses be handled between two bodies, so building does not delay timing.
      await new Promise((r) => setImmediate(r));
      if (queuedBytes >= o.bufferBytes) await new Promise((r) => spaceWaiters.push(() => r(undefined)));
      else fill();
    }
  };
  await Promise.all([producer(), ...queues.map((_, c) => client(c))]);
  const endedAt = performance.now();
  const cpuUsed = process.cpuUsage(clientCpu);
  if (o.streamBytes) {
    for (let i = 0; i < defs.length; i++) {
      const key = JSON.stringify(defs[i].labels);
      o.streamBytes.set(key, (o.streamBytes.get(key) ?? 0) + perStream[i]);
    }
  }
  const seconds = (endedAt - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    encoding: o.encoding,
    lines: totalLines,
    acceptedLines,
    rawBytes: totalRaw,
    acceptedRawBytes: acceptedRaw,
    bodyBytes,
    requests: sent,
    seconds,
    linesPerSec: acceptedLines / seconds,
    rawMBPerSec: acceptedRaw / 1e6 / seconds,
    bodyMB: bodyBytes / 1e6,
    p50ms: percentile(latencies, 0.5),
    p99ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    errors,
    retries,
    errorSamples,
    prebuilt,
    clientCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    startedAt: performance.timeOrigin + startedAt,
    endedAt: performance.timeOrigin + endedAt,
  };
}
