/**
 * The explore page: wires the query editor, time range, charts, log list, label browser, live
 * tail and sign-in to the public API. State that should survive a reload lives in the URL
 * (query and range) and in this browser's storage (tenant and token).
 */
import { ApiError, labelNames, labelValues, queryRange, type Credentials, type QueryResult } from './api.mjs'
import { ChartPanel } from './charts.mjs'
import { QueryEditor } from './editor.mjs'
import { LabelBrowser } from './label-browser.mjs'
import { LiveTail } from './live-tail.mjs'
import { rowsOf } from './log-rows.mjs'
import { LogView, type Page } from './log-view.mjs'
import { errorOffset, isMetricQuery, withMatcher } from './query-text.mjs'
import { formatTime, msToNs, resolveRange, stepSeconds, type Resolved } from './time-range.mjs'

const PAGE_LIMIT = 500
const TAIL_LIMIT = 100
const VOLUME_POINTS = 120
const METRIC_POINTS = 250
const CACHE_MS = 30_000
const TENANT_KEY = 'edgeloki.tenant'
const TOKEN_KEY = 'edgeloki.token'

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`the page has no #${id}`)
  return el
}

const ui = {
  tenant: byId('tenant', HTMLInputElement),
  identity: byId('identity', HTMLElement),
  signIn: byId('sign-in', HTMLButtonElement),
  dialog: byId('sign-in-dialog', HTMLDialogElement),
  token: byId('token', HTMLInputElement),
  form: byId('query-form', HTMLFormElement),
  preset: byId('preset', HTMLSelectElement),
  from: byId('from', HTMLInputElement),
  to: byId('to', HTMLInputElement),
  live: byId('live', HTMLButtonElement),
  pause: byId('pause', HTMLButtonElement),
  error: byId('error', HTMLElement),
  status: byId('status', HTMLElement),
}

let token = localStorage.getItem(TOKEN_KEY) ?? ''
ui.tenant.value = localStorage.getItem(TENANT_KEY) ?? ''

function creds(): Credentials {
  return { tenant: ui.tenant.value.trim(), token }
}

function currentRange(): Resolved | string {
  return resolveRange(ui.from.value, ui.to.value, Date.now())
}

/** Label names and values for completion and the browser, kept briefly per range and tenant. */
const cache = new Map<string, { at: number; value: Promise<readonly string[]> }>()
function cached(key: string, load: (r: Resolved) => Promise<readonly string[]>): Promise<readonly string[]> {
  const range = currentRange()
  if (typeof range === 'string') return Promise.resolve([])
  const full = `${key}\u0000${ui.from.value}\u0000${ui.to.value}\u0000${ui.tenant.value}\u0000${token}`
  const hit = cache.get(full)
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value
  const value = load(range)
  cache.set(full, { at: Date.now(), value })
  value.catch(() => cache.delete(full))
  return value
}
const suggestions = {
  labelNames: () => cached('names', (r) => labelNames(msToNs(r.startMs), msToNs(r.endMs), creds())),
  labelValues: (name: string) => cached(`values:${name}`, (r) => labelValues(name, msToNs(r.startMs), msToNs(r.endMs), creds())),
}

const editor = new QueryEditor(byId('query', HTMLTextAreaElement), byId('highlight', HTMLElement), byId('completions', HTMLUListElement), suggestions, () => void run())
const volume = new ChartPanel(byId('volume', HTMLElement))
const metric = new ChartPanel(byId('metric', HTMLElement))
let lastQuery: { query: string; startNs: bigint } | null = null
const logs = new LogView(byId('logs', HTMLElement), byId('more', HTMLElement), loadOlder)
const labels = new LabelBrowser(
  byId('label-names', HTMLUListElement),
  { names: suggestions.labelNames, values: suggestions.labelValues },
  (name, value) => {
    editor.value = withMatcher(editor.value, name, value)
    void run()
  },
  (err) => showError(err),
)
const tail = new LiveTail({
  rows: (rows) => {
    logs.prepend(rows)
    ui.status.textContent = `Live: ${logs.size} lines`
  },
  state: (text) => (ui.status.textContent = text),
})

function showError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  ui.error.textContent = message
  ui.error.hidden = false
  if (err instanceof ApiError && err.status === 400) editor.markError(errorOffset(editor.value, message))
  if (err instanceof ApiError && err.status === 401 && !ui.dialog.open) ui.dialog.showModal()
}

function clearError(): void {
  ui.error.hidden = true
  ui.error.textContent = ''
  editor.markError(null)
}

async function loadOlder(beforeNs: string): Promise<Page | null> {
  if (lastQuery === null) return null
  try {
    const result = await queryRange({ query: lastQuery.query, startNs: lastQuery.startNs, endNs: BigInt(beforeNs) + 1n, limit: PAGE_LIMIT }, creds())
    if (result.kind !== 'streams') return null
    const rows = rowsOf(result.streams)
    return { rows, full: rows.length >= PAGE_LIMIT }
  } catch (err) {
    showError(err)
    return null
  }
}

function saveUrl(): void {
  const params = new URLSearchParams({ query: editor.value, from: ui.from.value, to: ui.to.value })
  history.replaceState(null, '', `?${params}`)
}

let inFlight: AbortController | null = null

function showResult(result: QueryResult, started: number): void {
  const ms = Math.round(performance.now() - started)
  if (result.kind === 'streams') {
    const rows = rowsOf(result.streams)
    logs.showFirst({ rows, full: rows.length >= PAGE_LIMIT })
    ui.status.textContent = `${rows.length} lines in ${ms} ms`
    ui.status.dataset.ms = String(ms)
  } else {
    metric.lines(result.series)
    ui.status.textContent = `${result.series.length} series in ${ms} ms`
    ui.status.dataset.ms = String(ms)
  }
}

async function run(): Promise<void> {
  stopTail()
  inFlight?.abort()
  const abort = new AbortController()
  inFlight = abort
  clearError()
  const range = currentRange()
  if (typeof range === 'string') return showError(range)
  // Sent as typed, so that Loki's line and column point into the editor's text.
  const query = editor.value
  if (query.trim() === '') return showError('Type a LogQL query, for example {service_name="api"}, or pick a label on the left.')
  saveUrl()
  logs.clear()
  volume.clear()
  metric.clear()
  lastQuery = null
  const started = performance.now()
  const startNs = msToNs(range.startMs)
  const endNs = msToNs(range.endMs)
  ui.status.textContent = 'Running…'
  delete ui.status.dataset.ms
  try {
    if (isMetricQuery(query)) {
      showResult(await queryRange({ query, startNs, endNs, stepSeconds: stepSeconds(range, METRIC_POINTS) }, creds(), abort.signal), started)
      void labels.refresh()
      return
    }
    lastQuery = { query, startNs }
    showResult(await queryRange({ query, startNs, endNs, limit: PAGE_LIMIT }, creds(), abort.signal), started)
    // The histogram reads every line of the range, the lines only the newest page: asked after
    // them, so the lines are not kept waiting behind it.
    const step = stepSeconds(range, VOLUME_POINTS)
    const volumeQuery = `sum by (detected_level) (count_over_time(${query} [${step}s]))`
    const v = await queryRange({ query: volumeQuery, startNs, endNs, stepSeconds: step }, creds(), abort.signal)
    if (v.kind === 'matrix') ui.status.textContent += ` · ${volume.volume(v.series, zoom)} in the range`
    void labels.refresh()
  } catch (err) {
    if (abort.signal.aborted) return
    ui.status.textContent = ''
    showError(err)
  }
}

function zoom(fromMs: number, toMs: number): void {
  ui.preset.value = ''
  ui.from.value = formatTime(Math.floor(fromMs / 1000) * 1000)
  ui.to.value = formatTime(Math.ceil(toMs / 1000) * 1000)
  void run()
}

function stopTail(): void {
  if (!tail.running) return
  tail.stop()
  ui.live.setAttribute('aria-pressed', 'false')
  ui.pause.hidden = true
}

function startTail(): void {
  clearError()
  const range = currentRange()
  const query = editor.value
  if (typeof range === 'string') return showError(range)
  if (query.trim() === '' || isMetricQuery(query)) return showError('Live tail needs a log query, for example {service_name="api"}.')
  inFlight?.abort()
  logs.clear()
  volume.clear()
  metric.clear()
  tail.start(query, msToNs(range.startMs), TAIL_LIMIT, creds())
  ui.live.setAttribute('aria-pressed', 'true')
  ui.pause.hidden = false
  ui.pause.textContent = 'Pause'
}

function showIdentity(): void {
  ui.identity.textContent = token === '' ? '' : `signed in with token …${token.slice(-4)}`
  ui.signIn.textContent = token === '' ? 'Sign in' : 'Sign out'
}

ui.form.addEventListener('submit', (e) => {
  e.preventDefault()
  void run()
})
ui.preset.addEventListener('change', () => {
  if (ui.preset.value === '') return ui.from.focus()
  ui.from.value = ui.preset.value
  ui.to.value = 'now'
  void run()
})
for (const input of [ui.from, ui.to]) {
  input.addEventListener('input', () => (ui.preset.value = [...ui.preset.options].some((o) => o.value === ui.from.value) && ui.to.value === 'now' ? ui.from.value : ''))
}
ui.tenant.addEventListener('change', () => {
  localStorage.setItem(TENANT_KEY, ui.tenant.value.trim())
  void labels.refresh()
})
ui.live.addEventListener('click', () => (tail.running ? stopTail() : startTail()))
ui.pause.addEventListener('click', () => (ui.pause.textContent = tail.togglePause() ? 'Resume' : 'Pause'))
ui.signIn.addEventListener('click', () => {
  if (token === '') {
    ui.token.value = ''
    ui.dialog.showModal()
    return
  }
  token = ''
  localStorage.removeItem(TOKEN_KEY)
  showIdentity()
})
ui.dialog.addEventListener('close', () => {
  if (ui.dialog.returnValue !== 'save' || ui.token.value.trim() === '') return
  token = ui.token.value.trim()
  localStorage.setItem(TOKEN_KEY, token)
  showIdentity()
  void labels.refresh()
  if (editor.value.trim() !== '') void run()
})
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && tail.running) {
    e.preventDefault()
    stopTail()
  }
})

const params = new URLSearchParams(location.search)
editor.value = params.get('query') ?? ''
ui.from.value = params.get('from') ?? ui.from.value
ui.to.value = params.get('to') ?? ui.to.value
ui.preset.value = [...ui.preset.options].some((o) => o.value === ui.from.value) && ui.to.value === 'now' ? ui.from.value : ''
showIdentity()
editor.focus()
if (editor.value.trim() !== '') void run()
else void labels.refresh()
