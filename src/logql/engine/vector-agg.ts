/**
 * Vector aggregations (`sum avg min max count stddev stdvar topk bottomk sort sort_desc`,
 * `approx_topk`) applied at every step, after Loki's `VectorAggEvaluator`: grouping keys are
 * `by`/`without` projections, `without` also drops `__name__`, `topk`/`bottomk` keep the
 * original series labels, and `sort`/`sort_desc` return the samples ordered by value (the order
 * only shows in instant results).
 */
import type { VectorAggregationExpr } from '../syntax/ast'
import { dropLabels, keepLabels, labelsKey } from './labels'
import type { Labels } from './source'
import { SeriesCollector, samplesAt, type StepSample, type VectorValue } from './value'

interface Group {
  labels: Labels
  value: number
  mean: number
  count: number
  members: StepSample[]
}

/** Ascending by value, NaN last. */
function ascending(a: StepSample, b: StepSample): number {
  if (Number.isNaN(a.value)) return Number.isNaN(b.value) ? 0 : 1
  if (Number.isNaN(b.value)) return -1
  return a.value - b.value
}

/** Descending by value, NaN last. */
function descending(a: StepSample, b: StepSample): number {
  if (Number.isNaN(a.value)) return Number.isNaN(b.value) ? 0 : 1
  if (Number.isNaN(b.value)) return -1
  return b.value - a.value
}

export function aggregateStep(expr: VectorAggregationExpr, samples: StepSample[]): StepSample[] {
  const op = expr.op
  const mode = expr.grouping?.mode ?? 'by'
  const names = expr.grouping?.labels ?? []
  const k = expr.param ?? 0
  const keeps = op === 'topk' || op === 'bottomk' || op === 'approx_topk'
  if (keeps && k < 1) return []
  const groups = new Map<string, Group>()
  for (const s of samples) {
    const gl = mode === 'by' ? keepLabels(s.labels, names) : dropLabels(s.labels, [...names, '__name__'])
    const key = labelsKey(gl)
    const g = groups.get(key)
    if (!g) {
      groups.set(key, { labels: gl, value: op === 'stddev' || op === 'stdvar' ? 0 : s.value, mean: s.value, count: 1, members: [s] })
      continue
    }
    switch (op) {
      case 'sum':
        g.value += s.value
        break
      case 'avg':
        g.count++
        g.mean += (s.value - g.mean) / g.count
        break
      case 'max':
        if (g.value < s.value || Number.isNaN(g.value)) g.value = s.value
        break
      case 'min':
        if (g.value > s.value || Number.isNaN(g.value)) g.value = s.value
        break
      case 'count':
        g.count++
        break
      case 'stddev':
      case 'stdvar': {
        g.count++
        const delta = s.value - g.mean
        g.mean += delta / g.count
        g.value += delta * (s.value - g.mean)
        break
      }
      default:
        g.members.push(s)
    }
  }
  const out: StepSample[] = []
  for (const g of groups.values()) {
    switch (op) {
      case 'avg':
        out.push({ labels: g.labels, value: g.mean })
        break
      case 'count':
        out.push({ labels: g.labels, value: g.count })
        break
      case 'stddev':
        out.push({ labels: g.labels, value: Math.sqrt(g.value / g.count) })
        break
      case 'stdvar':
        out.push({ labels: g.labels, value: g.value / g.count })
        break
      case 'topk':
      case 'approx_topk':
        out.push(...[...g.members].sort(descending).slice(0, k))
        break
      case 'bottomk':
        out.push(...[...g.members].sort(ascending).slice(0, k))
        break
      case 'sort':
        out.push(...[...g.members].sort(ascending))
        break
      case 'sort_desc':
        out.push(...[...g.members].sort(descending))
        break
      default:
        out.push({ labels: g.labels, value: g.value })
    }
  }
  return out
}

export function evaluateVectorAggregation(expr: VectorAggregationExpr, input: VectorValue, steps: number): VectorValue {
  const collector = new SeriesCollector(steps, labelsKey)
  for (let i = 0; i < steps; i++) {
    for (const s of aggregateStep(expr, samplesAt(input, i))) collector.set(s.labels, i, s.value)
  }
  return collector.toValue()
}
