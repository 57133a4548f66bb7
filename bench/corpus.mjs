/**
 * Deterministic log corpus for the benchmark. A seeded PRNG (mulberry32) drives everything, so
 * the same seed, line count and time range always give the same entries in the same order.
 * Entries come out lazily, in global time order (strictly increasing timestamps), spread over
 * 25 streams per encoding: JSON API logs, nginx combined access logs, logfmt, plain text, text
 * with ANSI colours; about a third carry a `trace_id` structured-metadata pair. Timestamps are
 * kept as whole seconds plus nanoseconds so no value ever leaves the exact range of a double.
 */

/**
 * @typedef {{ labels: Record<string, string>, service: string, weight: number }} StreamDef
 * @typedef {{ stream: number, sec: number, nanos: number, line: string,
 *   meta: Array<[string, string]> | null }} Entry
 */

/** @param {number} seed @returns {() => number} uniform [0, 1) */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Services: line format, relative volume, namespace, which envs/clusters run it. */
const SERVICES = [
  { name: 'api', format: 'json', weight: 30, namespace: 'shop', staging: true },
  { name: 'web', format: 'nginx', weight: 25, namespace: 'shop', staging: true },
  { name: 'worker', format: 'logfmt-job', weight: 12, namespace: 'data', staging: true },
  { name: 'auth', format: 'logfmt-auth', weight: 10, namespace: 'shop', staging: true },
  { name: 'db', format: 'plain', weight: 10, namespace: 'data', staging: true },
  { name: 'cache', format: 'cache', weight: 8, namespace: 'shop', staging: false },
  { name: 'scheduler', format: 'ansi', weight: 5, namespace: 'platform', staging: false },
];
const CLUSTERS = ['eu-west', 'us-east'];

/**
 * The 25 streams of one encoding: 7 services in prod (2 clusters each, api with an extra pod in
 * eu-west) and 5 of them in staging.
 * @param {Record<string, string>} extraLabels labels put first on every stream (bench, encoding, run)
 * @returns {StreamDef[]}
 */
export function streamDefs(extraLabels) {
  /** @type {StreamDef[]} */
  const out = [];
  for (const env of ['prod', 'staging']) {
    for (const svc of SERVICES) {
      if (env === 'staging' && !svc.staging) continue;
      for (const cluster of CLUSTERS) {
        const pods = env === 'prod' && svc.name === 'api' && cluster === 'eu-west' ? 2 : 1;
        for (let p = 0; p < pods; p++) {
          const pod = `${svc.name}-${env === 'prod' ? '7f9c' : '5b2d'}${cluster === 'eu-west' ? 'e' : 'u'}-${p}`;
          out.push({
            labels: { ...extraLabels, env, cluster, namespace: svc.namespace, service_name: svc.name, app: svc.name, pod },
            service: svc.format,
            weight: (svc.weight * (env === 'prod' ? 4 : 1)) / pods,
          });
        }
      }
    }
  }
  return out;
}

/** @param {Record<string, string>} labels @returns {string} Prometheus text form `{a="b", c="d"}` */
export function labelsString(labels) {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'];
const API_PATHS = ['/api/v1/orders', '/api/v1/cart', '/api/v1/checkout', '/api/v1/products', '/api/v1/users/me', '/api/v1/search', '/api/v1/payments', '/api/v1/inventory'];
const WEB_PATHS = ['/', '/products', '/products/42', '/cart', '/checkout', '/login', '/static/app.js', '/static/style.css', '/favicon.ico', '/search?q=shoes', '/account', '/healthz'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'curl/8.4.0', 'kube-probe/1.31', 'python-requests/2.32.3', 'Googlebot/2.1 (+http://www.google.com/bot.html)'];
const REFERERS = ['-', '-', '-', 'https://shop.example.com/', 'https://www.google.com/', 'https://shop.example.com/products'];
const QUEUES = ['billing', 'emails', 'exports', 'thumbnails', 'webhooks'];
const TABLES = ['orders', 'users', 'products', 'payments', 'sessions'];
const JOBS = ['nightly-report', 'cleanup-sessions', 'sync-inventory', 'rotate-keys', 'reindex-search'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ESC = '\u001b';

/**
 * Lazy, deterministic corpus of one encoding's streams.
 * @param {{ seed: number, lines: number, startMs: number, endMs: number,
 *   extraLabels: Record<string, string> }} opts
 */
export function createCorpus(opts) {
  const streams = streamDefs(opts.extraLabels);
  const total = streams.reduce((s, d) => s + d.weight, 0);
  /** @type {number[]} */
  const cumulative = [];
  let acc = 0;
  for (const d of streams) cumulative.push((acc += d.weight / total));
  const startSec = Math.floor(opts.startMs / 1000);
  const startNanos = (opts.startMs - startSec * 1000) * 1e6;
  const spanNs = (opts.endMs - opts.startMs) * 1e6;
  return {
    streams,
    /** @returns {Generator<Entry>} */
    *entries() {
      const rnd = mulberry32(opts.seed);
      const step = spanNs / opts.lines;
      for (let i = 0; i < opts.lines; i++) {
        const offset = Math.floor(i * step + rnd() * step * 0.5);
        const all = startNanos + offset;
        const sec = startSec + Math.floor(all / 1e9);
        const nanos = all % 1e9;
        const r = rnd();
        let s = 0;
        while (s < cumulative.length - 1 && cumulative[s] < r) s++;
        const line = makeLine(streams[s].service, rnd, sec, nanos);
        const meta = rnd() < 1 / 3 ? /** @type {Array<[string, string]>} */ ([['trace_id', hex(rnd, 32)]]) : null;
        yield { stream: s, sec, nanos, line, meta };
      }
    },
  };
}

/** @param {() => number} rnd @param {number} n @returns {number} integer in [0, n) */
function int(rnd, n) {
  return Math.floor(rnd() * n);
}
/** @template T @param {() => number} rnd @param {T[]} xs @returns {T} */
function pick(rnd, xs) {
  return xs[int(rnd, xs.length)];
}
/** @param {() => number} rnd @param {number} len @returns {string} */
function hex(rnd, len) {
  let s = '';
  while (s.length < len) s += (int(rnd, 0x10000) + 0x10000).toString(16).slice(1);
  return s.slice(0, len);
}
/** @param {() => number} rnd @returns {number} */
function httpStatus(rnd) {
  const r = rnd();
  if (r < 0.78) return 200;
  if (r < 0.84) return 201;
  if (r < 0.87) return 204;
  if (r < 0.89) return 301;
  if (r < 0.92) return 400;
  if (r < 0.955) return 404;
  if (r < 0.975) return 500;
  if (r < 0.99) return 502;
  return 503;
}
/** @param {() => number} rnd @returns {number} skewed latency, ms with 3 decimals */
function latency(rnd) {
  const base = -Math.log(1 - rnd()) * 40;
  const tail = rnd() < 0.02 ? rnd() * 3000 : 0;
  return Math.round((base + tail + 1) * 1000) / 1000;
}
/** @param {number} sec @param {number} nanos @returns {string} RFC3339 with milliseconds */
function iso(sec, nanos) {
  return new Date(sec * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

/**
 * @param {string} format @param {() => number} rnd @param {number} sec @param {number} nanos
 * @returns {string}
 */
function makeLine(format, rnd, sec, nanos) {
  const ts = iso(sec, nanos);
  switch (format) {
    case 'json': {
      const status = httpStatus(rnd);
      const method = pick(rnd, METHODS);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : rnd() < 0.05 ? 'debug' : 'info';
      const msg = status >= 500 ? pick(rnd, ['upstream error: connection refused', 'request failed: timeout after 30s', 'error writing response: broken pipe', 'db error: deadlock detected'])
        : status >= 400 ? pick(rnd, ['bad request: invalid payload', 'not found', 'validation failed']) : 'request completed';
      const path = pick(rnd, API_PATHS) + (rnd() < 0.3 ? `/${int(rnd, 5000)}` : '');
      return JSON.stringify({ ts, level, msg, method, path, status, latency_ms: latency(rnd), user_id: `u-${int(rnd, 2000)}`, trace_id: hex(rnd, 32), request_id: hex(rnd, 16), bytes: int(rnd, 50000), user_agent: pick(rnd, AGENTS), region: rnd() < 0.5 ? 'eu' : 'us' });
    }
    case 'nginx': {
      const d = new Date(sec * 1000);
      const p2 = (/** @type {number} */ n) => String(n).padStart(2, '0');
      const when = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
      const ip = `${pick(rnd, ['10.0', '192.168', '172.16'])}.${int(rnd, 256)}.${int(rnd, 256)}`;
      const status = httpStatus(rnd);
      return `${ip} - - [${when}] "${pick(rnd, METHODS)} ${pick(rnd, WEB_PATHS)} HTTP/1.1" ${status} ${int(rnd, 80000)} "${pick(rnd, REFERERS)}" "${pick(rnd, AGENTS)}" rt=${(latency(rnd) / 1000).toFixed(3)}`;
    }
    case 'logfmt-job': {
      const r = rnd();
      const q = pick(rnd, QUEUES);
      const id = `j-${int(rnd, 100000)}`;
      const dur = int(rnd, 9000) + 3;
      if (r < 0.05) return `ts=${ts} level=error msg="job failed: ${pick(rnd, ['deadlock detected', 'connection refused', 'timeout waiting for lock'])}" job_id=${id} queue=${q} duration_ms=${dur} attempts=${int(rnd, 5) + 1}`;
      if (r < 0.15) return `ts=${ts} level=warn msg="job retried after backoff" job_id=${id} queue=${q} duration_ms=${dur} attempts=${int(rnd, 5) + 2}`;
      return `ts=${ts} level=info msg="job finished" job_id=${id} queue=${q} duration_ms=${dur} bytes=${int(rnd, 900)}KB attempts=1`;
    }
    case 'logfmt-auth': {
      const r = rnd();
      const user = `u-${int(rnd, 2000)}`;
      const ip = `10.${int(rnd, 256)}.${int(rnd, 256)}.${int(rnd, 256)}`;
      if (r < 0.04) return `ts=${ts} level=error msg="token validation error" user_id=${user} client_ip=${ip} status=500 latency_ms=${latency(rnd)} reason="jwks fetch: connection refused"`;
      if (r < 0.14) return `ts=${ts} level=warn msg="login failed" user_id=${user} client_ip=${ip} status=401 latency_ms=${latency(rnd)} reason=bad_password`;
      return `ts=${ts} level=info msg="login succeeded" user_id=${user} client_ip=${ip} status=200 latency_ms=${latency(rnd)} method=${pick(rnd, ['password', 'token', 'sso'])} mfa=${rnd() < 0.6}`;
    }
    case 'plain': {
      const r = rnd();
      const conn = int(rnd, 64);
      const table = pick(rnd, TABLES);
      if (r < 0.03) return `${ts} ERROR [conn-${conn}] deadlock detected on table=${table}; transaction rolled back`;
      if (r < 0.06) return `${ts} WARN [conn-${conn}] lock wait timeout exceeded table=${table} waited=${int(rnd, 50000)}ms`;
      if (r < 0.07) return `${ts} ERROR [conn-${conn}] replica connection refused host=db-replica-${int(rnd, 3)}:5432`;
      return `${ts} INFO [conn-${conn}] query executed table=${table} rows=${int(rnd, 5000)} took=${int(rnd, 250)}ms`;
    }
    case 'cache': {
      const r = rnd();
      const key = `${pick(rnd, ['product', 'cart', 'session', 'user'])}:${int(rnd, 10000)}`;
      if (r < 0.6) return `op=get key=${key} hit=${rnd() < 0.8} size=${int(rnd, 4000)}B ttl=${int(rnd, 60)}m${int(rnd, 60)}s level=debug`;
      if (r < 0.9) return `op=set key=${key} size=${int(rnd, 4000)}B ttl=${int(rnd, 60)}m level=debug`;
      if (r < 0.98) return `EVICT key=${key} reason=lru freed=${int(rnd, 64)}KiB`;
      return `error: MOVED ${int(rnd, 16384)} cache-${int(rnd, 3)}:6379 timeout while redirecting key=${key}`;
    }
    default: {
      const r = rnd();
      const job = pick(rnd, JOBS);
      const stamp = `${ESC}[2m${ts}${ESC}[0m`;
      if (r < 0.04) return `${stamp} ${ESC}[31mERROR${ESC}[0m scheduler: job ${ESC}[1m${job}${ESC}[0m failed: error calling api: connection refused (attempt ${int(rnd, 3) + 1}/3)`;
      if (r < 0.12) return `${stamp} ${ESC}[33mWARN${ESC}[0m scheduler: job ${ESC}[1m${job}${ESC}[0m is running late by ${int(rnd, 600)}s`;
      return `${stamp} ${ESC}[32mINFO${ESC}[0m scheduler: job ${ESC}[1m${job}${ESC}[0m ${pick(rnd, ['started', 'completed', 'scheduled'])} in ${int(rnd, 5000)}ms run_id=${hex(rnd, 8)}`;
    }
  }
}
