#!/usr/bin/env node
// Lines of src/ that only tests use: a non-test module that the Worker's entry
// (src/index.ts) does not reach through its imports, or one with runtime code of
// which nothing reaches the bundle. Usage:
//   npx wrangler deploy --dry-run --outdir /tmp/out --metafile /tmp/out/meta.json
//   node scripts/test-only-lines.mjs /tmp/out/meta.json [--list]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const metaPath = process.argv[2]
const list = process.argv.includes('--list')
const src = resolve('src')

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) yield path
  }
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm
function resolveSpec(from, spec) {
  const base = resolve(dirname(from), spec)
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

const reached = new Set()
const pending = [join(src, 'index.ts')]
while (pending.length > 0) {
  const file = pending.pop()
  if (reached.has(file)) continue
  reached.add(file)
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = resolveSpec(file, m[1] ?? m[2])
    if (target) pending.push(target)
  }
}

const meta = JSON.parse(readFileSync(metaPath, 'utf8'))
const shipped = new Set()
for (const output of Object.values(meta.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput > 0) shipped.add(resolve(input))
  }
}
const RUNTIME = /^\s*export\s+(?:async\s+)?(?:const|let|function\*?|class|enum)\b|^\s*export\s+default\b/m

let total = 0
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8')
  const testOnly = !reached.has(file) || (RUNTIME.test(text) && !shipped.has(file))
  if (!testOnly) continue
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  total += lines
  if (list) console.log(`${String(lines).padStart(5)}  ${relative(src, file)}`)
}
console.log(`${total} lines in src/ used only by tests`)
