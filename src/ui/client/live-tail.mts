/**
 * Live tail over Loki's WebSocket (`/loki/api/v1/tail`): frames become rows at the top of the
 * list; paused, they wait in a buffer and are shown on resume.
 */
import { tailFrameStreams, tailUrl } from './api.mjs'
import { compareNs, rowsOf, type LogRow } from './log-rows.mjs'

export interface TailEvents {
  rows(rows: readonly LogRow[]): void
  state(text: string): void
}

export class LiveTail {
  private socket: WebSocket | null = null
  private paused = false
  private buffer: LogRow[] = []

  constructor(private readonly events: TailEvents) {}

  get running(): boolean {
    return this.socket !== null
  }

  start(query: string, startNs: bigint, limit: number): void {
    this.stop()
    this.paused = false
    let opened = false
    const socket = new WebSocket(tailUrl(location.href, query, startNs, limit))
    this.socket = socket
    socket.addEventListener('open', () => {
      opened = true
      this.events.state('Live: waiting for new lines…')
    })
    socket.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (typeof e.data !== 'string') return
      const rows = rowsOf(tailFrameStreams(e.data))
      if (this.paused) this.buffer.push(...rows)
      else this.events.rows(rows)
    })
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return
      this.socket = null
      if (!opened) this.events.state('Live tail could not connect: the server refused the WebSocket.')
      else this.events.state(e.reason ? `Live tail closed: ${e.reason}` : 'Live tail stopped.')
    })
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
    const socket = this.socket
    if (socket === null) return
    this.socket = null
    this.buffer = []
    socket.close(1000)
    this.events.state('Live tail stopped.')
  }
}
