/**
 * Binary operators between scalars and vectors, step by step, after Loki's `evaluator.go`
 * (`vectorBinop`, `vectorAnd/Or/Unless`, `resultMetric`, `LiteralStepEvaluator`) and
 * `syntax.MergeBinOp`. Loki departs from Prometheus in a few places that are kept here:
 * `x / 0` and `x % 0` are NaN, and a comparison between a vector and a scalar keeps the
 * vector's value whichever side the scalar is on.
 */
import type { BinOp, BinOpExpr, VectorMatching } from '../syntax/ast'
import { EvaluationError, QueryError } from './errors'
import { dropLabels, keepLabels, labelsKey } from './labels'
import type { Labels } from './source'
import { SeriesCollector, samplesAt, type StepSample, type StepValue, type VectorValue } from './value'

const COMPARISONS = new Set<BinOp>(['==', '!=', '>', '>=', '<', '<='])
const SET_OPS = new Set<BinOp>(['and', 'or', 'unless'])

export function isComparison(op: BinOp): boolean {
  return COMPARISONS.has(op)
}

/** Go's math.Pow where it differs from IEEE `**`. */
export function goPow(x: number, y: number): number {
  if (y === 0) return 1
  if (x === 1) return 1
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1
  return x ** y
}

/**
 * The value of `l op r`, or null when a filtering comparison drops the sample. Comparisons
 * give 1/0 here; callers that filter substitute the vector value.
 */
export function applyOp(op: BinOp, l: number, r: number, filter: boolean): number | null {
  switch (op) {
    case '+':
      return l + r
    case '-':
      return l - r
    case '*':
      return l * r
    case '/':
      return r === 0 ? NaN : l / r
    case '%':
      return r === 0 ? NaN : l % r
    case '^':
      return goPow(l, r)
    case '==':
      return l === r ? 1 : filter ? null : 0
    case '!=':
      return l !== r ? 1 : filter ? null : 0
    case '>':
      return l > r ? 1 : filter ? null : 0
    case '>=':
      return l >= r ? 1 : filter ? null : 0
    case '<':
      return l < r ? 1 : filter ? null : 0
    case '<=':
      return l <= r ? 1 : filter ? null : 0
    default:
      throw new EvaluationError(`should never happen: unexpected operation: (${op})`)
  }
}

const DEFAULT_MATCHING: VectorMatching = { on: false, labels: [], card: 'one-to-one', include: [] }

function signature(l: Labels, m: VectorMatching): string {
  return labelsKey(m.on ? keepLabels(l, m.labels) : dropLabels(l, m.labels))
}

function resultMetric(lhs: Labels, rhs: Labels, m: VectorMatching): Labels {
  const base = m.card === 'one-to-one' ? (m.on ? keepLabels(lhs, m.labels) : dropLabels(lhs, m.labels)) : lhs
  if (m.include.length === 0) return base
  const out: Record<string, string> = { ...base }
  for (const name of m.include) {
    const v = rhs[name]
    if (v !== undefined && v !== '') out[name] = v
    else delete out[name]
  }
  return out
}

function vectorBinop(expr: BinOpExpr, lhsIn: StepSample[], rhsIn: StepSample[]): StepSample[] {
  const m = expr.matching ?? DEFAULT_MATCHING
  const swap = m.card === 'one-to-many'
  const lhs = swap ? rhsIn : lhsIn
  const rhs = swap ? lhsIn : rhsIn
  const rightSigs = new Map<string, StepSample>()
  for (const s of rhs) {
    const sig = signature(s.labels, m)
    if (rightSigs.has(sig)) {
      throw new EvaluationError(
        `found duplicate series on the ${swap ? 'left' : 'right'} hand-side;many-to-many matching not allowed: matching labels must be unique on one side`,
      )
    }
    rightSigs.set(sig, s)
  }
  const matched = new Map<string, Set<string> | null>()
  const filter = !expr.returnBool
  const cmp = isComparison(expr.op)
  const out: StepSample[] = []
  for (const s of lhs) {
    const sig = signature(s.labels, m)
    const r = rightSigs.get(sig)
    if (!r) continue
    const metric = resultMetric(s.labels, r.labels, m)
    if (m.card === 'one-to-one') {
      if (matched.has(sig)) {
        throw new EvaluationError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        )
      }
      matched.set(sig, null)
    } else {
      let inserted = matched.get(sig)
      const metricKey = labelsKey(metric)
      if (!inserted) {
        inserted = new Set()
        matched.set(sig, inserted)
      } else if (inserted.has(metricKey)) {
        throw new EvaluationError('multiple matches for labels: grouping labels must ensure unique matches')
      }
      inserted.add(metricKey)
    }
    const left = swap ? r : s
    const right = swap ? s : r
    const v = applyOp(expr.op, left.value, right.value, filter)
    if (v === null) continue
    out.push({ labels: metric, value: cmp && filter ? left.value : v })
  }
  return out
}

function setOp(op: BinOp, m: VectorMatching, lhs: StepSample[], rhs: StepSample[]): StepSample[] {
  const rsigs = new Set(rhs.map((s) => signature(s.labels, m)))
  switch (op) {
    case 'and':
      if (lhs.length === 0 || rhs.length === 0) return []
      return lhs.filter((s) => rsigs.has(signature(s.labels, m)))
    case 'unless':
      if (lhs.length === 0 || rhs.length === 0) return lhs
      return lhs.filter((s) => !rsigs.has(signature(s.labels, m)))
    default: {
      if (lhs.length === 0) return rhs
      if (rhs.length === 0) return lhs
      const lsigs = new Set(lhs.map((s) => signature(s.labels, m)))
      return [...lhs, ...rhs.filter((s) => !lsigs.has(signature(s.labels, m)))]
    }
  }
}

/** `vector op scalar` (scalarOnLeft false) or `scalar op vector` (true), per sample. */
function literalBinop(expr: BinOpExpr, vec: StepSample[], scalar: number, scalarOnLeft: boolean): StepSample[] {
  const filter = !expr.returnBool
  const cmp = isComparison(expr.op)
  const out: StepSample[] = []
  for (const s of vec) {
    const v = scalarOnLeft ? applyOp(expr.op, scalar, s.value, filter) : applyOp(expr.op, s.value, scalar, filter)
    if (v === null) continue
    out.push({ labels: s.labels, value: cmp && filter ? s.value : v })
  }
  return out
}

export function evaluateBinOp(expr: BinOpExpr, left: StepValue, right: StepValue, steps: number): StepValue {
  if (left.kind === 'scalar' && right.kind === 'scalar') {
    const values = new Float64Array(steps)
    for (let i = 0; i < steps; i++) values[i] = applyOp(expr.op, left.values[i] ?? NaN, right.values[i] ?? NaN, false) ?? NaN
    return { kind: 'scalar', values }
  }
  if (SET_OPS.has(expr.op) && (left.kind === 'scalar' || right.kind === 'scalar')) {
    throw new QueryError(`unexpected binary operation: set operator "${expr.op}" not allowed in binary scalar expression`)
  }
  const collector = new SeriesCollector(steps, labelsKey)
  for (let i = 0; i < steps; i++) {
    let samples: StepSample[]
    if (left.kind === 'scalar') {
      samples = literalBinop(expr, samplesAt(right as VectorValue, i), left.values[i] ?? NaN, true)
    } else if (right.kind === 'scalar') {
      samples = literalBinop(expr, samplesAt(left, i), right.values[i] ?? NaN, false)
    } else if (SET_OPS.has(expr.op)) {
      samples = setOp(expr.op, expr.matching ?? DEFAULT_MATCHING, samplesAt(left, i), samplesAt(right, i))
    } else {
      samples = vectorBinop(expr, samplesAt(left, i), samplesAt(right, i))
    }
    for (const s of samples) collector.set(s.labels, i, s.value)
  }
  return collector.toValue()
}
