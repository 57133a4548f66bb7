/**
 * Decodes a rule-group body as Loki does (yaml.v3 into Prometheus' rulefmt.RuleGroup): the first
 * document only, unknown fields ignored, strings from any scalar, durations through
 * model.Duration, integers only from integer scalars. Anything else is Loki's
 * "unable to decoded rule group".
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Scalar, type YAMLMap } from 'yaml'
import { durationNsToMs, parsePromDuration } from '../go/duration'
import type { Rule, RuleGroup } from './rule-group'
import { RuleGroupDecodeError } from './errors'

type Node = unknown

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL'])
const INT = /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/

function isNull(n: Node): boolean {
  return n === null || n === undefined || (isScalar(n) && n.type === 'PLAIN' && NULLS.has(String(n.value)))
}

function fail(): never {
  throw new RuleGroupDecodeError()
}

function str(n: Node): string {
  if (isNull(n)) return ''
  if (isScalar(n)) return String((n as Scalar).value)
  return fail()
}

function durationMs(n: Node): number {
  if (isNull(n)) return 0
  try {
    return Number(parsePromDuration(str(n)) / 1_000_000n)
  } catch {
    return fail()
  }
}

function int(n: Node): number {
  if (isNull(n)) return 0
  if (!isScalar(n) || n.type !== 'PLAIN') return fail()
  const text = String(n.value).replaceAll('_', '')
  if (!INT.test(text)) return fail()
  const sign = text.startsWith('-') ? -1 : 1
  const digits = text.replace(/^[-+]/, '')
  const value = /^0[0-7]+$/.test(digits) ? parseInt(digits, 8) : Number(digits)
  if (!Number.isSafeInteger(value)) return fail()
  return sign * value
}

function fields(n: Node): Map<string, Node> {
  const out = new Map<string, Node>()
  if (isNull(n)) return out
  if (!isMap(n)) return fail()
  for (const pair of (n as YAMLMap).items) out.set(str(pair.key), pair.value)
  return out
}

function stringMap(n: Node): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of fields(n)) out[k] = str(v)
  return out
}

function list(n: Node): readonly Node[] {
  if (isNull(n)) return []
  if (!isSeq(n)) return fail()
  return n.items
}

function decodeRule(n: Node): Rule {
  const f = fields(n)
  return {
    record: str(f.get('record')),
    alert: str(f.get('alert')),
    expr: str(f.get('expr')),
    forMs: durationMs(f.get('for')),
    keepFiringForMs: durationMs(f.get('keep_firing_for')),
    labels: stringMap(f.get('labels')),
    annotations: stringMap(f.get('annotations')),
  }
}

export function decodeRuleGroup(body: string): RuleGroup {
  const docs = parseAllDocuments(body, { schema: 'failsafe', uniqueKeys: true })
  const doc = Array.isArray(docs) ? docs[0] : undefined
  if (!doc) return { name: '', intervalMs: 0, limit: 0, rules: [] }
  if (doc.errors.length > 0) fail()
  const f = fields(doc.contents)
  durationMs(f.get('query_offset'))
  stringMap(f.get('labels'))
  return {
    name: str(f.get('name')),
    intervalMs: durationMs(f.get('interval')),
    limit: int(f.get('limit')),
    rules: list(f.get('rules')).map(decodeRule),
  }
}
