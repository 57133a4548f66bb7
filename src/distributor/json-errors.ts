/**
 * Error texts of Loki 3.x's JSON push decoding. json-iterator reads `{"streams":[...]}` and hands
 * each stream object, as raw bytes, to `LogProtoStream.UnmarshalJSON`, which uses buger/jsonparser;
 * an error there comes back as
 * `loghttp.PushRequest.Streams: []loghttp.LogProtoStream: unmarshalerDecoder: <jsonparser error>,
 * error found in #N byte of ...|<peek>|..., bigger context ...|<context>|...`, positioned just after
 * the failing stream object. The peek/context windows follow json-iterator's 512-byte read buffer,
 * so they are exact for bodies up to 512 bytes and close beyond. Errors outside the stream objects
 * get json-iterator's own texts.
 */

export const STREAM_PREFIX = 'loghttp.PushRequest.Streams: []loghttp.LogProtoStream: '
const BUF = 512

/** buger/jsonparser's error texts. */
export const JP = {
  string: `Value is string, but can't find closing '"' symbol`,
  object: "Value looks like object, but can't find closing '}' symbol",
  array: "Value is array, but can't find closing ']' symbol",
  value: "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol",
  overflow: 'Value is number, but overflowed while parsing',
} as const

const utf8 = new TextEncoder()
const text = new TextDecoder()

/** json-iterator's `ReportError` context for a failure at byte offset `head`. */
export function iterContext(bytes: Uint8Array, head: number): string {
  const chunkStart = head <= 0 ? 0 : Math.floor((head - 1) / BUF) * BUF
  const tail = Math.min(bytes.length, chunkStart + BUF) - chunkStart
  const h = head - chunkStart
  const at = (from: number, to: number): string => text.decode(bytes.subarray(chunkStart + from, chunkStart + to))
  const peekStart = Math.max(0, h - 10)
  return `error found in #${h - peekStart} byte of ...|${at(peekStart, Math.min(tail, h + 10))}|..., bigger context ...|${at(Math.max(0, h - 50), Math.min(tail, h + 50))}|...`
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

/** A lenient scanner with json-iterator's skipping rules (brackets and strings only). */
class Scan {
  i = 0
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && isWs(this.s.charCodeAt(this.i))) this.i++
  }
  peek(): string {
    this.ws()
    return this.s[this.i] ?? '\u0000'
  }
  skipString(): boolean {
    this.i++
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i)
      if (c === 92) this.i += 2
      else if (c === 34) {
        this.i++
        return true
      } else this.i++
    }
    return false
  }
  /** Skips one value; false when the input ends first. */
  skip(): boolean {
    const c = this.peek()
    if (c === '"') return this.skipString()
    if (c === '{' || c === '[') {
      let depth = 0
      while (this.i < this.s.length) {
        const d = this.s[this.i]!
        if (d === '"') {
          if (!this.skipString()) return false
          continue
        }
        if (d === '{' || d === '[') depth++
        else if (d === '}' || d === ']') {
          depth--
          if (depth === 0) {
            this.i++
            return true
          }
        }
        this.i++
      }
      return false
    }
    while (this.i < this.s.length && !/[\s,\]}]/.test(this.s[this.i]!)) this.i++
    return true
  }
}

/** One element of the `streams` array: its text range and the byte offset just after it. */
export interface ElementSpan {
  start: number
  end: number
  byteEnd: number
}

/**
 * The elements of the top-level `streams` array as json-iterator reads them; stops at the first
 * element the input ends inside. `null` when the shape around the array is broken (then
 * `topLevelError` applies).
 */
export function streamElements(body: string): ElementSpan[] | null {
  const sc = new Scan(body)
  if (sc.peek() !== '{') return null
  sc.i++
  for (;;) {
    if (sc.peek() !== '"') return null
    const keyStart = sc.i + 1
    if (!sc.skipString()) return null
    const key = body.slice(keyStart, sc.i - 1)
    if (sc.peek() !== ':') return null
    sc.i++
    if (key.toLowerCase() === 'streams' && sc.peek() === '[') {
      sc.i++
      const spans: ElementSpan[] = []
      if (sc.peek() === ']') return spans
      for (;;) {
        const start = sc.i
        if (!sc.skip()) return spans
        spans.push({ start, end: sc.i, byteEnd: utf8.encode(body.slice(0, sc.i)).length })
        const c = sc.peek()
        if (c !== ',') return spans
        sc.i++
      }
    }
    if (!sc.skip()) return null
    const c = sc.peek()
    if (c !== ',') return null
    sc.i++
  }
}

/** json-iterator's text for a body whose outer shape is wrong. */
export function topLevelError(body: string, bytes: Uint8Array): string {
  const sc = new Scan(body)
  const c = sc.peek()
  if (c !== '{' && c !== 'n') {
    const head = utf8.encode(body.slice(0, sc.i + 1)).length
    return `readObjectStart: expect { or n, but found ${c}, ${iterContext(bytes, head)}`
  }
  const head = bytes.length
  if (/"streams"\s*:\s*[^\s[n]/i.test(body)) {
    const m = /"streams"\s*:\s*([^\s[n])/i.exec(body)!
    const at = utf8.encode(body.slice(0, m.index + m[0].length)).length
    return `${STREAM_PREFIX}decode slice: expect [ or n, but found ${m[1]}, ${iterContext(bytes, at)}`
  }
  return `loghttp.PushRequest.ReadObjectCB: object not ended with }, ${iterContext(bytes, head)}`
}
