import { describe, expect, it } from 'vitest'
import { tailFrameStreams, tailUrl } from './api.mjs'

describe('tailUrl', () => {
  it('opens the tail on the page\'s own server, ws or wss as the page', () => {
    expect(tailUrl('http://127.0.0.1:3100/?query=x', '{app="a"} |= "b"', 5n, 100)).toBe(
      'ws://127.0.0.1:3100/loki/api/v1/tail?query=%7Bapp%3D%22a%22%7D+%7C%3D+%22b%22&start=5&limit=100',
    )
    expect(tailUrl('https://logs.example.com/explore', '{a="b"}', 1n, 1)).toMatch(/^wss:\/\/logs\.example\.com\/loki\/api\/v1\/tail\?/)
  })
})

describe('tailFrameStreams', () => {
  it('reads a frame\'s streams and skips malformed values', () => {
    const frame = JSON.stringify({ streams: [{ stream: { app: 'a', n: 1 }, values: [['1', 'one'], ['2'], [3, 'x'], ['4', 'four']] }], dropped_entries: null })
    expect(tailFrameStreams(frame)).toEqual([
      {
        labels: { app: 'a' },
        values: [
          { ts: '1', line: 'one', metadata: {}, parsed: {} },
          { ts: '4', line: 'four', metadata: {}, parsed: {} },
        ],
      },
    ])
  })

  it('reads nothing from a frame without streams', () => {
    expect(tailFrameStreams('{"dropped_entries":[{"labels":"{}","timestamp":"1"}]}')).toEqual([])
  })
})
