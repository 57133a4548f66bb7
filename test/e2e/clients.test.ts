/**
 * Real npm Loki clients pushing to the Worker under `wrangler dev`: winston-loki sends snappy
 * protobuf, pino-loki sends JSON. The lines are then read back through the query API.
 */
import { describe, expect, inject, it } from 'vitest'
import winston from 'winston'
import LokiTransport from 'winston-loki'
import pino from 'pino'
import { pinoLoki } from 'pino-loki'

const baseUrl = inject('baseUrl')

interface StreamsResult {
  data: { resultType: string; result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> }
}

async function readBack(selector: string, expected: number): Promise<StreamsResult['data']['result']> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const url = `${baseUrl}/loki/api/v1/query_range?query=${encodeURIComponent(selector)}&since=1h&limit=100&direction=forward`
    const res = await fetch(url)
    expect(res.status).toBe(200)
    const body = (await res.json()) as StreamsResult
    const lines = body.data.result.reduce((n, s) => n + s.values.length, 0)
    if (lines >= expected || Date.now() > deadline) return body.data.result
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('real Loki clients', () => {
  it('winston-loki (snappy protobuf) pushes lines that are read back in order', async () => {
    const transport = new LokiTransport({
      host: baseUrl,
      labels: { app: 'winston-e2e' },
      json: false,
      batching: true,
      interval: 0.2,
      replaceTimestamp: true,
      onConnectionError: (err: unknown) => {
        throw err
      },
    })
    const logger = winston.createLogger({ transports: [transport] })
    logger.info('first winston line')
    logger.warn('second winston line')
    logger.error('third winston line')
    await transport.flush()
    const result = await readBack('{app="winston-e2e"}', 3)
    const lines = result.flatMap((s) => s.values.map((v) => v[1]))
    expect(lines).toHaveLength(3)
    expect(lines.some((l) => l.includes('first winston line'))).toBe(true)
    for (const s of result) expect(s.stream.service_name).toBe('winston-e2e')
    logger.close()
  })

  it('pino-loki (JSON) pushes lines with levels that are read back', async () => {
    const stream = pinoLoki({ host: baseUrl, labels: { app: 'pino-e2e' }, batching: false, silenceErrors: false })
    const logger = pino({ level: 'info' }, stream)
    logger.info({ user: 'ada' }, 'hello from pino')
    logger.error('pino failure')
    const result = await readBack('{app="pino-e2e"}', 2)
    const lines = result.flatMap((s) => s.values.map((v) => v[1]))
    expect(lines).toHaveLength(2)
    expect(lines.some((l) => l.includes('hello from pino'))).toBe(true)
    const levels = new Set(result.map((s) => s.stream.detected_level))
    expect(levels).toEqual(new Set(['info', 'error']))
    stream.end()
  })
})
