import { describe, expect, it } from 'vitest'
import { encodeFrame } from './frames'
import type { TailEntry } from './entry'

const entry: TailEntry = {
  ts: 1_700_000_000_123_000_000n,
  line: 'a <b> & c',
  labels: { app: 'x<y', level: 'info' },
  stream: { app: 'x<y' },
  structuredMetadata: [['trace_id', 'abc']],
  parsed: [['level', 'info']],
}
const dropped = [{ ts: 1_700_000_000_000_000_000n, labels: { app: 'x<y' } }]

describe('tail frames', () => {
  it('escapes lines but not labels in the v1 encoding, dropped entries after the streams', () => {
    expect(encodeFrame('v1', [entry], dropped)).toBe(
      '{"streams":[{"stream":{"app":"x<y","level":"info"},"values":[["1700000000123000000","a \\u003cb\\u003e \\u0026 c"]]}],' +
        '"dropped_entries":[{"timestamp":"1700000000000000000","labels":{"app":"x<y"}}]}',
    )
  })

  it('puts encodingFlags last in the categorized encoding', () => {
    expect(encodeFrame('v1-categorized', [entry], dropped)).toBe(
      '{"streams":[{"stream":{"app":"x<y"},"values":[["1700000000123000000","a \\u003cb\\u003e \\u0026 c",' +
        '{"structuredMetadata":{"trace_id":"abc"},"parsed":{"level":"info"}}]]}],' +
        '"dropped_entries":[{"timestamp":"1700000000000000000","labels":{"app":"x<y"}}],"encodingFlags":["categorize-labels"]}',
    )
  })

  it('writes the legacy encoding as encoding/json does, dropped entries with Go field names', () => {
    expect(encodeFrame('legacy', [entry], [])).toBe(
      '{"streams":[{"labels":"{app=\\"x\\u003cy\\", level=\\"info\\"}","entries":[{"ts":"2023-11-14T22:13:20.123Z","line":"a \\u003cb\\u003e \\u0026 c","parsed":{"level":"info"}}]}],"dropped_entries":null}\n',
    )
    expect(encodeFrame('legacy-categorized', [entry], dropped)).toBe(
      '{"streams":[{"labels":"{app=\\"x\\u003cy\\"}","entries":[{"ts":"2023-11-14T22:13:20.123Z","line":"a \\u003cb\\u003e \\u0026 c","parsed":{"level":"info"}}]}],' +
        '"dropped_entries":[{"Timestamp":"2023-11-14T22:13:20Z","Labels":"{app=\\"x\\u003cy\\"}"}]}\n',
    )
  })
})
