/**
 * The OpenTelemetry JS SDK's OTLP log exporters (protobuf, protobuf with gzip, JSON) push to the
 * Worker under `wrangler dev`; labels, series, lines and structured metadata are read back.
 */
import { context, trace, TraceFlags } from '@opentelemetry/api'
import { SeverityNumber } from '@opentelemetry/api-logs'
import { OTLPLogExporter as HttpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http'
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto'
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs'
import { describe, expect, inject, it } from 'vitest'

const baseUrl = inject('baseUrl')
const url = `${baseUrl}/otlp/v1/logs`

interface Entry {
  stream: Record<string, string>
  values: Array<[string, string, { structuredMetadata?: Record<string, string> }]>
}

async function readBack(selector: string, expected: number): Promise<Entry[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const q = new URLSearchParams({ query: selector, since: '1h', limit: '100', direction: 'forward' })
    const res = await fetch(`${baseUrl}/loki/api/v1/query_range?${q}`, { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: { result: Entry[] } }
    const n = body.data.result.reduce((k, s) => k + s.values.length, 0)
    if (n >= expected || Date.now() > deadline) return body.data.result
    await new Promise((r) => setTimeout(r, 250))
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN_ID = '00f067aa0ba902b7'

async function emitWith(exporter: LogRecordExporter, service: string): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'k8s.namespace.name': 'e2e', 'host.name': 'runner-1' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  })
  const logger = provider.getLogger('otlp-e2e', '0.1.0')
  const spanContext = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED })
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'user signed in', attributes: { 'user.id': 'u-42', attempt: 2 }, context: spanContext })
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: { msg: 'db down', code: 503 } })
  await provider.forceFlush()
  await provider.shutdown()
}

describe('OpenTelemetry JS SDK exporters', () => {
  it.each([
    ['protobuf', 'otel-proto', () => new ProtoExporter({ url })],
    ['protobuf with gzip', 'otel-proto-gzip', () => new ProtoExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['JSON', 'otel-json', () => new HttpJsonExporter({ url })],
  ])('%s: entries, labels, series and structured metadata read back', async (_name, service, exporter) => {
    await emitWith(exporter(), service)
    const result = await readBack(`{service_name="${service}"}`, 2)
    expect(result).toHaveLength(1)
    expect(result[0]!.stream).toEqual({ service_name: service, k8s_namespace_name: 'e2e' })
    const [first, second] = result[0]!.values
    expect(first![1]).toBe('user signed in')
    expect(first![2].structuredMetadata).toEqual({
      attempt: '2',
      detected_level: 'info',
      host_name: 'runner-1',
      observed_timestamp: expect.stringMatching(/^\d{19}$/) as unknown as string,
      scope_name: 'otlp-e2e',
      scope_version: '0.1.0',
      severity_number: '9',
      severity_text: 'INFO',
      span_id: SPAN_ID,
      trace_id: TRACE_ID,
      flags: '1',
      user_id: 'u-42',
    })
    expect(second![1]).toBe('{"code":503,"msg":"db down"}')
    expect(second![2].structuredMetadata?.['detected_level']).toBe('error')

    const series = await fetch(`${baseUrl}/loki/api/v1/series?${new URLSearchParams({ 'match[]': `{service_name="${service}"}`, since: '1h' })}`)
    expect(((await series.json()) as { data: unknown[] }).data).toEqual([{ service_name: service, k8s_namespace_name: 'e2e' }])
    const labels = await fetch(`${baseUrl}/loki/api/v1/labels?since=1h`)
    expect(((await labels.json()) as { data: string[] }).data).toEqual(expect.arrayContaining(['k8s_namespace_name', 'service_name']))
    const values = await fetch(`${baseUrl}/loki/api/v1/label/service_name/values?since=1h`)
    expect(((await values.json()) as { data: string[] }).data).toContain(service)
  })
})
