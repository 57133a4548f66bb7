/**
 * The explore page with API tokens on (`auth_enabled` and `auth_tokens`, as deployed): a query
 * without a token shows the server's 401 and the sign-in dialog; signed in, the page reads the
 * token's tenant, live mode included (it polls with the token); the token stays in the browser's
 * storage across a reload, and signing out forgets it.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launch, openExplore, pageErrors, screenshot } from './explore-page'
import { startWorker, type RunningWorker } from './server'

const ADMIN_TOKEN = `e2e-admin-${Math.random().toString(36).slice(2)}`
let worker: RunningWorker
let browser: Browser

function createToken(tenant: string): string {
  const r = spawnSync('node', ['scripts/token.mjs', '--url', worker.url, 'create', '--tenant', tenant, '--scopes', 'push,query', '--name', 'explore', '--json'], {
    env: { ...process.env, ADMIN_TOKEN },
    encoding: 'utf8',
  })
  expect(r.status, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { token: string }).token
}

async function push(token: string, line: string): Promise<void> {
  const values = [[(BigInt(Date.now()) * 1_000_000n).toString(), line]]
  const res = await fetch(`${worker.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ streams: [{ stream: { app: 'shop-explore' }, values }] }),
  })
  expect(res.status, await res.text()).toBe(204)
}

beforeAll(async () => {
  worker = await startWorker(['auth_enabled:true', 'auth_tokens:true', `ADMIN_TOKEN:${ADMIN_TOKEN}`])
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  worker?.stop()
})

describe('explore page with API tokens', () => {
  it('asks for a token, then reads the token\'s tenant and keeps the token in the browser', async () => {
    const shop = createToken('shop')
    const other = createToken('other')
    await push(shop, 'shop line one')
    await push(other, 'other tenant line')

    const query = '{app="shop-explore"}'
    const page = await openExplore(browser, worker.url, { query })
    await page.locator('#sign-in-dialog[open]').waitFor()
    const unauthenticated = await fetch(`${worker.url}/loki/api/v1/query_range?query=${encodeURIComponent(query)}`)
    expect(unauthenticated.status).toBe(401)
    expect(await page.locator('#error').textContent()).toBe((await unauthenticated.text()).trim())
    await screenshot(page, 'sign-in')

    await page.locator('#token').fill(shop)
    await page.locator('#token-save').click()
    await page.locator('#logs > .row').first().waitFor()
    expect(await page.locator('#logs > .row > .line').allTextContents()).toEqual(['shop line one'])
    expect(await page.locator('#identity').textContent()).toBe(`signed in with token …${shop.slice(-4)}`)
    expect(await page.locator('#error').isHidden()).toBe(true)

    // A browser sends no Authorization header on a WebSocket, so live mode polls with the token.
    await page.locator('#live').click()
    expect(await page.locator('#live').getAttribute('aria-pressed')).toBe('true')
    await page.locator('#logs > .row > .line', { hasText: 'shop line one' }).waitFor()
    await push(shop, 'shop line two')
    await push(other, 'other live line')
    await page.locator('#logs > .row > .line', { hasText: 'shop line two' }).waitFor({ timeout: 15_000 })
    // Two more polls, so a line asked for again at the boundary would show twice.
    await new Promise((r) => setTimeout(r, 2_500))
    const shown = await page.locator('#logs > .row > .line').allTextContents()
    expect(shown.filter((l) => l === 'shop line two')).toHaveLength(1)
    expect(shown.filter((l) => l === 'shop line one')).toHaveLength(1)
    expect(shown).not.toContain('other live line')
    expect(shown).not.toContain('other tenant line')
    await page.keyboard.press('Escape')
    expect(await page.locator('#live').getAttribute('aria-pressed')).toBe('false')

    // Kept in this browser: a reload is still signed in; signing out forgets the token.
    await page.reload()
    await page.locator('#logs > .row').first().waitFor()
    expect(await page.locator('#logs > .row > .line').allTextContents()).toEqual(['shop line two', 'shop line one'])
    await page.locator('#label-names > li[data-label="app"]').waitFor()
    await page.locator('#sign-in').click()
    expect(await page.evaluate('localStorage.getItem("edgeloki.token")')).toBeNull()
    await page.locator('#run').click()
    await page.locator('#sign-in-dialog[open]').waitFor()
    expect(pageErrors(page)).toEqual([])
  })
})
