/**
 * Replaying the recorded Loki tail frames (test/fixtures/tail/frames.json) against this project:
 * the recorded pushes with this run's app name and timestamps, and the normalization that maps a
 * received frame back to the recorded form (app name → APP, pushed timestamps → T0, T1, ...).
 */
import recorded from './fixtures/tail/frames.json'
import { rfc3339Nano } from '../src/util/time'

export type PushedValue = [string, string] | [string, string, Record<string, string>]

export interface ReplayPush {
  stream: Record<string, string>
  values: PushedValue[]
}

export interface RecordedSocket {
  name: string
  path: string
  query: string
  limit?: string
  categorize: boolean
  frames: string[]
}

export const recordedSockets = recorded.sockets as RecordedSocket[]

/** The recorded pushes, each entry 1 ms after `bases[i]`; `tokens` maps timestamps back. */
export function replayPushes(app: string, bases: readonly bigint[]): { pushes: ReplayPush[][]; tokens: Map<string, string> } {
  const tokens = new Map<string, string>()
  const pushes = (recorded.pushes as unknown as ReplayPush[][]).map((push, i) => {
    let step = 0n
    return push.map((s) => ({
      stream: Object.fromEntries(Object.entries(s.stream).map(([k, v]) => [k, v === 'APP' ? app : v])),
      values: s.values.map((v) => {
        const ts = (bases[i]! + ++step * 1_000_000n).toString()
        tokens.set(ts, v[0])
        tokens.set(rfc3339Nano(BigInt(ts)), v[0])
        return [ts, ...v.slice(1)] as PushedValue
      }),
    }))
  })
  return { pushes, tokens }
}

export function normalizeFrame(frame: string, app: string, tokens: ReadonlyMap<string, string>): string {
  return frame
    .split(app)
    .join('APP')
    .replace(/"(\d{19}|\d{4}-\d\d-\d\dT[\d:.]+Z)"/g, (m, t: string) => (tokens.has(t) ? `"${tokens.get(t)}"` : m))
}

/** The socket's tail parameters for this run. */
export function socketParams(s: RecordedSocket, app: string, start: bigint): Record<string, string> {
  const params: Record<string, string> = { query: s.query.split('APP').join(app), start: start.toString() }
  if (s.limit) params.limit = s.limit
  return params
}

export const CATEGORIZE_HEADERS: Record<string, string> = { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' }
