/**
 * Live tail: new entries become rows at the top of the list; paused, they wait in a buffer and
 * are shown on resume. Without a tenant or token it follows Loki's WebSocket
 * (`/loki/api/v1/tail`); with one it polls `query_range` (live-poll.mts), since a browser sends
 * no headers on a WebSocket.
 */
import { tailFrameStreams, tailUrl, type Credentials } from './api.mjs'
import { TailPoller } from './live-poll.mjs'
import { compareNs, rowsOf, type LogRow } from './log-rows.mjs'

export interface TailEvents {
  rows(rows: readonly LogRow[]): void
  state(text: string): void
}

export class LiveTail {
  private stopSource: (() => void) | null = null
  private paused = false
  private buffer: LogRow[] = []

  constructor(private readonly events: TailEvents) {}

  get running(): boolean {
    return this.stopSource !== null
  }

  start(query: string, startNs: bigint, limit: number, creds: Credentials): void {
    this.stop()
    this.paused = false
    if (creds.tenant === '' && creds.token === '') this.openSocket(query, startNs, limit)
    else this.startPolling(query, startNs, limit, creds)
  }

  private receive(rows: readonly LogRow[]): void {
    if (this.paused) this.buffer.push(...rows)
    else this.events.rows(rows)
  }

  private openSocket(query: string, startNs: bigint, limit: number): void {
    let opened = false
    const socket = new WebSocket(tailUrl(location.href, query, startNs, limit))
    const stop = (): void => socket.close(1000)
    this.stopSource = stop
    socket.addEventListener('open', () => {
      opened = true
      this.events.state('Live: waiting for new lines…')
    })
    socket.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (typeof e.data === 'string') this.receive(rowsOf(tailFrameStreams(e.data)))
    })
    socket.addEventListener('close', (e) => {
      if (this.stopSource !== stop) return
      this.stopSource = null
      if (!opened) this.events.state('Live tail could not connect: the server refused the WebSocket.')
      else this.events.state(e.reason ? `Live tail closed: ${e.reason}` : 'Live tail stopped.')
    })
  }

  private startPolling(query: string, startNs: bigint, limit: number, creds: Credentials): void {
    const stop = (): void => poller.stop()
    const poller = new TailPoller(query, startNs, limit, creds, {
      rows: (rows) => this.receive(rows),
      state: (text) => {
        if (!this.paused) this.events.state(text)
      },
      failed: (message) => {
        if (this.stopSource !== stop) return
        this.stopSource = null
        this.events.state(`Live tail stopped: ${message}`)
      },
    })
    this.stopSource = stop
  }

  /** Pauses or resumes; resuming shows what arrived meanwhile. */
  togglePause(): boolean {
    this.paused = !this.paused
    if (!this.paused && this.buffer.length > 0) {
      const rows = this.buffer.sort((a, b) => compareNs(b.ts, a.ts))
      this.buffer = []
      this.events.rows(rows)
    }
    this.events.state(this.paused ? 'Live tail paused.' : 'Live: waiting for new lines…')
    return this.paused
  }

  stop(): void {
    const stop = this.stopSource
    if (stop === null) return
    this.stopSource = null
    this.buffer = []
    stop()
    this.events.state('Live tail stopped.')
  }
}
