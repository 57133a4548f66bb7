/** Reading a request body under a size limit, refusing it with Loki's 413 text once it exceeds it. */
import { concat } from '../distributor/body'
import { bodyTooLarge } from '../distributor/errors'

/** Reads the body, refusing it once it exceeds `limit` bytes without buffering the rest. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const header = req.headers.get('Content-Length')
  const declared = header === null ? NaN : Number(header)
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(declared, limit)
  if (!req.body) return new Uint8Array(0)
  // A declared length within the limit: one native read instead of a chunk-by-chunk loop.
  if (Number.isFinite(declared)) {
    const bytes = new Uint8Array(await req.arrayBuffer())
    if (bytes.byteLength > limit) throw bodyTooLarge(bytes.byteLength, limit)
    return bytes
  }
  const reader = req.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw bodyTooLarge(size, limit)
    }
    parts.push(value)
  }
  return concat(parts, size)
}
