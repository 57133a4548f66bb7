/**
 * The `generatorURL` Loki puts on the alerts it sends: a Grafana Explore link with the rule's
 * query in LogQL's canonical form (pkg/ruler/base/ruler.go grafanaLinkForExpression), encoded by
 * Go's json.Marshal and url.QueryEscape.
 */
import { parseExpr } from '../logql/syntax/parse'
import { printExpr } from '../logql/syntax/print'
import { goJson } from '../util/go-json'

/** Go's url.QueryEscape: only letters, digits and `-_.~` stay, a space becomes `+`. */
function queryEscape(s: string): string {
  let out = ''
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c
    else if (c === ' ') out += '+'
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** The rule's query as Loki prints it (the text itself when it does not parse). */
export function canonicalQuery(expr: string): string {
  try {
    return printExpr(parseExpr(expr))
  } catch {
    return expr
  }
}

export function generatorURL(expr: string): string {
  return `/explore?left=${queryEscape(`{"queries":[${goJson({ expr: canonicalQuery(expr), queryType: 'range' })}]}`)}`
}
