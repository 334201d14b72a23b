/**
 * What threaded wasm needs from the installed `@tensorflow/tfjs-backend-wasm` package: its version, the threaded build's
 * pthread worker source and glue script, and the markers in its Node bundle that `src/runtime/wasmThreads.ts`'s
 * workarounds depend on. Reads the package's files; runs no tfjs.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * The tfjs-backend-wasm version whose internals this module relies on (pinned in package.json).
 * @category Weights and files
 */
export const pinnedWasmVersion = '4.22.0'

/**
 * Where the threaded build's worker source and glue script are, or why threads cannot be used.
 * @category Weights and files
 */
export type ThreadedWasmSupport =
  | { readonly ok: true; readonly workerSource: string; readonly glueScript: string }
  | { readonly ok: false; readonly reason: string }

/**
 * Markers in tfjs-backend-wasm's Node bundle that the workarounds depend on: Emscripten takes `Worker` from
 * `worker_threads`, sends the glue script in the `load` message, and counts cores with `os.cpus()`.
 */
const bundleMarkers = [
  'commonjsGlobal.Worker = nodeWorkerThreads.Worker',
  '"urlOrBlob": Module["mainScriptUrlOrBlob"]',
  'return require$$4.cpus().length',
  "ENV.registerFlag('WASM_HAS_MULTITHREAD_SUPPORT'",
] as const

/** Markers in the pthread worker's source: it imports the glue script named in its `load` message. */
const workerMarkers = ['e.data.cmd==="load"', 'importScripts(e.data.urlOrBlob)', 'WasmBackendModuleThreadedSimd(Module)'] as const

let support: ThreadedWasmSupport | undefined

/**
 * Checks that the installed tfjs-backend-wasm has the internals threaded start-up relies on (once per process).
 * @example
 * ```ts
 * const s = threadedWasmSupport()
 * if (!s.ok) console.warn(s.reason)
 * ```
 * @category Weights and files
 */
export function threadedWasmSupport(): ThreadedWasmSupport {
  if (support !== undefined) return support
  const fail = (reason: string): ThreadedWasmSupport => (support = { ok: false, reason: `threaded wasm unavailable: ${reason}` })
  try {
    const require = createRequire(import.meta.url)
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }
    if (pkg.version !== pinnedWasmVersion) {
      return fail(`@tensorflow/tfjs-backend-wasm is ${String(pkg.version)}, shapesafe's adapter is written for ${pinnedWasmVersion}`)
    }
    const files = {
      bundle: path.join(dir, 'dist', 'tf-backend-wasm.node.js'),
      binary: path.join(dir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'),
      worker: path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
      glue: path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'),
    }
    for (const [what, file] of Object.entries(files)) if (!existsSync(file)) return fail(`missing ${what} file ${file}`)
    const bundle = readFileSync(files.bundle, 'utf8')
    for (const m of bundleMarkers) if (!bundle.includes(m)) return fail(`${files.bundle} no longer contains ${JSON.stringify(m)}`)
    const worker = (require(files.worker) as { wasmWorkerContents?: unknown }).wasmWorkerContents
    if (typeof worker !== 'string') return fail(`${files.worker} exports no wasmWorkerContents string`)
    for (const m of workerMarkers) if (!worker.includes(m)) return fail(`the pthread worker source no longer contains ${JSON.stringify(m)}`)
    if (!readFileSync(files.glue, 'utf8').includes('var WasmBackendModuleThreadedSimd')) return fail(`${files.glue} does not define WasmBackendModuleThreadedSimd`)
    // tfjs escapes the newlines inside the source's string literals the same way before making its Blob.
    return (support = { ok: true, workerSource: worker.replace(/\n/g, '\\n'), glueScript: files.glue })
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e))
  }
}

