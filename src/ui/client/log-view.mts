/**
 * The log list: one row per entry, newest first, coloured by level; a click expands its indexed
 * labels, structured metadata and parsed fields. Reaching the bottom asks for the page before the
 * oldest row (infinite scroll backwards); live-tail entries enter at the top.
 */
import type { Labels } from './api.mjs'
import { compareNs, formatNs, levelOf, lineFields, type LogRow } from './log-rows.mjs'

const MAX_LIVE_ROWS = 2000

function cell(tag: string, cls: string, text: string): HTMLElement {
  const el = document.createElement(tag)
  el.className = cls
  el.textContent = text
  return el
}

function group(table: HTMLTableElement, title: string, labels: Labels): void {
  const entries = Object.entries(labels)
  if (entries.length === 0) return
  const head = table.insertRow()
  head.className = 'group'
  const th = head.insertCell()
  th.colSpan = 2
  th.textContent = title
  for (const [k, v] of entries) {
    const tr = table.insertRow()
    tr.append(cell('th', '', k), cell('td', '', v))
  }
}

function details(row: LogRow): HTMLElement {
  const box = document.createElement('div')
  box.className = 'details'
  const table = document.createElement('table')
  group(table, 'Indexed labels', row.labels)
  group(table, 'Structured metadata', row.metadata)
  const parsed = Object.keys(row.parsed).length > 0 ? row.parsed : lineFields(row.line)
  group(table, 'Parsed fields', parsed)
  box.append(table)
  box.addEventListener('click', (e) => e.stopPropagation())
  return box
}

function rowElement(row: LogRow): HTMLElement {
  const el = document.createElement('div')
  const level = levelOf(row)
  el.className = `row level-${level}`
  el.dataset.ts = row.ts
  el.tabIndex = 0
  el.append(cell('span', 'lvl-bar', ''), cell('span', 'ts', formatNs(row.ts)), cell('span', 'lvl', level), cell('span', 'line', row.line))
  const toggle = (): void => {
    const open = el.querySelector(':scope > .details')
    if (open) open.remove()
    else el.append(details(row))
    el.setAttribute('aria-expanded', String(!open))
  }
  el.addEventListener('click', toggle)
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      toggle()
    }
  })
  return el
}

export interface Page {
  readonly rows: readonly LogRow[]
  /** Whether the page was as long as asked, so older lines may remain. */
  readonly full: boolean
}

export class LogView {
  private readonly seen = new Set<string>()
  private oldest: string | null = null
  private exhausted = true
  private loading = false
  private generation = 0

  constructor(
    private readonly list: HTMLElement,
    private readonly sentinel: HTMLElement,
    /** The page ending just after `beforeNs`, or null when it could not be read. */
    private readonly loadOlder: (beforeNs: string) => Promise<Page | null>,
  ) {
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void this.more()
    }).observe(sentinel)
  }

  get size(): number {
    return this.list.childElementCount
  }

  clear(): void {
    this.generation++
    this.list.replaceChildren()
    this.seen.clear()
    this.oldest = null
    this.exhausted = true
    this.sentinel.textContent = ''
  }

  /** Shows the first page of a query's lines, then keeps loading older ones while the bottom is in view. */
  showFirst(page: Page): void {
    this.add(page)
    void this.more()
  }

  /** Puts live entries at the top, newest first, keeping the list bounded. */
  prepend(rows: readonly LogRow[]): void {
    const els = this.fresh(rows).map(rowElement)
    for (const el of els) el.classList.add('fresh')
    this.list.prepend(...els)
    while (this.list.childElementCount > MAX_LIVE_ROWS) this.list.lastElementChild?.remove()
  }

  private fresh(rows: readonly LogRow[]): LogRow[] {
    const out = rows.filter((r) => !this.seen.has(r.key))
    for (const r of out) this.seen.add(r.key)
    return out
  }

  private add(page: Page): void {
    const fresh = this.fresh(page.rows)
    this.list.append(...fresh.map(rowElement))
    const last = page.rows[page.rows.length - 1]
    if (last && (this.oldest === null || compareNs(last.ts, this.oldest) < 0)) this.oldest = last.ts
    this.exhausted = !page.full || fresh.length === 0
    this.sentinel.textContent = this.exhausted ? (this.size > 0 ? `${this.size} lines; no older lines in the range.` : '') : 'Loading older lines…'
  }

  private async more(): Promise<void> {
    if (this.loading) return
    this.loading = true
    const generation = this.generation
    try {
      while (!this.exhausted && this.oldest !== null && this.sentinelVisible()) {
        const page = await this.loadOlder(this.oldest)
        if (generation !== this.generation) return
        if (page === null) {
          this.exhausted = true
          this.sentinel.textContent = ''
        } else this.add(page)
      }
    } finally {
      this.loading = false
    }
  }

  private sentinelVisible(): boolean {
    return this.sentinel.getBoundingClientRect().top < window.innerHeight + 200
  }
}
