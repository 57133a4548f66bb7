import { describe, expect, it } from 'vitest'
import { encodeLogsRequest } from '../../../test/fixtures/otlp/encode.mjs'
import { AttributeActions, OtlpConfigError, parseOtlpConfig } from './config'
import { decodeOtlpJson } from './json'
import type { ExportLogsRequest } from './model'
import { decodeOtlpProto } from './proto'
import { otlpToPushRequest } from './to-push'
import { DEFAULT_DISCOVER_SERVICE_NAME } from '../limits'

const s = (v: string) => ({ stringValue: v })
const kv = (key: string, value: unknown) => ({ key, value })

function payload(resource: unknown[], records: unknown[], scope: unknown = { name: 'lib' }) {
  return { resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope, logRecords: records }] }] }
}

function both(p: unknown): ExportLogsRequest[] {
  return [decodeOtlpProto(encodeLogsRequest(p)), decodeOtlpJson(new TextEncoder().encode(JSON.stringify(p)))]
}

function map(p: unknown, configText = '', nowMs = 0) {
  const actions = new AttributeActions(parseOtlpConfig(configText))
  const outs = both(p).map((req) => otlpToPushRequest(req, { actions, discoverServiceName: DEFAULT_DISCOVER_SERVICE_NAME, nowMs }))
  expect(outs[0]).toEqual(outs[1])
  return outs[0]!
}

const REC = { timeUnixNano: '1000', body: s('line') }

describe('OTLP mapping: protobuf and JSON agree', () => {
  it('default index labels, the rest as structured metadata in Loki order', () => {
    const out = map(payload([kv('service.name', s('api')), kv('host.name', s('h'))], [{ ...REC, severityText: 'INFO', attributes: [kv('a', s('1'))] }]))
    expect(out.streams).toEqual([
      { labels: '{service_name="api"}', entries: [{ ts: 1000n, line: 'line', metadata: [['a', '1'], ['severity_text', 'INFO'], ['host_name', 'h'], ['scope_name', 'lib']] }] },
    ])
  })

  it('time falls back to the observed time, then to now', () => {
    const out = map(payload([kv('service.name', s('a'))], [{ observedTimeUnixNano: '7', body: s('x') }, { body: s('y') }]), '', 5)
    expect(out.streams[0]!.entries.map((e) => e.ts)).toEqual([7n, 5_000_000n])
  })

  it('no records: no streams (Loki then answers 422)', () => {
    expect(map(payload([kv('service.name', s('a'))], [])).streams).toEqual([])
  })
})

describe('otlp_config overrides', () => {
  const res = [kv('service.name', s('api')), kv('team', s('core')), kv('k8s.pod.name', s('p1')), kv('secret', s('x'))]
  const rec = [{ ...REC, severityText: 'WARN', attributes: [kv('tenant.id', s('t1')), kv('noise', s('n'))] }]

  it('index_label and drop for resource attributes after the defaults', () => {
    const cfg = 'resource_attributes:\n  attributes_config:\n    - action: index_label\n      attributes: [team]\n    - action: drop\n      regex: sec.*\n'
    const out = map(payload(res, rec), cfg)
    expect(out.streams[0]!.labels).toBe('{k8s_pod_name="p1", service_name="api", team="core"}')
    expect(out.streams[0]!.entries[0]!.metadata!.map((p) => p[0])).not.toContain('secret')
  })

  it('ignore_defaults: only the configured rules apply; service.name kept out of the labels adds no service_name', () => {
    const cfg = JSON.stringify({ resource_attributes: { ignore_defaults: true, attributes_config: [{ action: 'index_label', attributes: ['team'] }] } })
    const out = map(payload(res, rec), cfg)
    expect(out.streams[0]!.labels).toBe('{team="core"}')
    expect(out.streams[0]!.entries[0]!.metadata).toContainEqual(['service_name', 'api'])
    expect(out.streams[0]!.entries[0]!.metadata).toContainEqual(['k8s_pod_name', 'p1'])
  })

  it('log attributes as index labels and severity_text_as_label give the record its own stream', () => {
    const cfg = 'log_attributes:\n  - action: index_label\n    attributes: [tenant.id]\n  - action: drop\n    attributes: [noise]\nseverity_text_as_label: true\n'
    const out = map(payload(res, [...rec, { ...REC, body: s('plain') }]), cfg)
    expect(out.streams.map((x) => x.labels)).toEqual([
      '{k8s_pod_name="p1", service_name="api"}',
      '{k8s_pod_name="p1", service_name="api", severity_text="WARN", tenant_id="t1"}',
    ])
    expect(out.streams[1]!.entries[0]!.metadata!.map((p) => p[0])).toEqual(['severity_text', 'team', 'secret', 'scope_name'])
  })

  it('scope attributes can be dropped', () => {
    const out = map(payload(res, rec, { name: 'lib', attributes: [kv('scope.x', s('1')), kv('scope.y', s('2'))] }), 'scope_attributes:\n  - action: drop\n    attributes: [scope.x]\n')
    const names = out.streams[0]!.entries[0]!.metadata!.map((p) => p[0])
    expect(names).toContain('scope_y')
    expect(names).not.toContain('scope_x')
  })

  it.each([
    ['scope_attributes:\n  - action: index_label\n    attributes: [a]\n', 'index_label action is only supported for resource_attributes'],
    ['log_attributes:\n  - action: promote\n    attributes: [a]\n', 'unsupported action, it must be one of: drop, index_label, structured_metadata'],
    ['log_attributes:\n  - action: drop\n', 'attributes or regex must be set'],
    ['log_attributes:\n  - action: drop\n    attributes: [a]\n    regex: b\n', 'only one of attributes or regex must be set'],
  ])('refuses %j', (text, message) => {
    expect(() => parseOtlpConfig(text)).toThrow(new OtlpConfigError(message))
  })
})
