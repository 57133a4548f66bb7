/**
 * Small HTTP layer over Node's fetch: one call returns status, wall time and body text, never
 * throws for HTTP errors (network failures become status 0 with the error text), and adds the
 * tenant and token headers of the target.
 */

/**
 * @typedef {{ url: string, tenant?: string, token?: string }} Target
 * @typedef {{ status: number, ms: number, text: string, error?: string }} HttpResult
 */

/** @param {Target} t @returns {Record<string, string>} */
export function baseHeaders(t) {
  /** @type {Record<string, string>} */
  const h = {};
  if (t.tenant) h['X-Scope-OrgID'] = t.tenant;
  if (t.token) h.Authorization = `Bearer ${t.token}`;
  return h;
}

/**
 * @param {Target} t
 * @param {string} path path and query string, starting with `/`
 * @param {{ method?: string, headers?: Record<string, string>, body?: string | Uint8Array,
 *   timeoutMs?: number }} [opts]
 * @returns {Promise<HttpResult>}
 */
export async function request(t, path, opts = {}) {
  const started = performance.now();
  try {
    const res = await fetch(t.url.replace(/\/+$/, '') + path, {
      method: opts.method ?? 'GET',
      headers: { ...baseHeaders(t), ...opts.headers },
      // Node's fetch takes a Uint8Array body; its type declarations do not say so.
      body: /** @type {string | undefined} */ (/** @type {unknown} */ (opts.body)),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60000),
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  } catch (err) {
    const e = /** @type {{ name?: string, message?: string, cause?: { code?: string } }} */ (err);
    const code = e.name === 'TimeoutError' ? 'timeout' : e.cause?.code ?? e.name ?? 'error';
    return { status: 0, ms: performance.now() - started, text: '', error: `${code}: ${e.message ?? ''}` };
  }
}

/** @param {Record<string, string | number>} params @returns {string} */
export function qs(params) {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

/** @param {number[]} sorted ascending @param {number} p in [0, 1] @returns {number} nearest rank */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

/** @param {number[]} xs @returns {number} */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
