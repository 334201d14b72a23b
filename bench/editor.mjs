#!/usr/bin/env node
// The editor plugin's cost: latency of tsserver's inlay-hint and diagnostic requests with and without
// shapesafe/ts-plugin, on the largest zoo file (src/zoo/resnet.ts), a ResNet-152 pipeline
// (type-tests/bench/resnet152.ts), the editor tests' file of shape mistakes (four verdicts to rewrite, whose
// stages are re-resolved in a cut copy of the file) and their file of verdicts nothing checks (each followed to
// where it ends, error 61001). Needs `npm run build` first.
//
//   node bench/editor.mjs [--runs 7]
//
// Each run edits the file (appends a comment, as typing does), so TypeScript re-checks it: a request's time is what a
// user waits for after a keystroke. The plugin is loaded as a global plugin (--globalPlugins), so the files are
// checked in their own projects; the figures are medians over the runs.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fixtureDir, linkFixturePackage, root, startServer } from '../scripts/tsserver-client.mjs'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7
const files = ['src/zoo/resnet.ts', 'type-tests/bench/resnet152.ts', 'tests/fixtures/editor/mistakes.ts', 'tests/fixtures/editor/unconsumed.ts']

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function measure(withPlugin, relative) {
  const file = path.join(root, relative)
  const args = withPlugin ? ['--globalPlugins', 'shapesafe/ts-plugin', '--pluginProbeLocations', fixtureDir] : []
  const server = startServer(args)
  try {
    const text = fs.readFileSync(file, 'utf8')
    await server.open(file)
    // The fixture project enables the plugin in its tsconfig.json: "without" turns it off there.
    if (!withPlugin) await server.request('configurePlugin', { pluginName: 'shapesafe/ts-plugin', configuration: { hints: 'off', diagnostics: 'original', unconsumed: 'off' } })
    const lines = text.split('\n')
    const times = { diagnostics: [], hints: [], hintCount: 0 }
    // run 0 warms up (loads the project and the library's types) and is not counted
    for (let i = 0; i <= runs; i++) {
      const line = lines.length
      await server.request('change', { file, line, offset: lines[line - 1].length + 1, endLine: line, endOffset: lines[line - 1].length + 1, insertString: `//${i}` })
      lines[line - 1] += `//${i}`
      let t = performance.now()
      await server.request('semanticDiagnosticsSync', { file })
      const diagnostics = performance.now() - t
      t = performance.now()
      const hints = await server.request('provideInlayHints', { file, start: 0, length: lines.join('\n').length })
      const hintTime = performance.now() - t
      if (i > 0) {
        times.diagnostics.push(diagnostics)
        times.hints.push(hintTime)
        times.hintCount = hints.filter((h) => h.text.startsWith('→ ')).length
      }
    }
    return { diagnostics: median(times.diagnostics), hints: median(times.hints), hintCount: times.hintCount }
  } finally {
    server.close()
  }
}

/**
 * The cost of the check of verdicts nothing checks (error 61001) alone: one server with the plugin, the check turned
 * off and on by turns before each edit (so both see the same process and load), diagnostics timed.
 */
async function measureUnconsumed(relative) {
  const file = path.join(root, relative)
  const server = startServer(['--globalPlugins', 'shapesafe/ts-plugin', '--pluginProbeLocations', fixtureDir])
  try {
    await server.open(file)
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    const times = { off: [], error: [] }
    for (let i = 0; i <= runs; i++) {
      for (const mode of i % 2 === 0 ? ['off', 'error'] : ['error', 'off']) {
        await server.request('configurePlugin', { pluginName: 'shapesafe/ts-plugin', configuration: { unconsumed: mode } })
        const line = lines.length
        await server.request('change', { file, line, offset: lines[line - 1].length + 1, endLine: line, endOffset: lines[line - 1].length + 1, insertString: `//${i}${mode}` })
        lines[line - 1] += `//${i}${mode}`
        const t = performance.now()
        await server.request('semanticDiagnosticsSync', { file })
        if (i > 0) times[mode].push(performance.now() - t)
      }
    }
    return { off: median(times.off), error: median(times.error) }
  } finally {
    server.close()
  }
}

linkFixturePackage()
const rows = []
for (const relative of files) {
  const without = await measure(false, relative)
  const withPlugin = await measure(true, relative)
  rows.push({ file: relative, without, withPlugin })
  console.error(`${relative}: done`)
}
const ms = (x) => `${Math.round(x)} ms`
console.log(`| file | stage hints | diagnostics, TS alone | diagnostics, with plugin | inlay hints, TS alone | inlay hints, with plugin |`)
console.log(`|---|---:|---:|---:|---:|---:|`)
for (const r of rows) {
  console.log(
    `| ${r.file} | ${r.withPlugin.hintCount} | ${ms(r.without.diagnostics)} | ${ms(r.withPlugin.diagnostics)} | ${ms(r.without.hints)} | ${ms(r.withPlugin.hints)} |`,
  )
}
console.log(`\nThe check of verdicts nothing checks (error 61001), off and on by turns in one server with the plugin:\n`)
console.log(`| file | diagnostics, check off | diagnostics, check on |`)
console.log(`|---|---:|---:|`)
for (const relative of [files[0], files[files.length - 1]]) {
  const t = await measureUnconsumed(relative)
  console.log(`| ${relative} | ${ms(t.off)} | ${ms(t.error)} |`)
}
console.log(`\nmedian of ${runs} edits each; node ${process.version}, TypeScript ${JSON.parse(fs.readFileSync(path.join(root, 'node_modules/typescript/package.json'), 'utf8')).version}`)
