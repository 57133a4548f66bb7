/**
 * The explore page at `/` in headless Chromium against `wrangler dev` with data pushed: a log
 * query's lines newest first with level colours, expandable fields and infinite scroll, the
 * volume histogram's bars, a metric query's series, Loki's syntax error messages (recorded from
 * Loki 3.7.6) with their position, label browsing and completion, live tail with pause and Esc,
 * and the dark colour scheme. Each state is saved as a screenshot under test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import syntaxErrors from '../fixtures/explore/syntax-errors.json'
import { launch, openExplore, pageErrors, pixelsOf, screenshot } from './explore-page'

const baseUrl = inject('baseUrl')
const run = `r${Math.random().toString(36).slice(2, 10)}`
const LEVELS = ['info', 'info', 'info', 'warn', 'error', 'debug'] as const
const CHECKOUT = 700
const BILLING = 60

interface Pushed {
  readonly ts: string
  readonly line: string
}

let browser: Browser
const pushed: Pushed[] = []

async function push(streams: Array<{ stream: Record<string, string>; values: Array<[string, string] | [string, string, Record<string, string>]> }>): Promise<void> {
  const res = await fetch(`${baseUrl}/loki/api/v1/push`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ streams }) })
  expect(res.status, await res.text()).toBe(204)
}

const nsAgo = (ms: number): string => (BigInt(Date.now() - ms) * 1_000_000n).toString()

beforeAll(async () => {
  browser = await launch()
  // Between 50 and 5 minutes ago: inside the page's last hour, and inside the histogram's last step.
  const checkout: Array<[string, string, Record<string, string>]> = []
  for (let i = 0; i < CHECKOUT; i++) {
    const level = LEVELS[i % LEVELS.length] ?? 'info'
    const ts = nsAgo(50 * 60_000 - i * 3_800)
    const line = JSON.stringify({ level, msg: `order ${i} placed`, status: level === 'error' ? 500 : 200, cart: { items: i % 5 } })
    checkout.push([ts, line, i % 3 === 0 ? { trace_id: `trace-${i}` } : {}])
    pushed.push({ ts, line })
  }
  const billing: Array<[string, string]> = []
  for (let i = 0; i < BILLING; i++) {
    const ts = nsAgo(40 * 60_000 - i * 30_000 - 1)
    const line = `level=${i % 10 === 0 ? 'error' : 'info'} msg="invoice ${i} sent" amount=${i * 3}`
    billing.push([ts, line])
    pushed.push({ ts, line })
  }
  await push([
    { stream: { service_name: 'checkout', explore: run }, values: checkout },
    { stream: { service_name: 'billing', explore: run }, values: billing },
  ])
  pushed.sort((a, b) => (BigInt(b.ts) > BigInt(a.ts) ? 1 : -1))
})

afterAll(async () => {
  await browser?.close()
})

async function rowTexts(page: Page): Promise<{ ts: string[]; lines: string[] }> {
  const ts = await page.locator('#logs > .row').evaluateAll((els) => els.map((e) => e.getAttribute('data-ts') ?? ''))
  const lines = await page.locator('#logs > .row > .line').allTextContents()
  return { ts, lines }
}

async function runQuery(page: Page, query: string): Promise<void> {
  await page.locator('#query').fill(query)
  await page.locator('#query').press('Enter')
}

describe('explore page', () => {
  it('serves the page and its bundle as static assets, small enough for the budget', async () => {
    const res = await fetch(`${baseUrl}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<script type="module" src="app.js"></script>')
    let gzipped = 0
    for (const asset of ['/', '/app.js', '/app.css', '/style.css']) {
      const r = await fetch(`${baseUrl}${asset}`, { headers: { 'Accept-Encoding': 'identity' } })
      expect(r.status, asset).toBe(200)
      const body = new Uint8Array(await r.arrayBuffer())
      const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))
      gzipped += (await new Response(stream).arrayBuffer()).byteLength
    }
    expect(gzipped).toBeLessThan(150 * 1024)
  })

  it('shows a log query newest first with level colours, the volume histogram and older lines on scrolling', async () => {
    const page = await openExplore(browser, baseUrl, { query: `{explore="${run}"}` })
    await page.locator('#volume[data-total]').waitFor()
    const first = await rowTexts(page)
    expect(first.lines.length).toBe(500)
    expect(first.lines.slice(0, 5)).toEqual(pushed.slice(0, 5).map((p) => p.line))
    expect(first.ts).toEqual([...first.ts].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0)))
    expect(await page.locator('#status').textContent()).toMatch(new RegExp(`^500 lines in \\d+ ms · ${CHECKOUT + BILLING} in the range$`))

    // Histogram: every line counted once, stacked by detected_level, the bars drawn in the level colours.
    expect(await page.locator('#volume').getAttribute('data-total')).toBe(String(CHECKOUT + BILLING))
    expect(JSON.parse((await page.locator('#volume').getAttribute('data-series')) ?? '[]')).toEqual(['debug', 'info', 'warn', 'error'])
    expect(await pixelsOf(page, '#volume', '--info')).toBeGreaterThan(500)
    expect(await pixelsOf(page, '#volume', '--error')).toBeGreaterThan(100)
    const legend = await page.locator('#volume .u-legend .u-series .u-label').allTextContents()
    expect(legend).toEqual(['Time', 'debug', 'info', 'warn', 'error'])

    // Level colouring: an error line's bar has the error colour, an info line's the info colour.
    const colour = (sel: string): Promise<unknown> => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(sel)})).backgroundColor`)
    const cssColour = (v: string): Promise<unknown> =>
      page.evaluate(`(() => { const i = document.createElement('i'); i.style.color = getComputedStyle(document.documentElement).getPropertyValue('${v}'); document.body.append(i); const c = getComputedStyle(i).color; i.remove(); return c })()`)
    expect(await colour('#logs .row.level-error .lvl-bar')).toBe(await cssColour('--error'))
    expect(await colour('#logs .row.level-info .lvl-bar')).toBe(await cssColour('--info'))
    await screenshot(page, 'logs')

    // Infinite scroll backwards: reaching the bottom loads the older page, without duplicates.
    await page.locator('#more').scrollIntoViewIfNeeded()
    await page.locator('#more', { hasText: 'no older lines' }).waitFor()
    const all = await rowTexts(page)
    expect(all.lines.length).toBe(CHECKOUT + BILLING)
    expect(all.lines).toEqual(pushed.map((p) => p.line))
    await page.locator('#more').scrollIntoViewIfNeeded()
    await screenshot(page, 'logs-scrolled')
    expect(pageErrors(page)).toEqual([])
  })

  it('zooms into the range dragged across on the histogram', async () => {
    const page = await openExplore(browser, baseUrl, { query: `{explore="${run}"}` })
    await page.locator('#volume[data-total]').waitFor()
    const box = await page.locator('#volume .u-over').boundingBox()
    if (box === null) throw new Error('no histogram plot area')
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + box.width * 0.3, y)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 8 })
    await page.mouse.up()
    await expect.poll(() => page.locator('#preset').inputValue()).toBe('')
    const from = Date.parse(await page.locator('#from').inputValue())
    const to = Date.parse(await page.locator('#to').inputValue())
    expect(Number.isNaN(from) || Number.isNaN(to)).toBe(false)
    expect(to - from).toBeGreaterThan(5 * 60_000)
    expect(to - from).toBeLessThan(20 * 60_000)
    const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n
    const inside = pushed.filter((p) => BigInt(p.ts) >= ns(from) && BigInt(p.ts) < ns(to))
    // The bars are what the API counts for the new range, per step (count_over_time over the
    // step before each point, as Grafana draws them): the lines inside, give or take one step.
    const step = Math.max(1, Math.ceil((to - from) / 1000 / 120))
    const volume = new URLSearchParams({
      query: `sum by (detected_level) (count_over_time({explore="${run}"} [${step}s]))`,
      start: String(ns(from)),
      end: String(ns(to)),
      step: String(step),
    })
    const reply = (await (await fetch(`${baseUrl}/loki/api/v1/query_range?${volume}`)).json()) as { data: { result: Array<{ values: Array<[number, string]> }> } }
    const total = reply.data.result.flatMap((r) => r.values).reduce((n, [, v]) => n + Number(v), 0)
    await expect.poll(async () => Number(await page.locator('#volume').getAttribute('data-total'))).toBe(total)
    const edge = pushed.filter((p) => Math.abs(Number(BigInt(p.ts) / 1_000_000n) - from) <= step * 1000 || Math.abs(Number(BigInt(p.ts) / 1_000_000n) - to) <= step * 1000)
    expect(Math.abs(total - inside.length)).toBeLessThanOrEqual(edge.length)
    const rows = await rowTexts(page)
    expect(rows.lines).toEqual(inside.slice(0, rows.lines.length).map((p) => p.line))
    expect(rows.lines.length).toBe(Math.min(500, inside.length))
    expect(new URL(page.url()).searchParams.get('from')).toBe(await page.locator('#from').inputValue())
    await screenshot(page, 'zoomed')
    expect(pageErrors(page)).toEqual([])
  })

  it('expands a line into its indexed labels, structured metadata and parsed fields', async () => {
    const page = await openExplore(browser, baseUrl, { query: `{explore="${run}", service_name="checkout"} | json` })
    const newest = pushed.find((p) => p.line.startsWith('{'))
    const row = page.locator('#logs > .row').first()
    await expect.poll(() => row.locator('.line').textContent()).toBe(newest?.line)
    await row.click()
    const cells = await row.locator('.details tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '').join('=')))
    expect(cells).toContain('Indexed labels')
    expect(cells).toContain(`explore=${run}`)
    expect(cells).toContain('service_name=checkout')
    expect(cells).toContain('Structured metadata')
    expect(cells).toContain('Parsed fields')
    const fields = JSON.parse(newest?.line ?? '{}') as { level: string; msg: string; status: number; cart: { items: number } }
    expect(cells).toContain(`msg=${fields.msg}`)
    expect(cells).toContain(`cart_items=${fields.cart.items}`)
    expect(cells).toContain(`level=${fields.level}`)
    await screenshot(page, 'expanded')
    await row.locator('.ts').click()
    expect(await row.locator('.details').count()).toBe(0)
    expect(pageErrors(page)).toEqual([])
  })

  it('draws a metric query as one line per series with a legend', async () => {
    const query = `sum by (level) (count_over_time({explore="${run}", service_name="checkout"} | json [5m]))`
    const page = await openExplore(browser, baseUrl, { query })
    await page.locator('#metric[data-series]').waitFor()
    const levels = [...new Set(pushed.filter((p) => p.line.startsWith('{')).map((p) => (JSON.parse(p.line) as { level: string }).level))].sort()
    const series = JSON.parse((await page.locator('#metric').getAttribute('data-series')) ?? '[]') as string[]
    expect(series.sort()).toEqual(levels.map((l) => `{level="${l}"}`))
    const legend = await page.locator('#metric .u-legend .u-series .u-label').allTextContents()
    expect(legend.slice(1).sort()).toEqual(levels.map((l) => `{level="${l}"}`))
    expect(await page.locator('#status').textContent()).toMatch(new RegExp(`^${levels.length} series in \\d+ ms$`))
    expect(await page.locator('#volume').isHidden()).toBe(true)
    expect(await page.locator('#logs > .row').count()).toBe(0)
    await screenshot(page, 'metric')
    expect(pageErrors(page)).toEqual([])
  })

  it.each(syntaxErrors.cases)('shows Loki\'s syntax error for $query with its position marked', async (c) => {
    const page = await openExplore(browser, baseUrl)
    await runQuery(page, c.query)
    await page.locator('#error').waitFor()
    expect(await page.locator('#error').textContent()).toBe(c.body)
    const [, line, col] = /at line (\d+), col (\d+)/.exec(c.body) ?? []
    const lines = c.query.split('\n')
    const offset = lines.slice(0, Number(line) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(col) - 1
    expect(await page.locator('#highlight [data-error-at]').getAttribute('data-error-at')).toBe(String(Math.min(offset, c.query.length)))
    expect(await page.locator('#logs > .row').count()).toBe(0)
    if (c === syntaxErrors.cases[0]) await screenshot(page, 'syntax-error')
    expect(pageErrors(page)).toEqual([])
  })

  it('browses labels and values and adds a clicked value as a matcher', async () => {
    const page = await openExplore(browser, baseUrl)
    const label = page.locator('#label-names > li[data-label="explore"]')
    await label.locator('button').click()
    const value = label.locator('.values button', { hasText: run })
    await value.waitFor()
    await screenshot(page, 'labels')
    await value.click()
    expect(await page.locator('#query').inputValue()).toBe(`{explore="${run}"}`)
    await expect.poll(() => page.locator('#logs > .row').count()).toBe(500)
    expect(await page.locator('#logs > .row > .line').first().textContent()).toBe(pushed[0]?.line)

    // A second value goes into the same selector.
    const service = page.locator('#label-names > li[data-label="service_name"]')
    await service.locator('button').first().click()
    await service.locator('.values button', { hasText: 'billing' }).click()
    expect(await page.locator('#query').inputValue()).toBe(`{explore="${run}", service_name="billing"}`)
    await expect.poll(() => page.locator('#logs > .row').count()).toBe(BILLING)
    expect(pageErrors(page)).toEqual([])
  })

  it('completes label names and values from the index as the query is typed', async () => {
    const page = await openExplore(browser, baseUrl)
    const q = page.locator('#query')
    await q.click()
    await q.pressSequentially('{expl')
    const options = page.locator('#completions li')
    await expect.poll(async () => (await options.allTextContents())[0]).toBe('explore')
    await q.press('Tab')
    expect(await q.inputValue()).toBe('{explore="')
    await page.locator('#completions li', { hasText: run }).waitFor()
    await screenshot(page, 'completion')
    await q.pressSequentially(run.slice(0, 4))
    await expect.poll(() => options.allTextContents()).toEqual([run])
    await q.press('Enter')
    expect(await q.inputValue()).toBe(`{explore="${run}"`)
    await q.pressSequentially('}')
    await q.press('Enter')
    await expect.poll(() => page.locator('#logs > .row').count()).toBe(500)

    // After a pipe: the pipeline's stages.
    await q.pressSequentially(' | js')
    await expect.poll(() => options.allTextContents()).toEqual(['json'])
    await q.press('Tab')
    expect(await q.inputValue()).toBe(`{explore="${run}"} | json`)
    expect(pageErrors(page)).toEqual([])
  })

  it('tails new lines live, holds them while paused, and stops on Escape', async () => {
    const app = `tail-${run}`
    await push([{ stream: { explore_tail: app }, values: [[nsAgo(2_000), 'stored before the tail']] }])
    const page = await openExplore(browser, baseUrl, { query: `{explore_tail="${app}"}` })
    await page.locator('#logs > .row').first().waitFor()
    await page.locator('#live').click()
    expect(await page.locator('#live').getAttribute('aria-pressed')).toBe('true')
    // The stored line arrives first, so the tail is open before the live push.
    await page.locator('#logs > .row > .line', { hasText: 'stored before the tail' }).waitFor()
    await push([{ stream: { explore_tail: app }, values: [[nsAgo(0), 'first live line level=warn']] }])
    await page.locator('#logs > .row > .line', { hasText: 'first live line' }).waitFor({ timeout: 15_000 })
    expect(await page.locator('#logs > .row > .line').first().textContent()).toBe('first live line level=warn')
    await screenshot(page, 'live-tail')

    await page.locator('#pause').click()
    expect(await page.locator('#pause').textContent()).toBe('Resume')
    await push([{ stream: { explore_tail: app }, values: [[nsAgo(0), 'second live line']] }])
    await new Promise((r) => setTimeout(r, 2_000))
    expect(await page.locator('#logs > .row > .line', { hasText: 'second live line' }).count()).toBe(0)
    await page.locator('#pause').click()
    await page.locator('#logs > .row > .line', { hasText: 'second live line' }).waitFor({ timeout: 15_000 })
    expect(await page.locator('#logs > .row > .line').allTextContents()).toEqual(['second live line', 'first live line level=warn', 'stored before the tail'])

    await page.keyboard.press('Escape')
    expect(await page.locator('#live').getAttribute('aria-pressed')).toBe('false')
    await page.locator('#status', { hasText: 'stopped' }).waitFor()
    await push([{ stream: { explore_tail: app }, values: [[nsAgo(0), 'after the tail stopped']] }])
    await new Promise((r) => setTimeout(r, 1_000))
    expect(await page.locator('#logs > .row > .line', { hasText: 'after the tail stopped' }).count()).toBe(0)
    expect(pageErrors(page)).toEqual([])
  })

  it('follows a dark colour scheme', async () => {
    const page = await openExplore(browser, baseUrl, { query: `{explore="${run}"}`, colorScheme: 'dark' })
    await page.locator('#volume[data-total]').waitFor()
    const bg = String(await page.evaluate('getComputedStyle(document.body).backgroundColor'))
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number)
    expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(100)
    await screenshot(page, 'dark')
    expect(pageErrors(page)).toEqual([])
  })
})
