#!/usr/bin/env node
// Counts imports in src/ that go against the component layering of design.md:
//   http -> auth/frontend -> distributor/querier/ruler/compactor/overrides
//        -> ingester/tail/storage/db -> logql
// Foundation modules (go, errors, util, config, metrics, types, version) sit below
// every component and import no component; logql imports nothing of ours but the
// Go primitives. The wiring modules (index: the Worker's entry, env: the bindings,
// which name the Durable Object classes) are outside the layering. Usage: node scripts/layering.mjs [src-dir] [--list]
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const RANK = {
  http: 4,
  auth: 3, frontend: 3,
  distributor: 2, querier: 2, ruler: 2, compactor: 2, overrides: 2, tenant: 2,
  ingester: 1, tail: 1, storage: 1, db: 1,
  logql: 0,
  go: -1, errors: -1, util: -1, config: -1, metrics: -1, types: -1, version: -1,
}
const FOUNDATION_FOR_LOGQL = new Set(['go'])
const WIRING = new Set(['index', 'env'])

const root = resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'src')
const list = process.argv.includes('--list')

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts')) yield path
  }
}

const component = (path) => relative(root, path).split('/')[0].replace(/\.ts$/, '')
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm

const upward = []
const unknown = new Set()
for (const file of files(root)) {
  const from = component(file)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]
    const to = component(resolve(dirname(file), spec))
    if (to === from || to.startsWith('..') || WIRING.has(from) || WIRING.has(to)) continue
    for (const c of [from, to]) if (!(c in RANK)) unknown.add(c)
    const bad = from === 'logql' ? !FOUNDATION_FOR_LOGQL.has(to) : RANK[to] > RANK[from] || (RANK[from] === -1 && RANK[to] >= 0)
    if (bad) upward.push({ from, to, where: `${relative(root, file)} -> ${to} (${spec})` })
  }
}
if (list) for (const { where } of upward) console.log(where)
const byPair = new Map()
for (const { from, to } of upward) byPair.set(`${from} -> ${to}`, (byPair.get(`${from} -> ${to}`) ?? 0) + 1)
for (const [pair, n] of [...byPair].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${pair}`)
console.log(`${upward.length} upward imports`)
if (unknown.size) console.log(`components without a layer: ${[...unknown].join(', ')}`)
