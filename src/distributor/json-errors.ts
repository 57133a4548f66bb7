/**
 * Error texts of Loki's JSON push decoding (json-iterator with Loki's `[]Entry` extension): a
 * positional re-scan of the body, run only after the fast path found a problem, that reports the
 * first error where json-iterator would, as `<type path>: <op>: <msg>, error found in #N byte of
 * ...|<peek>|..., bigger context ...|<context>|...`. The peek/context windows follow json-iterator's
 * 512-byte read buffer, so they match Loki's for bodies up to 512 bytes and are close beyond.
 */

const STREAMS = 'loghttp.PushRequest.Streams: []*loghttp.Stream: '
const ENTRIES = STREAMS + 'loghttp.Stream.Entries: '
const LABELS = STREAMS + 'loghttp.Stream.Labels: '
const TOP = 'loghttp.PushRequest.'
const BUF = 512

class Found extends Error {
  constructor(
    readonly prefix: string,
    readonly op: string,
    readonly msg: string,
    readonly head: number,
  ) {
    super(msg)
  }
}

const utf8 = new TextEncoder()
const latin = new TextDecoder()

function window(bytes: Uint8Array, head: number): string {
  const chunkStart = head <= 0 ? 0 : Math.floor((head - 1) / BUF) * BUF
  const tail = Math.min(bytes.length, chunkStart + BUF)
  const h = head - chunkStart
  const peekStart = Math.max(0, h - 10)
  const peek = latin.decode(bytes.subarray(chunkStart + peekStart, chunkStart + Math.min(tail - chunkStart, h + 10)))
  const ctx = latin.decode(
    bytes.subarray(chunkStart + Math.max(0, h - 50), chunkStart + Math.min(tail - chunkStart, h + 50)),
  )
  return `error found in #${h - peekStart} byte of ...|${peek}|..., bigger context ...|${ctx}|...`
}

/** Scanner over the decoded text; positions are converted to byte offsets only when reporting. */
class Scan {
  i = 0
  constructor(readonly s: string) {}

  ws(): void {
    const s = this.s
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++
      else break
    }
  }

  /** json-iterator's nextToken: skips whitespace and consumes one byte. */
  next(): string {
    this.ws()
    if (this.i >= this.s.length) return '\u0000'
    return this.s[this.i++]!
  }

  fail(prefix: string, op: string, msg: string): never {
    throw new Found(prefix, op, msg, this.i)
  }

  string(prefix: string): string {
    const c = this.next()
    if (c === 'n') {
      this.i += 3
      return ''
    }
    if (c !== '"') this.fail(prefix, 'ReadString', `expects " or n, but found ${c}`)
    const start = this.i
    const s = this.s
    while (this.i < s.length) {
      const ch = s.charCodeAt(this.i)
      if (ch === 0x22) {
        const raw = s.slice(start - 1, this.i + 1)
        this.i++
        try {
          return JSON.parse(raw) as string
        } catch {
          this.fail(prefix, 'ReadString', 'invalid escape char after \\')
        }
      }
      if (ch === 0x5c) this.i++
      this.i++
    }
    this.fail(prefix, 'ReadString', 'incomplete string')
  }

  skip(prefix: string): void {
    const c = this.next()
    switch (c) {
      case '"':
        this.i--
        this.string(prefix)
        return
      case '{':
        this.object(prefix, () => this.skip(prefix))
        return
      case '[':
        this.array(prefix, () => this.skip(prefix))
        return
      case 't':
      case 'f':
      case 'n':
        while (this.i < this.s.length && /[a-z]/.test(this.s[this.i]!)) this.i++
        return
      default:
        if (c === '-' || (c >= '0' && c <= '9')) {
          while (this.i < this.s.length && /[0-9eE.+-]/.test(this.s[this.i]!)) this.i++
          return
        }
        this.fail(prefix, 'Skip', `do not know how to skip: ${c.charCodeAt(0)}`)
    }
  }

  /** After `{` was consumed: reads `"key": value` pairs, calling `onField` positioned at each value. */
  object(prefix: string, onValue: (key: string) => void): void {
    let c = this.next()
    if (c === '}') return
    for (;;) {
      if (c !== '"') this.fail(prefix, 'ReadObjectCB', `expect " after {, but found ${c}`)
      this.i--
      const key = this.string(prefix)
      c = this.next()
      if (c !== ':') this.fail(prefix, 'ReadObjectCB', `expect : after object field, but found ${c}`)
      onValue(key)
      c = this.next()
      if (c === '}') return
      if (c !== ',') this.fail(prefix, 'ReadObjectCB', `object not ended with }`)
      c = this.next()
    }
  }

  /** After `[` was consumed. */
  array(prefix: string, onElem: () => void): void {
    let c = this.next()
    if (c === ']') return
    this.i--
    for (;;) {
      onElem()
      c = this.next()
      if (c === ']') return
      if (c !== ',') this.fail(prefix, 'ReadArrayCB', `expect ] in the end, but found ${c}`)
    }
  }

  /** `[`...`]` or null; returns false for null. */
  openArray(prefix: string, op: string): boolean {
    const c = this.next()
    if (c === 'n') {
      this.i += 3
      return false
    }
    if (c !== '[') this.fail(prefix, op, `expect [ or n, but found ${c}`)
    return true
  }

  openObject(prefix: string, op: string): boolean {
    const c = this.next()
    if (c === 'n') {
      this.i += 3
      return false
    }
    if (c !== '{') this.fail(prefix, op, `expect { or n, but found ${c}`)
    return true
  }
}

function entry(sc: Scan): void {
  if (!sc.openArray(ENTRIES, 'ReadArrayCB')) return
  let n = 0
  sc.array(ENTRIES, () => {
    if (n === 0) {
      const ts = sc.string(ENTRIES)
      if (!/^[+-]?[0-9]+$/.test(ts)) {
        sc.fail(ENTRIES, 'error reading entry timestamp', `strconv.ParseInt: parsing ${JSON.stringify(ts)}: invalid syntax`)
      }
      const v = BigInt(ts)
      if (v > 9223372036854775807n || v < -9223372036854775808n) {
        sc.fail(ENTRIES, 'error reading entry timestamp', `strconv.ParseInt: parsing ${JSON.stringify(ts)}: value out of range`)
      }
    } else if (n === 1) {
      sc.string(ENTRIES)
    } else if (n === 2) {
      if (sc.openObject(ENTRIES, 'ReadMapCB')) sc.object(ENTRIES, () => sc.string(ENTRIES))
    } else {
      sc.fail(ENTRIES, 'error reading entry', 'array must contains 2 values')
    }
    n++
  })
}

function stream(sc: Scan): void {
  if (!sc.openObject(STREAMS, 'ReadObjectCB')) return
  sc.object(STREAMS, (key) => {
    if (key === 'stream') {
      if (sc.openObject(LABELS, 'ReadMapCB')) sc.object(LABELS, () => sc.string(LABELS))
    } else if (key === 'values') {
      if (sc.openArray(ENTRIES, 'ReadArrayCB')) sc.array(ENTRIES, () => entry(sc))
    } else sc.skip(STREAMS)
  })
}

/**
 * Finds the first error json-iterator would report for this push body and returns its text, or
 * `null` when the scan finds none.
 */
export function locateJsonError(text: string, bytes: Uint8Array): string | null {
  if (text.trim() === '') return 'EOF'
  const sc = new Scan(text)
  try {
    if (!sc.openObject(TOP, 'readObjectStart')) return null
    sc.object(TOP, (key) => {
      if (key.toLowerCase() === 'streams') {
        if (sc.openArray(STREAMS, 'ReadArrayCB')) sc.array(STREAMS, () => stream(sc))
      } else sc.skip(TOP)
    })
    return null
  } catch (err) {
    if (!(err instanceof Found)) throw err
    const head = utf8.encode(text.slice(0, err.head)).length
    return `${err.prefix}${err.op}: ${err.msg}, ${window(bytes, head)}`
  }
}
