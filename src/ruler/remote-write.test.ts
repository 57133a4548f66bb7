import { describe, expect, it } from 'vitest'
import { PbfReader } from 'pbf'
import { encodeWriteRequest } from './remote-write'

interface Decoded {
  labels: Array<[string, string]>
  samples: Array<[number, number]>
}

/** Reads a prompb.WriteRequest back, field by field. */
function decode(buf: Uint8Array): Decoded[] {
  const out: Decoded[] = []
  new PbfReader(buf).readFields((tag, acc: Decoded[], pbf) => {
    if (tag !== 1 || !pbf) return
    const ts: Decoded = { labels: [], samples: [] }
    pbf.readMessage((t2, series: Decoded, p2) => {
      if (!p2) return
      if (t2 === 1) {
        const l: [string, string] = ['', '']
        p2.readMessage((t3, lab: [string, string], p3) => {
          if (!p3) return
          if (t3 === 1) lab[0] = p3.readString()
          if (t3 === 2) lab[1] = p3.readString()
        }, l)
        series.labels.push(l)
      } else if (t2 === 2) {
        const s: [number, number] = [0, 0]
        p2.readMessage((t3, smp: [number, number], p3) => {
          if (!p3) return
          if (t3 === 1) smp[0] = p3.readDouble()
          if (t3 === 2) smp[1] = p3.readVarint(true)
        }, s)
        series.samples.push(s)
      }
    }, ts)
    acc.push(ts)
  }, out)
  return out
}

describe('remote-write request', () => {
  it('encodes each series with its labels sorted by name and one sample', () => {
    const body = encodeWriteRequest([
      { labels: { z: '1', __name__: 'm:r', app: 'api' }, value: 2.5, timeMs: 1_700_000_000_123 },
      { labels: { __name__: 'm:r' }, value: -1, timeMs: 5 },
    ])
    expect(decode(body)).toEqual([
      { labels: [['__name__', 'm:r'], ['app', 'api'], ['z', '1']], samples: [[2.5, 1_700_000_000_123]] },
      { labels: [['__name__', 'm:r']], samples: [[-1, 5]] },
    ])
  })
})
