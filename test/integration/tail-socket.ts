/**
 * A WebSocket client for tail tests inside the Workers runtime: opens `/loki/api/v1/tail` through
 * the real Worker (`Upgrade: websocket` answers with the client end), collects text frames and
 * the close, and waits for frames with a deadline so a missing frame fails instead of hanging.
 */
import { call } from '../helpers'

export interface TailSocket {
  readonly ws: WebSocket
  readonly frames: string[]
  readonly closed: Promise<{ code: number; reason: string }>
  /** Resolves once `n` frames in all have arrived; rejects after `ms`. */
  frameCount(n: number, ms?: number): Promise<string[]>
  /** Every entry received so far, flattened: [ts, line, labels]. */
  entries(): Array<{ ts: string; line: string; stream: Record<string, string> }>
  close(): void
}

export interface OpenOptions {
  readonly path?: string
  readonly headers?: Record<string, string>
  /** Wrangler vars to override for the Worker side of this request. */
  readonly vars?: Record<string, string>
}

export function fetchTail(params: Record<string, string>, opts: OpenOptions = {}): Promise<Response> {
  return call(`${opts.path ?? '/loki/api/v1/tail'}?${new URLSearchParams(params)}`, {
    headers: { Upgrade: 'websocket', ...(opts.headers ?? {}) },
    ...(opts.vars ? { vars: opts.vars } : {}),
  })
}

export async function openTail(params: Record<string, string>, opts: OpenOptions = {}): Promise<TailSocket> {
  const res = await fetchTail(params, opts)
  if (res.status !== 101 || !res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`)
  const ws = res.webSocket
  ws.accept()
  const frames: string[] = []
  const waiters: Array<() => void> = []
  ws.addEventListener('message', (ev) => {
    frames.push(typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer))
    for (const w of waiters.splice(0)) w()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.addEventListener('close', (ev) => {
      resolve({ code: ev.code, reason: ev.reason })
      for (const w of waiters.splice(0)) w()
    })
  })
  return {
    ws,
    frames,
    closed,
    async frameCount(n, ms = 5000) {
      const deadline = Date.now() + ms
      while (frames.length < n) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`expected ${n} frames, got ${frames.length}: ${frames.join('\n')}`)
        await new Promise<void>((r) => {
          const t = setTimeout(r, left)
          waiters.push(() => {
            clearTimeout(t)
            r()
          })
        })
      }
      return frames.slice(0, n)
    },
    entries() {
      const out: Array<{ ts: string; line: string; stream: Record<string, string> }> = []
      for (const f of frames) {
        const body = JSON.parse(f) as { streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> }
        for (const s of body.streams) for (const [ts, line] of s.values) out.push({ ts, line, stream: s.stream })
      }
      return out
    },
    close() {
      try {
        ws.close(1000, 'done')
      } catch {
        // already closed
      }
    },
  }
}

/** Resolves after `ms` (lets forwarded entries arrive when a test asserts that none do). */
export function settle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** The lines of the first n entries the socket receives (8 s at most). */
export async function lines(sock: TailSocket, n: number): Promise<string[]> {
  const deadline = Date.now() + 8000
  while (sock.entries().length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} entries, got ${JSON.stringify(sock.entries())}`)
    await sock.frameCount(sock.frames.length + 1, deadline - Date.now()).catch(() => undefined)
  }
  return sock.entries().map((e) => e.line)
}
