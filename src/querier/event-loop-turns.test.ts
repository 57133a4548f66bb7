import { describe, expect, it } from 'vitest'
import { EventLoopTurns } from './event-loop-turns'

describe('EventLoopTurns', () => {
  it('lets a waiting timer run once a scan has covered enough lines', async () => {
    const turns = new EventLoopTurns()
    let timerRan = false
    setTimeout(() => (timerRan = true), 0)
    for (let i = 0; i < 31; i++) await turns.scanned(1024)
    expect(timerRan).toBe(false)
    await turns.scanned(1024)
    expect(timerRan).toBe(true)
  })

  it('starts counting again after each turn', async () => {
    const turns = new EventLoopTurns()
    await turns.scanned(40_000)
    let timerRan = false
    setTimeout(() => (timerRan = true), 0)
    await turns.scanned(30_000)
    expect(timerRan).toBe(false)
    await turns.scanned(3_000)
    expect(timerRan).toBe(true)
  })
})
