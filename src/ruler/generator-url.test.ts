import { describe, expect, it } from 'vitest'
import { generatorURL } from './generator-url'

describe('generatorURL', () => {
  it('is the Explore link Loki 3.7.6 sent to Alertmanager for the same rule', () => {
    // Recorded from Alertmanager's /api/v2/alerts after Loki 3.7.6 fired this rule.
    expect(generatorURL('sum by (app) (count_over_time({app="api"} |= "error" [5m])) > 0')).toBe(
      '/explore?left=%7B%22queries%22%3A%5B%7B%22expr%22%3A%22%28sum+by+%28app%29%28count_over_time%28%7Bapp%3D%5C%22api%5C%22%7D+%7C%3D+%5C%22error%5C%22%5B5m%5D%29%29+%5Cu003e+0%29%22%2C%22queryType%22%3A%22range%22%7D%5D%7D',
    )
  })
})
