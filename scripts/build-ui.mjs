/**
 * Bundles the explore page's script and the chart library's stylesheet (src/ui/client/main.mts)
 * into src/ui/public/app.js and app.css, which Workers static assets serve beside index.html.
 * wrangler runs this before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml).
 * Several `wrangler dev` processes may start at once (the end-to-end tests), so each file is
 * written under a temporary name and renamed into place.
 */
import { build } from 'esbuild'
import { renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, 'src/ui/public')

const result = await build({
  entryPoints: { app: join(root, 'src/ui/client/main.mts') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  outdir,
  write: false,
  logLevel: 'warning',
})
for (const file of result.outputFiles) {
  const tmp = join(outdir, `.${basename(file.path)}.${process.pid}.tmp`)
  writeFileSync(tmp, file.contents)
  renameSync(tmp, file.path)
}
