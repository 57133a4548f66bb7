import { describe, expect, it } from 'vitest'
import { constantValue } from './prom-constant'

describe('number-only expressions', () => {
  it.each([
    ['1+1', 2],
    [' 2 * (3 - 1) ', 4],
    ['-1.5e3 / 2', -750],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['7 % 4 + 0x10', 19],
    ['1 / 0', Infinity],
  ])('%s is %d', (q, v) => {
    expect(constantValue(q)).toBe(v)
  })

  it.each(['', 'up', '1 +', '(1', '1 1', 'sum(1)', '1 + x'])('%j is not one', (q) => {
    expect(constantValue(q)).toBeNull()
  })
})
