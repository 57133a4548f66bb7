/**
 * One Durable Object per tenant holding the tenant's live-tail WebSockets with the Hibernation
 * API: each socket's tail spec is its attachment, so an idle object hibernates and a woken one
 * rebuilds each socket's compiled query on the next entry. Entries stored by ingesters arrive in
 * `deliver`; each socket runs its own pipeline over them. A new socket first gets the entries
 * already stored (`backfill`, read by the Worker through the query path), then live ones.
 * Timeouts (`tail_max_duration`, `delay_for`, a backfill that never came) run on the alarm.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { unpackEntries } from '../ingester/packing'
import type { IngestEntry } from '../ingester/types'
import type { Labels } from '../logql/engine/source'
import { Delivery } from './delivery'
import { compareEntries, entryKey, type TailEntry } from './entry'
import { encodeFrame, MAX_ENTRIES_PER_FRAME } from './frames'
import {
  BACKFILL_AT_HEADER,
  SOCKET_ID_HEADER,
  SPEC_HEADER,
  SUMMARY_TTL_MS,
  type ForwardedStream,
  type TailSpec,
  type TailSummary,
} from './protocol'
import { TailQuery } from './tail-query'

/** Close code for a server-side error (gorilla's CloseInternalServerErr). */
const CLOSE_INTERNAL_ERROR = 1011
const MAX_DURATION_REASON = 'reached tail max duration limit'
/** A socket whose stored entries never came goes live anyway after this long. */
const BACKFILL_DEADLINE_MS = 60_000
/** Latency between this object answering a summary and the push path caching it. */
const SUMMARY_MARGIN_MS = 250
/** Beyond this many distinct queries the summary asks for every stream. */
const MAX_SUMMARY_QUERIES = 64
/** How long after its stored entries a socket still drops forwarded copies of them. */
const STORED_COPIES_MS = 10_000
/** A close reason is at most 123 bytes (RFC 6455 control frames carry 125). */
const MAX_REASON_BYTES = 123

interface Attachment {
  readonly id: string
  readonly spec: TailSpec
  readonly openedAt: number
  readonly backfilled: boolean
}

interface DecodedStream {
  readonly labels: Labels
  readonly packed: string
  readonly storedAt: number
  entries: IngestEntry[] | null
}

interface SocketState {
  readonly query: TailQuery
  readonly delivery: Delivery
  /** Keys of the stored entries sent, while a forwarded copy of one may still arrive. */
  stored: { readonly keys: ReadonlySet<string>; readonly until: number } | null
}

function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= MAX_REASON_BYTES) return text
  return new TextDecoder().decode(bytes.slice(0, MAX_REASON_BYTES)).replace(/\uFFFD$/, '')
}

function attachment(ws: WebSocket): Attachment | null {
  return (ws.deserializeAttachment() as Attachment | null) ?? null
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, closeReason(reason))
  } catch {
    // already closed
  }
}

/** Opens a socket that is closed at once with `reason`, as Loki answers tails it cannot serve. */
function refusedSocket(reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket]
  server.accept()
  server.close(CLOSE_INTERNAL_ERROR, closeReason(reason))
  return new Response(null, { status: 101, webSocket: client })
}

export class Tailer extends DurableObject<Env> {
  private readonly sockets = new Map<string, SocketState>()
  /** When this instance last told a push path which tails are open (0: never). */
  private lastAnswerAt = 0
  /** Per advertised query: from when every cached summary is known to include it. */
  private readonly advertisedFrom = new Map<string, number>()
  private alarmAt: number | null = null

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade') !== 'websocket') return new Response('expected a WebSocket upgrade', { status: 426 })
    const spec = JSON.parse(decodeURIComponent(request.headers.get(SPEC_HEADER) ?? '')) as TailSpec
    const open = this.openSockets().length
    if (open >= spec.maxConcurrent) {
      return refusedSocket(
        `rpc error: code = Code(400) desc = max concurrent tail requests limit exceeded, count > limit (${open + 1} > ${spec.maxConcurrent})`,
      )
    }
    if (spec.refusal !== undefined) return refusedSocket(spec.refusal)
    const now = Date.now()
    const id = crypto.randomUUID()
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket]
    this.ctx.acceptWebSocket(server, [id])
    const att: Attachment = { id, spec, openedAt: now, backfilled: false }
    server.serializeAttachment(att)
    this.stateOf(server, att)
    await this.scheduleAlarm(Math.min(now + BACKFILL_DEADLINE_MS, spec.maxDurationMs > 0 ? now + spec.maxDurationMs : Infinity))
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: { [SOCKET_ID_HEADER]: id, [BACKFILL_AT_HEADER]: String(this.backfillAt(spec.query, now)) },
    })
  }

  /** The open tails, for the push path's cache. */
  async summary(): Promise<TailSummary> {
    return this.answer()
  }

  /**
   * Entries just stored by ingesters: each socket's pipeline runs over the streams it selects. A
   * socket gets only pushes stored after it opened, as a Loki tail only sees pushes after it
   * registers; earlier ones are in its stored entries (up to its limit).
   */
  async deliver(streams: readonly ForwardedStream[]): Promise<TailSummary> {
    const now = Date.now()
    // Each stream is unpacked once, and only if some socket selects it.
    const decoded: DecodedStream[] = streams.map((s) => ({
      labels: Object.fromEntries(s.labels),
      packed: s.entries,
      storedAt: s.storedAt,
      entries: null,
    }))
    for (const ws of this.openSockets()) {
      const att = attachment(ws)
      if (!att) continue
      const st = this.stateOf(ws, att)
      const out: TailEntry[] = []
      for (const s of decoded) {
        if (s.storedAt < att.openedAt || !st.query.wants(s.labels)) continue
        s.entries ??= unpackEntries(s.packed)
        for (const e of st.query.process(s.labels, s.entries)) out.push(e)
      }
      if (out.length === 0) continue
      out.sort(compareEntries)
      if (!att.backfilled) st.delivery.wait(out)
      else this.sendLive(ws, att, st, withoutStored(st, out, now), now)
    }
    return this.answer()
  }

  /** The stored entries a socket starts with (oldest first); then what arrived meanwhile. */
  async backfill(id: string, entries: readonly TailEntry[]): Promise<void> {
    const ws = this.ctx.getWebSockets(id)[0]
    const att = ws && attachment(ws)
    if (!ws || !att || att.backfilled) return
    this.finishBackfill(ws, att, entries, Date.now())
  }

  /** The stored entries could not be read: the socket closes with the error, as Loki's does. */
  async fail(id: string, reason: string): Promise<void> {
    const ws = this.ctx.getWebSockets(id)[0]
    if (!ws) return
    this.sockets.delete(id)
    closeQuietly(ws, CLOSE_INTERNAL_ERROR, reason)
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null
    const now = Date.now()
    let next = Infinity
    for (const ws of this.openSockets()) {
      const att = attachment(ws)
      if (!att) continue
      const { spec } = att
      if (spec.maxDurationMs > 0) {
        const end = att.openedAt + spec.maxDurationMs
        if (now >= end) {
          this.sockets.delete(att.id)
          closeQuietly(ws, CLOSE_INTERNAL_ERROR, MAX_DURATION_REASON)
          continue
        }
        next = Math.min(next, end)
      }
      const st = this.stateOf(ws, att)
      if (!att.backfilled) {
        const deadline = att.openedAt + BACKFILL_DEADLINE_MS
        if (now >= deadline) this.finishBackfill(ws, att, [], now)
        else next = Math.min(next, deadline)
      }
      const due = st.delivery.release(now, dueAt(spec))
      if (due.length > 0) this.send(ws, att, st, due, now)
      const first = st.delivery.delayed[0]
      if (first) next = Math.min(next, dueAt(spec)(first))
    }
    if (Number.isFinite(next)) await this.scheduleAlarm(next)
  }

  override async webSocketMessage(): Promise<void> {
    // Loki reads and ignores whatever a tail client sends.
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    const att = attachment(ws)
    if (att) this.sockets.delete(att.id)
    closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, '')
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    const att = attachment(ws)
    if (att) this.sockets.delete(att.id)
  }

  private openSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN)
  }

  private stateOf(ws: WebSocket, att: Attachment): SocketState {
    let st = this.sockets.get(att.id)
    if (!st) {
      const format = att.spec.format
      st = {
        query: new TailQuery(att.spec.query),
        delivery: new Delivery(Date.now(), format === 'v1-categorized' || format === 'legacy-categorized'),
        stored: null,
      }
      this.sockets.set(att.id, st)
    }
    return st
  }

  /**
   * When a new socket may read stored entries without missing any: push paths that cached a
   * summary without its query forward nothing for it until that summary expires, so entries they
   * store before then must be in what the socket reads.
   */
  private backfillAt(query: string, now: number): number {
    const from = this.advertisedFrom.get(query)
    if (from !== undefined) return Math.max(now, from)
    return this.lastAnswerAt === 0 ? now : Math.max(now, this.lastAnswerAt + SUMMARY_TTL_MS + SUMMARY_MARGIN_MS)
  }

  private answer(): TailSummary {
    const now = Date.now()
    const queries = new Set<string>()
    for (const ws of this.openSockets()) {
      const att = attachment(ws)
      if (att) queries.add(att.spec.query)
    }
    for (const q of this.advertisedFrom.keys()) if (!queries.has(q)) this.advertisedFrom.delete(q)
    const safeFrom = this.lastAnswerAt === 0 ? now : this.lastAnswerAt + SUMMARY_TTL_MS + SUMMARY_MARGIN_MS
    for (const q of queries) if (!this.advertisedFrom.has(q)) this.advertisedFrom.set(q, safeFrom)
    this.lastAnswerAt = now
    return { queries: queries.size > MAX_SUMMARY_QUERIES ? null : [...queries] }
  }

  private finishBackfill(ws: WebSocket, att: Attachment, stored: readonly TailEntry[], now: number): void {
    const st = this.stateOf(ws, att)
    ws.serializeAttachment({ ...att, backfilled: true })
    const seen = new Set(stored.map(entryKey))
    // A push stored before the read may still be on its way here as a forward.
    st.stored = seen.size > 0 ? { keys: seen, until: now + STORED_COPIES_MS } : null
    const waiting = withoutStored(st, st.delivery.waiting.splice(0), now)
    this.frames(ws, att, st, stored)
    if (waiting.length > 0) this.sendLive(ws, { ...att, backfilled: true }, st, waiting, now)
  }

  private sendLive(ws: WebSocket, att: Attachment, st: SocketState, entries: readonly TailEntry[], now: number): void {
    if (att.spec.delayForMs === 0) {
      this.send(ws, att, st, entries, now)
      return
    }
    const due = st.delivery.hold(entries, now, dueAt(att.spec))
    if (due.length > 0) this.send(ws, att, st, due, now)
    const first = st.delivery.delayed[0]
    if (first) void this.scheduleAlarm(dueAt(att.spec)(first))
  }

  /** Sends what the socket's bucket admits; the rest is reported with the next frame, as Loki does. */
  private send(ws: WebSocket, att: Attachment, st: SocketState, entries: readonly TailEntry[], now: number): void {
    const n = st.delivery.admit(entries.length, now)
    this.frames(ws, att, st, n === entries.length ? entries : entries.slice(0, n))
    if (n < entries.length) st.delivery.drop(entries.slice(n))
  }

  private frames(ws: WebSocket, att: Attachment, st: SocketState, entries: readonly TailEntry[]): void {
    try {
      for (let i = 0; i < entries.length; i += MAX_ENTRIES_PER_FRAME) {
        ws.send(encodeFrame(att.spec.format, entries.slice(i, i + MAX_ENTRIES_PER_FRAME), i === 0 ? st.delivery.takeDropped() : []))
      }
    } catch {
      // The socket closed meanwhile; its close event cleans up.
    }
  }

  private async scheduleAlarm(at: number): Promise<void> {
    if (!Number.isFinite(at)) return
    if (this.alarmAt === null) this.alarmAt = await this.ctx.storage.getAlarm()
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    await this.ctx.storage.setAlarm(at)
  }
}

function withoutStored(st: SocketState, entries: readonly TailEntry[], now: number): readonly TailEntry[] {
  const stored = st.stored
  if (!stored) return entries
  if (now >= stored.until) {
    st.stored = null
    return entries
  }
  return entries.filter((e) => !stored.keys.has(entryKey(e)))
}

function dueAt(spec: TailSpec): (e: TailEntry) => number {
  return (e) => Number(e.ts / 1_000_000n) + spec.delayForMs
}
