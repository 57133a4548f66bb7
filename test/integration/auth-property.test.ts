/**
 * Property: whatever Authorization and X-Scope-OrgID a request carries (random strings, forged
 * and mutated tokens, other tenants, `|` lists, any header-name case), no read or push answers
 * 5xx and a tenant's data comes back only for that tenant's intact token.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { authCall, basic, bearer, createToken, pushBody, TOKEN_VARS } from '../auth-support'
import { nowNs } from '../helpers'

const R = Math.random().toString(36).slice(2, 10)
const APP = `pp-${R}`
const A = `pa-${R}`
const B = `pb-${R}`
const A_MARK = `amark${R}`
const B_MARK = `bmark${R}`
const RANGE = { start: nowNs(-600_000), end: nowNs(60_000) }
/** Multi-tenant reads on, so `|` lists reach the multi-tenant querier too. */
const VARS = { ...TOKEN_VARS, multi_tenant_queries_enabled: 'true' }

let tokenA = ''
let tokenB = ''

const ROUTES = [
  `/loki/api/v1/query_range?${new URLSearchParams({ query: `{app="${APP}"}`, ...RANGE })}`,
  `/loki/api/v1/query?${new URLSearchParams({ query: `count_over_time({app="${APP}"}[15m])`, time: RANGE.end })}`,
  `/loki/api/v1/label/owner/values?${new URLSearchParams(RANGE)}`,
  `/loki/api/v1/series?${new URLSearchParams({ 'match[]': `{app="${APP}"}`, ...RANGE })}`,
  `/loki/api/v1/index/volume?${new URLSearchParams({ query: `{app="${APP}"}`, targetLabels: 'owner', ...RANGE })}`,
  `/loki/api/v1/detected_labels?${new URLSearchParams({ query: `{app="${APP}"}`, ...RANGE })}`,
  'push',
]

/** Printable ASCII, what a header value may portably hold. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 })

function latin1Base64(s: string): string {
  let bin = ''
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b)
  return btoa(bin)
}

function mutate(token: string, at: number, ch: string): string {
  const i = at % token.length
  return token.slice(0, i) + ch + token.slice(i + 1)
}

type Auth = { kind: 'none' } | { kind: 'raw'; value: string } | { kind: 'token'; who: 'A' | 'B'; how: 'bearer' | 'basic'; user: string; mutateAt: number | null; ch: string }

const auth: fc.Arbitrary<Auth> = fc.oneof(
  fc.constant<Auth>({ kind: 'none' }),
  headerText.map<Auth>((value) => ({ kind: 'raw', value })),
  headerText.map<Auth>((value) => ({ kind: 'raw', value: `Bearer ${value}` })),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 })).map<Auth>(([u, p]) => ({ kind: 'raw', value: `Basic ${latin1Base64(`${u}:${p}`)}` })),
  fc.record({
    kind: fc.constant('token' as const),
    who: fc.constantFrom('A' as const, 'B' as const),
    how: fc.constantFrom('bearer' as const, 'basic' as const),
    user: fc.oneof(fc.constantFrom('', A, B, `${A}|${B}`), fc.stringMatching(/^[a-z0-9|-]{0,12}$/u)),
    mutateAt: fc.option(fc.nat(), { nil: null }),
    ch: fc.constantFrom('A', 'z', '_', '-', '0'),
  }),
)

const orgId = fc.option(fc.oneof(fc.constantFrom(A, B, `${A}|${B}`, `${B}|${A}`, `${A}, ${B}`, ''), headerText), { nil: null })
const nameCase = fc.constantFrom('X-Scope-OrgID', 'x-scope-orgid', 'X-SCOPE-ORGID', 'x-Scope-Orgid')

/** The header value, and whose intact token it carries (null: nobody's). */
function authHeader(a: Auth): { value: string | null; owner: 'A' | 'B' | null } {
  if (a.kind === 'none') return { value: null, owner: null }
  if (a.kind === 'raw') return { value: a.value, owner: null }
  const real = a.who === 'A' ? tokenA : tokenB
  const token = a.mutateAt === null ? real : mutate(real, a.mutateAt, a.ch)
  return { value: a.how === 'bearer' ? bearer(token) : basic(a.user, token), owner: token === real ? a.who : null }
}

beforeAll(async () => {
  tokenA = (await createToken(A, ['push', 'query'])).token
  tokenB = (await createToken(B, ['push', 'query'])).token
  for (const [token, owner] of [[tokenA, A_MARK], [tokenB, B_MARK]] as const) {
    const res = await authCall('/loki/api/v1/push', {
      headers: { Authorization: bearer(token), 'Content-Type': 'application/json' },
      body: pushBody([{ stream: { app: APP, owner }, values: [[nowNs(-2_000), `line of ${owner}`]] }]),
    })
    expect(res.status).toBe(204)
  }
})

describe('random credentials', () => {
  it("never get a 5xx, and a tenant's data only with that tenant's intact token", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), auth, orgId, nameCase, async (route, a, org, header) => {
        const { value, owner } = authHeader(a)
        const headers = new Headers()
        if (value !== null) headers.set('Authorization', value)
        if (org !== null) headers.set(header, org)
        let res: Response
        if (route === 'push') {
          headers.set('Content-Type', 'application/json')
          res = await authCall('/loki/api/v1/push', {
            vars: VARS,
            headers,
            body: pushBody([{ stream: { app: `${APP}-push`, owner: 'random' }, values: [[nowNs(-1_000), 'random push']] }]),
          })
        } else {
          res = await authCall(route, { headers, vars: VARS })
        }
        const text = await res.text()
        expect(res.status, text).toBeLessThan(500)
        if (owner !== 'A') expect(text).not.toContain(A_MARK)
        if (owner !== 'B') expect(text).not.toContain(B_MARK)
      }),
      { numRuns: 300 },
    )
  })
})
