/**
 * A token bucket like Go's rate.Limiter, for Loki's per-stream rate limit. It lives in memory:
 * after an object restart the bucket starts full, as Loki's does after an ingester restart.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  /** Takes n tokens at time `now` (ms) if available. */
  allow(n: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSec)
    this.last = now
    if (n > this.tokens) return false
    this.tokens -= n
    return true
  }

  get limit(): number {
    return this.ratePerSec
  }
}
