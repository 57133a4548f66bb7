/**
 * The query editor: a textarea over a highlighted copy of its text, completion of label names
 * and values from the index endpoints, of pipeline stages and of function names, and Loki's
 * error position marked.
 * Enter runs the query (Shift+Enter is a new line); with suggestions open, Enter or Tab takes one.
 */
import { AGGREGATION_OPERATORS, FUNCTIONS } from '@grafana/lezer-logql'
import { completionAt, highlightSpans, PIPELINE_STAGES, type Completion } from './query-text.mjs'

export interface Suggestions {
  labelNames(): Promise<readonly string[]>
  labelValues(name: string): Promise<readonly string[]>
}

const FUNCTION_NAMES = [...new Set([...FUNCTIONS, ...AGGREGATION_OPERATORS].map((f) => f.label))].sort()
const MAX_SUGGESTIONS = 50

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
}

function highlighted(text: string): string {
  let html = ''
  let at = 0
  for (const s of highlightSpans(text)) {
    html += `${escapeHtml(text.slice(at, s.from))}<span class="tok-${s.cls}">${escapeHtml(text.slice(s.from, s.to))}</span>`
    at = s.to
  }
  return html + escapeHtml(text.slice(at))
}

/** The text plain, with the character Loki's error points at underlined. */
function errorMarked(text: string, at: number): string {
  const ch = text.slice(at, at + 1) || ' '
  return `${escapeHtml(text.slice(0, at))}<span class="tok-err" data-error-at="${at}">${escapeHtml(ch)}</span>${escapeHtml(text.slice(at + 1))}`
}

export class QueryEditor {
  private errorAt: number | null = null
  private items: string[] = []
  private selected = 0
  private context: Completion | null = null
  private generation = 0

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly view: HTMLElement,
    private readonly list: HTMLUListElement,
    private readonly suggestions: Suggestions,
    private readonly onRun: () => void,
  ) {
    input.addEventListener('input', () => {
      this.errorAt = null
      this.render()
      void this.suggest()
    })
    input.addEventListener('keydown', (e) => this.onKey(e))
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150))
    input.addEventListener('scroll', () => (view.scrollTop = input.scrollTop))
    list.addEventListener('mousedown', (e) => {
      const li = (e.target as HTMLElement).closest('li')
      if (!li) return
      e.preventDefault()
      this.accept(Number(li.dataset.index))
    })
    this.render()
  }

  get value(): string {
    return this.input.value
  }

  set value(text: string) {
    this.input.value = text
    this.errorAt = null
    this.render()
  }

  /** Marks the character Loki's parse error points at (null clears it). */
  markError(offset: number | null): void {
    this.errorAt = offset
    this.render()
  }

  focus(): void {
    this.input.focus()
  }

  private render(): void {
    const text = this.input.value
    this.view.innerHTML = `${this.errorAt === null ? highlighted(text) : errorMarked(text, this.errorAt)}\n`
    this.input.style.height = 'auto'
    this.input.style.height = `${this.input.scrollHeight + 2}px`
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden && this.items.length > 0
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault()
      this.selected = (this.selected + (e.key === 'ArrowDown' ? 1 : this.items.length - 1)) % this.items.length
      this.showList()
    } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      e.preventDefault()
      this.accept(this.selected)
    } else if (open && e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      this.close()
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      this.close()
      this.onRun()
    } else if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault()
      void this.suggest()
    }
  }

  private async suggest(): Promise<void> {
    const generation = ++this.generation
    const ctx = completionAt(this.input.value, this.input.selectionStart)
    let candidates: readonly string[] = []
    try {
      if (ctx?.kind === 'label') candidates = await this.suggestions.labelNames()
      else if (ctx?.kind === 'value') candidates = await this.suggestions.labelValues(ctx.label)
      else if (ctx?.kind === 'function' && ctx.prefix.length > 0) candidates = FUNCTION_NAMES
      else if (ctx?.kind === 'stage') candidates = PIPELINE_STAGES
    } catch {
      candidates = []
    }
    if (generation !== this.generation || ctx === null) return this.close()
    const prefix = ctx.prefix.toLowerCase()
    this.items = candidates.filter((c) => c.toLowerCase().startsWith(prefix) && c !== ctx.prefix).slice(0, MAX_SUGGESTIONS)
    this.context = ctx
    this.selected = 0
    if (this.items.length === 0) this.close()
    else this.showList()
  }

  private showList(): void {
    this.list.replaceChildren(
      ...this.items.map((item, i) => {
        const li = document.createElement('li')
        li.textContent = item
        li.dataset.index = String(i)
        li.setAttribute('role', 'option')
        li.setAttribute('aria-selected', String(i === this.selected))
        return li
      }),
    )
    this.list.hidden = false
    this.list.children[this.selected]?.scrollIntoView({ block: 'nearest' })
  }

  private close(): void {
    this.list.hidden = true
    this.items = []
    this.context = null
  }

  private accept(index: number): void {
    const item = this.items[index]
    const ctx = this.context
    if (item === undefined || ctx === null) return
    const text = this.input.value
    const cursor = this.input.selectionStart
    let insert = item
    if (ctx.kind === 'label') insert = `${item}=`
    else if (ctx.kind === 'value') insert = text[cursor] === '"' ? item : `${item}"`
    this.input.value = text.slice(0, ctx.from) + insert + text.slice(cursor)
    const at = ctx.from + insert.length + (ctx.kind === 'value' && text[cursor] === '"' ? 1 : 0)
    this.input.setSelectionRange(at, at)
    this.close()
    this.render()
    if (ctx.kind === 'label') {
      this.input.setRangeText('"', at, at, 'end')
      this.render()
      void this.suggest()
    }
  }
}
