/**
 * A query's reads usually finish early (all R2 range reads start at once), and from then on it
 * runs on resolved promises only, which the runtime never interrupts to serve other work. One
 * scan of millions of lines would then hold every other request of the isolate, pushes and
 * readiness checks included, until it ended. A query gives the event loop a turn after each
 * `LINES_PER_TURN` lines it scans.
 */
const LINES_PER_TURN = 32_768

export class EventLoopTurns {
  private linesSinceTurn = 0

  /** Counts `lines` scanned; resolves after a macrotask once enough have been scanned. */
  async scanned(lines: number): Promise<void> {
    this.linesSinceTurn += lines
    if (this.linesSinceTurn < LINES_PER_TURN) return
    this.linesSinceTurn = 0
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
  }
}
