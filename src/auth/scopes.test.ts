import { describe, expect, it } from 'vitest'
import { allowsSeveralTenants, requirementFor, type Requirement } from './scopes'

const cases: Array<[string, string, Requirement]> = [
  ['GET', '/ready', { kind: 'open' }],
  ['GET', '/metrics', { kind: 'open' }],
  ['GET', '/config', { kind: 'any-token' }],
  ['GET', '/loki/api/v1/status/buildinfo', { kind: 'any-token' }],
  ['POST', '/flush', { kind: 'admin' }],
  ['POST', '/compactor/run', { kind: 'admin' }],
  ['GET', '/admin/api/v1/tokens', { kind: 'admin' }],
  ['POST', '/loki/api/v1/push', { kind: 'scope', scope: 'push' }],
  ['POST', '/api/prom/push', { kind: 'scope', scope: 'push' }],
  ['POST', '/otlp/v1/logs', { kind: 'scope', scope: 'push' }],
  ['GET', '/loki/api/v1/query_range', { kind: 'scope', scope: 'query' }],
  ['POST', '/loki/api/v1/query_range', { kind: 'scope', scope: 'query' }],
  ['GET', '/loki/api/v1/tail', { kind: 'scope', scope: 'query' }],
  ['GET', '/loki/api/v1/rules', { kind: 'scope', scope: 'query' }],
  ['POST', '/loki/api/v1/rules/ns', { kind: 'scope', scope: 'rules' }],
  ['DELETE', '/loki/api/v1/rules/ns/group', { kind: 'scope', scope: 'rules' }],
  ['POST', '/api/prom/rules/ns', { kind: 'scope', scope: 'rules' }],
  ['GET', '/prometheus/api/v1/rules', { kind: 'scope', scope: 'query' }],
  ['POST', '/loki/api/v1/delete', { kind: 'scope', scope: 'push' }],
  ['GET', '/loki/api/v1/delete', { kind: 'scope', scope: 'query' }],
  ['GET', '/loki/api/v1/rulesx', { kind: 'scope', scope: 'query' }],
  ['GET', '/ready/', { kind: 'scope', scope: 'query' }],
]

describe('requirementFor', () => {
  it.each(cases)('%s %s', (method, path, want) => expect(requirementFor(method, path)).toEqual(want))
})

describe('allowsSeveralTenants', () => {
  it.each([
    ['/loki/api/v1/query_range', true],
    ['/loki/api/v1/query', true],
    ['/loki/api/v1/labels', true],
    ['/loki/api/v1/label/app/values', true],
    ['/loki/api/v1/series', true],
    ['/api/prom/query', true],
    ['/api/prom/label/app/values', true],
    ['/loki/api/v1/push', false],
    ['/loki/api/v1/index/stats', false],
    ['/loki/api/v1/tail', false],
    ['/loki/api/v1/label/a/b/values', false],
  ])('%s: %s', (path, want) => expect(allowsSeveralTenants(path)).toBe(want))
})
