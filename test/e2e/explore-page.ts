/**
 * Driving the explore page in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core; nothing downloads a browser): a page per test and a screenshot of each state
 * under test-artifacts/, kept for looking at.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = join(process.cwd(), 'test-artifacts')

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] })
}

export interface OpenOptions {
  readonly query?: string
  readonly colorScheme?: 'light' | 'dark'
}

/** A fresh page (own storage) at the explore page, with the query and the last hour in its URL. */
export async function openExplore(browser: Browser, baseUrl: string, opts: OpenOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: opts.colorScheme ?? 'light' })
  const page = await context.newPage()
  const errors: string[] = []
  scriptErrors.set(page, errors)
  page.on('pageerror', (e) => errors.push(e.message))
  const params = new URLSearchParams({ from: 'now-1h', to: 'now' })
  if (opts.query !== undefined) params.set('query', opts.query)
  await page.goto(`${baseUrl}/?${params}`)
  return page
}

const scriptErrors = new WeakMap<Page, string[]>()

/** Uncaught errors the page's script threw. */
export function pageErrors(page: Page): readonly string[] {
  return scriptErrors.get(page) ?? []
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `explore-${name}.png`) })
}

/** How many pixels of the canvas in `selector` have the colour of the page's CSS variable `cssVar`. */
export async function pixelsOf(page: Page, selector: string, cssVar: string): Promise<number> {
  const script = `(() => {
    const probe = document.createElement('i'); probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(${JSON.stringify(cssVar)});
    document.body.append(probe); const rgb = getComputedStyle(probe).color.match(/\\d+/g).map(Number); probe.remove();
    const c = document.querySelector(${JSON.stringify(`${selector} canvas`)}); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) < 6 && Math.abs(d[i + 1] - rgb[1]) < 6 && Math.abs(d[i + 2] - rgb[2]) < 6) n++;
    return n })()`
  return Number(await page.evaluate(script))
}
