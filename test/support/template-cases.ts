/**
 * Shared by the template test files: the default labels and timestamp, and a runner that
 * compares outcomes the way the tables state them. It runs a template: the output, or the text of a parse
 * error (`perr`) or execution error (`eerr`). Shared by the template test files.
 */
import { expect, it } from 'vitest'
import { compileTemplate, TemplateExecError, TemplateParseError, type CompiledTemplate, type TemplateData } from '../../src/logql/template/compile'

export type Outcome = 'out' | 'perr' | 'eerr'

export function runTemplate(template: string, data: TemplateData, name?: string): { kind: Outcome; text: string } {
  let compiled: CompiledTemplate
  try {
    compiled = compileTemplate(template, name)
  } catch (e) {
    if (e instanceof TemplateParseError) return { kind: 'perr', text: e.message }
    throw e
  }
  try {
    return { kind: 'out', text: compiled.execute(data) }
  } catch (e) {
    if (e instanceof TemplateExecError) return { kind: 'eerr', text: e.message }
    throw e
  }
}

/** The labels a case sees unless it gives its own. */
export const LABELS: Record<string, string> = {"foo": "blip", "bar": "blop", "status": "500", "latency_ms": "20.2", "path": "/api/v1/orders", "msg": "login succeeded", "user": "ivan", "ip": "192.168.1.172", "n": "3", "neg": "-7", "uni": "héllo wörld", "empty": "", "json": "{\"a\":1,\"b\":[1,\"x\",true,null],\"c\":{\"d\":\"e\"}}", "dur": "1h2m3.5s", "size": "1.5KB", "ts": "2026-11-01T01:58:20.662Z"}

/** The entry timestamp a case sees unless it gives its own (ns). */
export const TS = 1793498300662008542n

/** The clock every case runs with (ns): 2026-11-24T08:00:00Z, a day after TS's. */
export const NOW = 1795507200000000000n

export interface CaseOptions {
  labels?: Record<string, string>
  name?: string
  line?: string
  ts?: bigint
}

/** [template, expected outcome, expected output or error text, options]. */
export type TemplateCase = [string, Outcome, string, CaseOptions?]

/** One test per case, named by its template. */
export function itMatchesEachCase(cases: readonly TemplateCase[]): void {
  it.each(cases)('%s', (template, kind, want, opts) => {
    const data = { labels: opts?.labels ?? LABELS, line: opts?.line ?? 'the log line', timestampNs: opts?.ts ?? TS, nowNs: NOW }
    expect(runTemplate(template, data, opts?.name)).toEqual({ kind, text: want })
  })
}
