/**
 * Recording-rule samples sent with Prometheus' remote-write protocol 0.1.0: a snappy-compressed
 * (block format) protobuf WriteRequest, retried on network errors, 429 and 5xx.
 */
import { PbfWriter } from 'pbf'
import { compress } from 'snappyjs'
import { endpoint } from './endpoint'

export interface Series {
  /** Labels including `__name__`. */
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
  readonly timeMs: number
}

/** prompb.WriteRequest { repeated TimeSeries timeseries = 1 }, labels sorted by name. */
export function encodeWriteRequest(series: readonly Series[]): Uint8Array {
  const pbf = new PbfWriter()
  for (const s of series) {
    pbf.writeMessage(1, (ts: Series, w: PbfWriter) => {
      for (const name of Object.keys(ts.labels).sort()) {
        w.writeMessage(1, (l: readonly [string, string], lw: PbfWriter) => {
          lw.writeStringField(1, l[0])
          lw.writeStringField(2, l[1])
        }, [name, ts.labels[name] as string] as const)
      }
      w.writeMessage(2, (x: Series, sw: PbfWriter) => {
        sw.writeDoubleField(1, x.value)
        sw.writeVarintField(2, x.timeMs)
      }, ts)
    }, s)
  }
  return pbf.finish()
}

export class RemoteWriteError extends Error {}

const ATTEMPTS = 3
/** Prometheus' remote_timeout. */
const TIMEOUT_MS = 30_000

/** Posts one WriteRequest; throws RemoteWriteError with the receiver's answer after the retries. */
export async function sendWriteRequest(url: string, body: Uint8Array): Promise<void> {
  const compressed = compress(body)
  let to: ReturnType<typeof endpoint>
  try {
    to = endpoint(url)
  } catch {
    throw new RemoteWriteError('remote write failed: ruler_remote_write_url is not a valid URL')
  }
  let last = ''
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const res = await fetch(to.url, {
        method: 'POST',
        headers: {
          ...to.headers,
          'Content-Encoding': 'snappy',
          'Content-Type': 'application/x-protobuf',
          'User-Agent': 'edgeloki-ruler',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        body: compressed,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
      const text = await res.text()
      if (res.ok) return
      last = `server returned HTTP status ${res.status} ${res.statusText}: ${text.trim()}`
      if (res.status !== 429 && res.status < 500) break
    } catch (e) {
      last = e instanceof Error ? e.message : String(e)
    }
  }
  throw new RemoteWriteError(`remote write to ${to.url} failed: ${last}`)
}
