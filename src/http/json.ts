/**
 * JSON response bodies as Loki writes them (Go's escaping, see util/go-json).
 */
import { goJson } from '../util/go-json'

export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(goJson(value), {
    status,
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
  })
}
