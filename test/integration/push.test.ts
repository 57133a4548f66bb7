import { describe, expect, it } from 'vitest'
import { call, json, nowNs, pushJson } from '../helpers'

interface LabelsResponse {
  status: string
  data?: string[]
}

interface SeriesResponse {
  status: string
  data: Array<Record<string, string>>
}

describe('push then read the index', () => {
  it('stores a JSON push and answers labels, values and series for it', async () => {
    const res = await pushJson([
      { stream: { app: 'checkout', env: 'prod' }, values: [[nowNs(-1000), 'level=info msg="order placed"']] },
      { stream: { app: 'payments', env: 'prod' }, values: [[nowNs(-900), 'ERROR card declined', { trace_id: 'abc' }]] },
    ])
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')

    const labels = await json<LabelsResponse>(await call('/loki/api/v1/labels'))
    expect(labels.data).toEqual(['app', 'env', 'service_name'])

    const values = await json<LabelsResponse>(await call('/loki/api/v1/label/app/values'))
    expect(values.data).toEqual(['checkout', 'payments'])

    const service = await json<LabelsResponse>(await call('/loki/api/v1/label/service_name/values'))
    expect(service.data).toEqual(['checkout', 'payments'])

    const series = await json<SeriesResponse>(
      await call(`/loki/api/v1/series?match[]=${encodeURIComponent('{app="payments"}')}`),
    )
    expect(series.data).toEqual([{ app: 'payments', env: 'prod', service_name: 'payments' }])
  })

  it('answers label values scoped by a query selector and POSTed form parameters', async () => {
    await pushJson([
      { stream: { app: 'a1', team: 'x' }, values: [[nowNs(-500), 'one']] },
      { stream: { app: 'a2', team: 'y' }, values: [[nowNs(-500), 'two']] },
    ])
    const res = await call('/loki/api/v1/label/app/values', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: '{team="y"}' }).toString(),
    })
    expect(await json<LabelsResponse>(res)).toEqual({ status: 'success', data: ['a2'] })
  })

  it('returns no data key for an unknown label, as Loki does', async () => {
    const res = await call('/loki/api/v1/label/does_not_exist/values')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('{"status":"success"}')
  })

  it('only reports streams active in the requested range', async () => {
    await pushJson([{ stream: { app: 'recent' }, values: [[nowNs(-1000), 'x']] }])
    const longAgo = await json<LabelsResponse>(await call('/loki/api/v1/label/app/values?start=1000000000&end=1000003600'))
    expect(longAgo).toEqual({ status: 'success' })
  })
})

describe('push validation', () => {
  it('rejects an empty push with 422 and Loki\'s text', async () => {
    const res = await pushJson([])
    expect(res.status).toBe(422)
    expect((await res.text()).trim()).toBe('error at least one valid stream is required for ingestion')
  })

  it('rejects a numeric timestamp with 400', async () => {
    const res = await call('/loki/api/v1/push', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"streams":[{"stream":{"app":"x"},"values":[[1700000000000000000,"line"]]}]}',
    })
    expect(res.status).toBe(400)
  })

  it('rejects malformed JSON with 400, never 500', async () => {
    const res = await call('/loki/api/v1/push', { headers: { 'Content-Type': 'application/json' }, body: '{"streams":[' })
    expect(res.status).toBe(400)
  })

  it('rejects an unsupported Content-Encoding', async () => {
    const res = await call('/loki/api/v1/push', {
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'br' },
      body: '{}',
    })
    expect(res.status).toBe(400)
    expect((await res.text()).trim()).toBe('Content-Encoding "br" not supported')
  })

  it('refuses a body over max_recv_msg_size with 413', async () => {
    const res = await call('/loki/api/v1/push', {
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(2048),
      vars: { max_recv_msg_size: '1024' },
    })
    expect(res.status).toBe(413)
  })

  it('stores the valid entries of a partly invalid push and reports the rest', async () => {
    const res = await pushJson(
      [
        {
          stream: { app: 'partial' },
          values: [
            [nowNs(-100), 'short line'],
            [nowNs(-90), 'x'.repeat(300)],
          ],
        },
      ],
      { vars: { max_line_size: '100' } },
    )
    expect(res.status).toBe(400)
    expect(await res.text()).toContain("max entry size '100' bytes exceeded for stream '{app=\"partial\", service_name=\"partial\"}'")
    const values = await json<LabelsResponse>(await call('/loki/api/v1/label/app/values?query=' + encodeURIComponent('{app="partial"}')))
    expect(values.data).toEqual(['partial'])
  })
})

describe('ingester ordering window', () => {
  it('refuses entries older than max_chunk_age/2 behind the newest, with Loki\'s text', async () => {
    const newest = BigInt(Date.now() - 1000) * 1_000_000n
    const ok = await pushJson([{ stream: { app: 'ordering' }, values: [[newest.toString(), 'new']] }])
    expect(ok.status).toBe(204)
    const old = newest - 2n * 3_600_000_000_000n
    const res = await pushJson([{ stream: { app: 'ordering' }, values: [[old.toString(), 'old']] }])
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).toContain("reason: 'entry too far behind, entry timestamp is: ")
    expect(text).toContain('total ignored: 1 out of 1 for stream: {app="ordering", service_name="ordering"}')
  })
})

describe('rate limits', () => {
  it('refuses a push over the tenant ingestion rate with 429 and Loki\'s text (bytes include structured metadata)', async () => {
    const vars = { ingestion_rate_mb: '0.001', ingestion_burst_size_mb: '0.001' }
    const line = 'z'.repeat(600)
    const first = await pushJson([{ stream: { app: 'rated' }, values: [[nowNs(-100), line]] }], { vars })
    expect(first.status).toBe(204)
    const second = await pushJson(
      [{ stream: { app: 'rated' }, values: [[nowNs(-90), line], [nowNs(-80), line]] }],
      { vars },
    )
    expect(second.status).toBe(429)
    expect(await second.text()).toBe(
      "ingestion rate limit exceeded for user fake (limit: 1048 bytes/sec) while attempting to ingest '2' lines totaling '1242' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased",
    )
  })

  it('refuses entries over the per-stream rate limit with 429', async () => {
    const vars = { per_stream_rate_limit: '0.0005', per_stream_rate_limit_burst: '0.0005' }
    const res = await pushJson([{ stream: { app: 'stream-rated' }, values: [[nowNs(-100), 'q'.repeat(400)], [nowNs(-90), 'q'.repeat(400)]] }], {
      vars,
    })
    expect(res.status).toBe(429)
    const text = await res.text()
    expect(text).toContain("Per stream rate limit exceeded (limit: 524 B/sec) while attempting to ingest for stream '{app=\"stream-rated\", service_name=\"stream-rated\"}'")
    expect(text).toContain('total ignored: 1 out of 2')
  })
})
