/**
 * A short per-isolate cache of token lookups (unknown ids too), so a push costs no D1 read in
 * steady state while a revocation reaches every isolate within `GRANT_TTL_MS`. Bounded, so random
 * token ids cannot grow it without limit.
 */
import type { TokenGrant } from './token-store'

/** Revocation must be effective within 10 s everywhere; half of that leaves room for clock skew. */
export const GRANT_TTL_MS = 5_000
const MAX_ENTRIES = 10_000

interface Entry {
  readonly grant: TokenGrant | null
  readonly expiresMs: number
}

export class GrantCache {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMs = GRANT_TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The cached grant (null: known not to exist), or undefined when absent or expired. */
  get(id: string, nowMs: number): TokenGrant | null | undefined {
    const e = this.entries.get(id)
    if (!e) return undefined
    if (e.expiresMs <= nowMs) {
      this.entries.delete(id)
      return undefined
    }
    return e.grant
  }

  set(id: string, grant: TokenGrant | null, nowMs: number): void {
    this.entries.delete(id)
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.entries.delete(oldest.value)
    }
    this.entries.set(id, { grant, expiresMs: nowMs + this.ttlMs })
  }

  delete(id: string): void {
    this.entries.delete(id)
  }

  get size(): number {
    return this.entries.size
  }
}
