/**
 * Finds a level field in a JSON log line without building the object, the way Loki walks it with
 * `jsonparser.ObjectEach`: keys in document order, only string values count, nested objects are
 * entered up to `maxDepth` levels (0 or less: unlimited), arrays are skipped. The value is
 * returned raw (escapes not decoded), as Loki compares the raw bytes. Malformed input stops the
 * search; whatever was found before that point stands.
 */

const QUOTE = 34
const BACKSLASH = 92

class Stop extends Error {}
const STOP = new Stop()

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

class Walker {
  i = 0
  constructor(
    readonly s: string,
    readonly fields: ReadonlySet<string>,
    readonly maxDepth: number,
  ) {}

  ws(): void {
    while (this.i < this.s.length && isWs(this.s.charCodeAt(this.i))) this.i++
  }

  /** At an opening quote: returns the raw contents and moves past the closing quote. */
  str(): string {
    const s = this.s
    const start = ++this.i
    for (;;) {
      const j = s.indexOf('"', this.i)
      if (j < 0) throw STOP
      let k = j - 1
      while (k >= start && s.charCodeAt(k) === BACKSLASH) k--
      if ((j - 1 - k) % 2 === 0) {
        this.i = j + 1
        return s.slice(start, j)
      }
      this.i = j + 1
    }
  }

  skip(): void {
    this.ws()
    const s = this.s
    const c = s.charCodeAt(this.i)
    if (c === QUOTE) {
      this.str()
      return
    }
    if (c === 123 || c === 91) {
      let depth = 0
      while (this.i < s.length) {
        const d = s.charCodeAt(this.i)
        if (d === QUOTE) {
          this.str()
          continue
        }
        if (d === 123 || d === 91) depth++
        else if (d === 125 || d === 93) {
          depth--
          if (depth === 0) {
            this.i++
            return
          }
        }
        this.i++
      }
      throw STOP
    }
    while (this.i < s.length) {
      const d = s.charCodeAt(this.i)
      if (d === 44 || d === 125 || d === 93 || isWs(d)) return
      this.i++
    }
  }

  /** At `{`: walks the object; returns the level value when found. */
  object(depth: number): string | undefined {
    const s = this.s
    this.i++
    this.ws()
    if (s.charCodeAt(this.i) === 125) {
      this.i++
      return undefined
    }
    for (;;) {
      this.ws()
      if (s.charCodeAt(this.i) !== QUOTE) throw STOP
      const key = this.str()
      this.ws()
      if (s.charCodeAt(this.i) !== 58) throw STOP
      this.i++
      this.ws()
      const c = s.charCodeAt(this.i)
      if (c === QUOTE) {
        const value = this.str()
        if (this.fields.has(key)) return value
      } else if (c === 123 && (this.maxDepth <= 0 || depth + 1 < this.maxDepth)) {
        const found = this.object(depth + 1)
        if (found !== undefined) return found
      } else {
        this.skip()
      }
      this.ws()
      const d = s.charCodeAt(this.i)
      if (d === 44) {
        this.i++
        continue
      }
      if (d === 125) {
        this.i++
        return undefined
      }
      throw STOP
    }
  }
}

/** `line` must start (after whitespace) with `{`. */
export function jsonLevelField(line: string, fields: ReadonlySet<string>, maxDepth: number): string | undefined {
  const w = new Walker(line, fields, maxDepth)
  w.ws()
  try {
    return w.object(0)
  } catch (err) {
    if (err === STOP) return undefined
    throw err
  }
}
