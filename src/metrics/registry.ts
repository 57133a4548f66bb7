/**
 * Process-local Prometheus counters. Each isolate counts what it did; `/metrics` renders this
 * isolate's view. Locally (wrangler dev) the Worker and its Durable Objects share one isolate,
 * so the figures are complete there.
 */

type LabelSet = Readonly<Record<string, string>>

interface CounterDef {
  readonly help: string
  readonly type: 'counter' | 'gauge'
  readonly values: Map<string, { labels: LabelSet; value: number }>
}

const counters = new Map<string, CounterDef>()

function labelKey(labels: LabelSet): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',')
}

/** Declares a counter (idempotent) and returns an incrementer for it. */
export function counter(name: string, help: string): (by?: number, labels?: LabelSet) => void {
  let def = counters.get(name)
  if (!def) {
    def = { help, type: 'counter', values: new Map() }
    counters.set(name, def)
  }
  const d = def
  return (by = 1, labels: LabelSet = {}) => {
    if (by === 0) return
    const key = labelKey(labels)
    const cur = d.values.get(key)
    if (cur) cur.value += by
    else d.values.set(key, { labels, value: by })
  }
}

/** Declares a gauge that keeps the largest value it was given (idempotent). */
export function maxGauge(name: string, help: string): (value: number) => void {
  let def = counters.get(name)
  if (!def) {
    def = { help, type: 'gauge', values: new Map() }
    counters.set(name, def)
  }
  const d = def
  return (value) => {
    const cur = d.values.get('')
    if (cur) cur.value = Math.max(cur.value, value)
    else d.values.set('', { labels: {}, value })
  }
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

/** Prometheus text exposition format 0.0.4. */
export function renderMetrics(): string {
  const out: string[] = []
  for (const [name, def] of [...counters.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push(`# HELP ${name} ${def.help}`, `# TYPE ${name} ${def.type}`)
    if (def.values.size === 0) out.push(`${name} 0`)
    for (const { labels, value } of def.values.values()) {
      const names = Object.keys(labels).sort()
      const lbl = names.length
        ? `{${names.map((k) => `${k}="${escapeLabelValue(labels[k] ?? '')}"`).join(',')}}`
        : ''
      out.push(`${name}${lbl} ${value}`)
    }
  }
  return out.join('\n') + '\n'
}
