/**
 * Line filters arrive over RPC as structured-cloned AST nodes; the ingester compiles them once
 * per distinct filter set and applies them before any line leaves the object.
 */
import { buildLineFilter } from '../logql/log/line-filter'
import type { LineFilterExpr } from '../logql/syntax/ast'

const cache = new Map<string, (line: string) => boolean>()
const MAX_CACHED = 64

export function lineFilterFor(filters: readonly unknown[]): (line: string) => boolean {
  if (filters.length === 0) return () => true
  const key = JSON.stringify(filters)
  const cached = cache.get(key)
  if (cached) return cached
  const built = buildLineFilter(filters as readonly LineFilterExpr[])
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(key, built)
  return built
}
