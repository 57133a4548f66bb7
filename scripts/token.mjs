/**
 * `npm run token -- <command>`: manages edgeloki's API tokens through the admin API.
 *
 *   create --tenant t1 --scopes push,query [--name ci]   prints the new token (shown only once)
 *   list                                                 prints every token, without secrets
 *   revoke <id>                                          revokes a token (everywhere within 10 s)
 *
 * The server is `--url` or $EDGELOKI_URL (default http://127.0.0.1:3100); the admin token is
 * `--admin-token` or $ADMIN_TOKEN. `--json` prints the server's JSON answer instead of text.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run token -- create --tenant <id> --scopes push,query,rules [--name <name>]
       npm run token -- list
       npm run token -- revoke <id>
options: --url <url> (or $EDGELOKI_URL), --admin-token <secret> (or $ADMIN_TOKEN), --json`;

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'admin-token': { type: 'string' },
        tenant: { type: 'string' },
        scopes: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
})();

const [command, ...rest] = positionals;
if (values.help || command === undefined) fail(USAGE);
const base = (values.url ?? process.env.EDGELOKI_URL ?? 'http://127.0.0.1:3100').replace(/\/+$/u, '');
const adminToken = values['admin-token'] ?? process.env.ADMIN_TOKEN;
if (!adminToken) fail('no admin token: pass --admin-token or set ADMIN_TOKEN');

async function call(method, path, body) {
  let res;
  try {
    res = await fetch(`${base}/admin/api/v1/tokens${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    return fail(`cannot reach ${base}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  if (!res.ok) fail(`${res.status}: ${text.trim()}`);
  return text;
}

function row(t) {
  return [t.id, t.tenant, t.scopes.join(','), t.created_at, t.name].join('\t');
}

if (command === 'create') {
  if (rest.length > 0) fail(USAGE);
  if (!values.tenant || !values.scopes) fail(`create needs --tenant and --scopes\n${USAGE}`);
  const scopes = values.scopes.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const text = await call('POST', '', { tenant: values.tenant, scopes, name: values.name ?? '' });
  const created = JSON.parse(text);
  if (values.json) process.stdout.write(`${text}\n`);
  else process.stdout.write(`id: ${created.id}\ntoken: ${created.token}\n(the token is shown only now; store it as a secret)\n`);
} else if (command === 'list') {
  if (rest.length > 0) fail(USAGE);
  const text = await call('GET', '');
  if (values.json) process.stdout.write(`${text}\n`);
  else process.stdout.write(['ID\tTENANT\tSCOPES\tCREATED\tNAME', ...JSON.parse(text).map(row)].join('\n') + '\n');
} else if (command === 'revoke') {
  if (rest.length !== 1) fail(USAGE);
  await call('DELETE', `/${encodeURIComponent(rest[0])}`);
  process.stdout.write(`revoked ${rest[0]}\n`);
} else {
  fail(`unknown command ${command}\n${USAGE}`);
}
