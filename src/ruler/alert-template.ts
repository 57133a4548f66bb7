/**
 * Alert label and annotation templates as Prometheus expands them (template.NewTemplateExpander):
 * the text runs after `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$value := .Value}}`
 * under the name `__alert_<alert>`, on the Go template engine of src/logql/template with
 * Prometheus' string functions.
 */
import { Parser } from '../logql/template/parser'
import { Execution, type Program } from '../logql/template/exec'
import { BUILTINS } from '../logql/template/builtins'
import type { FuncDef } from '../logql/template/func-types'
import { strFn1, num } from '../logql/template/func-types'
import { toLower, toUpper, title } from '../logql/template/strings'
import { goFloat, goMapOf, labelsMap, type GoValue } from '../logql/template/value'
import { formatFloat } from '../logql/template/ftoa'

const DEFS = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$value := .Value}}'

/** Prometheus' `humanize`: SI prefixes, four significant digits. */
function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatFloat(v, 'g', 4)
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']
  const small = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y']
  let x = v
  let i = 0
  if (Math.abs(x) >= 1) {
    while (Math.abs(x) >= 1000 && i < prefixes.length - 1) {
      x /= 1000
      i++
    }
    return `${formatFloat(x, 'g', 4)}${prefixes[i]}`
  }
  while (Math.abs(x) < 1 && i < small.length - 1) {
    x *= 1000
    i++
  }
  return `${formatFloat(x, 'g', 4)}${small[i]}`
}

const floatFn = (f: (v: number) => string): FuncDef => ({ params: ['any'], call: (a) => f(typeof a[0] === 'string' ? Number(a[0]) : num(a[0])) })

const PROMETHEUS_FUNCS: Record<string, FuncDef> = {
  toUpper: strFn1(toUpper),
  toLower: strFn1(toLower),
  title: strFn1(title),
  humanize: floatFn(humanize),
  humanizePercentage: floatFn((v) => `${formatFloat(v * 100, 'g', 4)}%`),
}

function lookup(name: string): FuncDef | undefined {
  if (Object.prototype.hasOwnProperty.call(PROMETHEUS_FUNCS, name)) return PROMETHEUS_FUNCS[name]
  if (Object.prototype.hasOwnProperty.call(BUILTINS, name)) return BUILTINS[name]
  return undefined
}

function program(alert: string, text: string): Program {
  const name = `__alert_${alert}`
  const full = DEFS + text
  const parsed = new Parser(name, full, (n) => lookup(n) !== undefined).parse()
  return { name, text: full, root: parsed.root, defs: parsed.defs, funcs: lookup }
}

/** Throws the engine's TemplateParseError (Go's text) when `text` does not parse. */
export function checkAlertTemplate(alert: string, text: string): void {
  program(alert, text)
}

/** Expands `text` for one alert; a failure yields Prometheus' `<error expanding template: …>`. */
export function expandAlertTemplate(alert: string, text: string, labels: Readonly<Record<string, string>>, value: number, timeNs: bigint): string {
  try {
    const data: GoValue = goMapOf(
      new Map<string, GoValue>([
        ['Labels', labelsMap(labels)],
        ['ExternalLabels', labelsMap({})],
        ['ExternalURL', ''],
        ['Value', goFloat(value)],
      ]),
    )
    return new Execution(program(alert, text)).run(data, '', timeNs, timeNs)
  } catch (e) {
    return `<error expanding template: ${e instanceof Error ? e.message : String(e)}>`
  }
}
