/**
 * The two charts, drawn with uPlot: the log volume as bars stacked by `detected_level` (drag
 * across it to zoom the range) and a metric query's series as lines with a legend. Colours come
 * from the page's CSS variables, so both follow `prefers-color-scheme`.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { Series } from './api.mjs'
import { labelString, levelNamed, type Level } from './log-rows.mjs'

const LEVEL_ORDER: readonly Level[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'unknown']
const PALETTE = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642', '#cca300']

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

/** Times in UTC, as the log rows and the range fields show them. */
const utc = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC')

function axes(): uPlot.Axis[] {
  const stroke = cssVar('--muted')
  const grid = { stroke: cssVar('--border'), width: 1 }
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, size: 50 },
  ]
}

/** Every series' points on one sorted time axis; a missing point is `fill`. */
function aligned(series: readonly Series[], fill: number | null): { xs: number[]; ys: (number | null)[][] } {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b)
  const index = new Map(xs.map((x, i) => [x, i]))
  const ys = series.map((s) => {
    const row: (number | null)[] = xs.map(() => fill)
    for (const [t, v] of s.points) row[index.get(t) ?? 0] = v
    return row
  })
  return { xs, ys }
}

export class ChartPanel {
  private plot: uPlot | null = null

  constructor(private readonly el: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.plot.height })).observe(el)
  }

  clear(): void {
    this.plot?.destroy()
    this.plot = null
    this.el.hidden = true
    delete this.el.dataset.total
    delete this.el.dataset.series
  }

  /** Bars stacked by level: the bottom level first, each drawn to its running total. */
  /** Returns how many lines the bars count. */
  volume(series: readonly Series[], onZoom: (fromMs: number, toMs: number) => void): number {
    this.clear()
    const byLevel = [...series].sort((a, b) => LEVEL_ORDER.indexOf(levelOfSeries(a)) - LEVEL_ORDER.indexOf(levelOfSeries(b)))
    const levels = byLevel.map(levelOfSeries)
    const { xs, ys } = aligned(byLevel, 0)
    const raw = ys.map((row) => row.map((v) => v ?? 0))
    const stacked: number[][] = []
    raw.forEach((row, i) => stacked.push(row.map((v, j) => v + (i > 0 ? (stacked[i - 1]?.[j] ?? 0) : 0))))
    // uPlot paints in order: the tallest running total first, so each lower level shows over it.
    const order = byLevel.map((_, i) => i).reverse()
    const bars = uPlot.paths.bars?.({ size: [0.9, 60] })
    const opts: uPlot.Options = {
      width: this.width(),
      height: 150,
      axes: axes(),
      tzDate: utc,
      cursor: { drag: { x: true, y: false, setScale: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        ...order.map((i) => {
          const level = levels[i] ?? 'unknown'
          const colour = cssVar(`--${level}`)
          return {
            label: level,
            fill: colour,
            stroke: colour,
            paths: bars,
            points: { show: false },
            value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx === null ? '' : String(raw[i]?.[idx] ?? 0)),
          }
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return
            const from = u.posToVal(u.select.left, 'x')
            const to = u.posToVal(u.select.left + u.select.width, 'x')
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            onZoom(from * 1000, to * 1000)
          },
        ],
      },
    }
    this.show(opts, [xs, ...order.map((i) => stacked[i] ?? [])])
    const total = raw.flat().reduce((a, b) => a + b, 0)
    this.el.dataset.total = String(total)
    this.el.dataset.series = JSON.stringify(order.map((i) => levels[i]))
    return total
  }

  /** A metric query's series as lines, labelled as Loki names them. */
  lines(series: readonly Series[]): void {
    this.clear()
    const { xs, ys } = aligned(series, null)
    const opts: uPlot.Options = {
      width: this.width(),
      height: 280,
      axes: axes(),
      tzDate: utc,
      scales: { x: { time: true } },
      series: [
        {},
        ...series.map((s, i) => ({
          label: labelString(s.metric),
          stroke: PALETTE[i % PALETTE.length] ?? '#888',
          width: 1.5,
          points: { show: false },
        })),
      ],
    }
    this.show(opts, [xs, ...ys])
    this.el.dataset.series = JSON.stringify(series.map((s) => labelString(s.metric)))
    this.el.dataset.total = String(series.reduce((n, s) => n + s.points.length, 0))
  }

  private show(opts: uPlot.Options, data: uPlot.AlignedData): void {
    this.el.hidden = false
    this.plot = new uPlot(opts, data, this.el)
  }

  private width(): number {
    return Math.max(300, this.el.clientWidth || this.el.parentElement?.clientWidth || 800)
  }
}

function levelOfSeries(s: Series): Level {
  return levelNamed(s.metric.detected_level ?? s.metric.level ?? '')
}
