/**
 * Binary operators: Loki's arithmetic and comparison rules, vector matching with
 * on/ignoring/group_left/group_right, set operators and the matching errors.
 */
import { describe, expect, it } from 'vitest'
import type { BinOp, VectorMatching } from '../syntax/ast'
import { applyOp, evaluateBinOp, goPow } from './binop'
import { EvaluationError } from './errors'
import { bin, lit, vec } from '../../../test/support/engine-ast'
import { newSeries, type StepValue, type VectorValue } from './value'

function v(...samples: Array<[Record<string, string>, number]>): VectorValue {
  return {
    kind: 'vector',
    series: samples.map(([labels, value]) => {
      const s = newSeries(labels, 1)
      s.present[0] = 1
      s.values[0] = value
      return s
    }),
  }
}
const scalar = (x: number): StepValue => ({ kind: 'scalar', values: Float64Array.of(x) })

function run(op: BinOp, l: StepValue, r: StepValue, o: { bool?: boolean; matching?: VectorMatching } = {}) {
  const out = evaluateBinOp(bin(op, vec(0), vec(0), o), l, r, 1)
  if (out.kind === 'scalar') return out.values[0]
  return out.series.map((s) => [s.labels, s.values[0]])
}

const on = (labels: string[], card: VectorMatching['card'] = 'one-to-one', include: string[] = []): VectorMatching => ({ on: true, labels, card, include })
const ignoring = (labels: string[], card: VectorMatching['card'] = 'one-to-one', include: string[] = []): VectorMatching => ({ on: false, labels, card, include })

describe('applyOp', () => {
  it.each([
    ['+', 1, 2, 3],
    ['-', 1, 2, -1],
    ['*', 3, 2, 6],
    ['/', 3, 2, 1.5],
    ['%', 7, 4, 3],
    ['%', -7, 4, -3],
    ['^', 2, 10, 1024],
    ['==', 2, 2, 1],
    ['!=', 2, 2, 0],
    ['>', 3, 2, 1],
    ['<=', 3, 2, 0],
  ] as const)('%s %d %d = %d', (op, l, r, want) => {
    expect(applyOp(op, l, r, false)).toBe(want)
  })
  it('division and modulo by zero are NaN, as in Loki', () => {
    expect(applyOp('/', 1, 0, false)).toBeNaN()
    expect(applyOp('%', 1, 0, false)).toBeNaN()
  })
  it('a failed filtering comparison drops the sample', () => {
    expect(applyOp('>', 1, 2, true)).toBeNull()
  })
  it('Go Pow special cases', () => {
    expect(goPow(1, NaN)).toBe(1)
    expect(goPow(-1, Infinity)).toBe(1)
    expect(goPow(NaN, 0)).toBe(1)
  })
})

describe('scalar and vector operands', () => {
  it('scalar precedence result 1 + 2 * 3 - 10 % 4 + 2 ^ 3 ^ 2 folds to 517', () => {
    expect(run('+', scalar(1 + 2 * 3 - (10 % 4)), scalar(goPow(2, goPow(3, 2))))).toBe(517)
  })
  it('vector / scalar keeps labels', () => {
    expect(run('/', v([{ a: '1' }, 6]), scalar(3))).toEqual([[{ a: '1' }, 2]])
  })
  it('scalar - vector keeps operand order', () => {
    expect(run('-', scalar(10), v([{ a: '1' }, 3]))).toEqual([[{ a: '1' }, 7]])
  })
  it('vector > scalar filters and keeps the vector value', () => {
    expect(run('>', v([{ a: '1' }, 6], [{ a: '2' }, 1]), scalar(3))).toEqual([[{ a: '1' }, 6]])
  })
  it('scalar < vector keeps the vector value too', () => {
    expect(run('<', scalar(3), v([{ a: '1' }, 6], [{ a: '2' }, 1]))).toEqual([[{ a: '1' }, 6]])
  })
  it('vector > bool scalar gives 0/1 for every sample', () => {
    expect(run('>', v([{ a: '1' }, 6], [{ a: '2' }, 1]), scalar(3), { bool: true })).toEqual([
      [{ a: '1' }, 1],
      [{ a: '2' }, 0],
    ])
  })
  it('a literal-only tree stays scalar', () => {
    const out = evaluateBinOp(bin('*', lit(2), lit(3)), scalar(2), scalar(3), 1)
    expect(out.kind).toBe('scalar')
  })
})

describe('vector matching', () => {
  const left = v([{ env: 'prod', c: 'x' }, 10], [{ env: 'prod', c: 'y' }, 20], [{ env: 'dev', c: 'x' }, 5])
  const right = v([{ env: 'prod' }, 2], [{ env: 'dev' }, 5])

  it('identical label sets match one-to-one', () => {
    expect(run('+', v([{ a: '1' }, 1], [{ a: '2' }, 2]), v([{ a: '1' }, 10], [{ a: '3' }, 30]))).toEqual([[{ a: '1' }, 11]])
  })
  it('on(env) keeps only env', () => {
    expect(run('/', v([{ env: 'prod', c: 'x' }, 10]), right, { matching: on(['env']) })).toEqual([[{ env: 'prod' }, 5]])
  })
  it('ignoring(c) group_left keeps the many side labels', () => {
    expect(run('/', left, right, { matching: ignoring(['c'], 'many-to-one') })).toEqual([
      [{ env: 'prod', c: 'x' }, 5],
      [{ env: 'prod', c: 'y' }, 10],
      [{ env: 'dev', c: 'x' }, 1],
    ])
  })
  it('group_left(extra) copies labels from the one side', () => {
    const one = v([{ env: 'prod', region: 'eu' }, 1])
    expect(run('*', v([{ env: 'prod', app: 'a' }, 3]), one, { matching: on(['env'], 'many-to-one', ['region']) })).toEqual([
      [{ env: 'prod', app: 'a', region: 'eu' }, 3],
    ])
  })
  it('group_right mirrors group_left', () => {
    expect(run('-', right, left, { matching: ignoring(['c'], 'one-to-many') })).toEqual([
      [{ env: 'prod', c: 'x' }, -8],
      [{ env: 'prod', c: 'y' }, -18],
      [{ env: 'dev', c: 'x' }, 0],
    ])
  })
  it('comparison between vectors filters on the left value', () => {
    expect(run('>', v([{ a: '1' }, 5], [{ a: '2' }, 1]), v([{ a: '1' }, 3], [{ a: '2' }, 3]))).toEqual([[{ a: '1' }, 5]])
  })
  it('many-to-one without group_left is an error', () => {
    expect(() => run('/', left, right, { matching: on(['env']) })).toThrow(
      new EvaluationError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'),
    )
  })
  it('duplicate series on the one side is a many-to-many error', () => {
    expect(() => run('/', right, left, { matching: on(['env']) })).toThrow(
      'found duplicate series on the right hand-side;many-to-many matching not allowed: matching labels must be unique on one side',
    )
  })
  it('group_right with duplicates on the left names the left side', () => {
    expect(() => run('/', left, right, { matching: on(['env'], 'one-to-many') })).toThrow('found duplicate series on the left hand-side')
  })
  it('evaluation errors are 500s', () => {
    try {
      run('/', left, right, { matching: on(['env']) })
    } catch (e) {
      expect((e as EvaluationError).status).toBe(500)
    }
  })
})

describe('set operators', () => {
  const a = v([{ app: 'x' }, 1], [{ app: 'y' }, 2])
  const b = v([{ app: 'y' }, 20], [{ app: 'z' }, 30])
  it('and keeps left samples matched on the right', () => {
    expect(run('and', a, b)).toEqual([[{ app: 'y' }, 2]])
  })
  it('or adds unmatched right samples', () => {
    expect(run('or', a, b)).toEqual([[{ app: 'x' }, 1], [{ app: 'y' }, 2], [{ app: 'z' }, 30]])
  })
  it('unless keeps left samples not on the right', () => {
    expect(run('unless', a, b)).toEqual([[{ app: 'x' }, 1]])
  })
  it('and with an empty side is empty', () => {
    expect(run('and', a, v())).toEqual([])
  })
})
