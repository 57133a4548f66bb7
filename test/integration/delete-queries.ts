/** What one tenant reads back in the delete tests: the lines of a log query and a line count. */
import { expect } from 'vitest'
import { call, json } from '../helpers'

export function tenantReads(vars: Record<string, string>, evalTime: string) {
  const headers = (tenant: string): Record<string, string> => ({ 'X-Scope-OrgID': tenant })
  return {
    /** Every line of the last two hours the query returns, sorted. */
    async lines(tenant: string, query: string): Promise<string[]> {
      const q = new URLSearchParams({ query, since: '2h', limit: '1000', direction: 'forward' })
      const res = await call(`/loki/api/v1/query_range?${q}`, { vars, headers: headers(tenant) })
      expect(res.status).toBe(200)
      const body = await json<{ data: { result: Array<{ values: Array<[string, string]> }> } }>(res)
      return body.data.result.flatMap((s) => s.values.map((v) => v[1])).sort()
    },
    /** `sum(count_over_time(query [2h]))` at `evalTime`, as the API prints it. */
    async count(tenant: string, query: string): Promise<string> {
      const q = new URLSearchParams({ query: `sum(count_over_time(${query} [2h]))`, time: evalTime })
      const res = await call(`/loki/api/v1/query?${q}`, { vars, headers: headers(tenant) })
      const body = await json<{ data: { result: Array<{ value: [number, string] }> } }>(res)
      return body.data.result[0]?.value[1] ?? '0'
    },
  }
}
