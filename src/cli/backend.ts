/**
 * The backend flags every command shares: `--backend` and `--threads` (wasm threads; one per core by default on the
 * command line, while the library's default stays 1).
 * @module
 */
import { maxWasmThreads } from '../runtime/wasmThreads.js'
import { parseThreads, selectBackend, type BackendInfo, type ThreadsRequest } from '../runtime/backend.js'
import { stringFlag } from './args.js'
import { CliError, type CliIo } from './io.js'

/**
 * `--threads N`.
 *
 * @category flags
 */
export const threadsFlag = stringFlag(`wasm threads: auto (one per core, at most ${maxWasmThreads}) or 1–${maxWasmThreads} (default: SHAPESAFE_THREADS, else auto)`, 'N')

/**
 * Selects the backend (`--backend`, else `SHAPESAFE_BACKEND`, else the best available); an unknown or unavailable
 * name is a usage error.
 *
 * @category running
 */
export const chooseBackend = async (backend: string | undefined, io: CliIo, threads?: string): Promise<BackendInfo> => {
  let info: BackendInfo
  try {
    info = await selectBackend({ ...(backend === undefined ? {} : { backend }), ...cliThreads(threads), env: io.env })
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), 2)
  }
  if (info.warning !== undefined) io.stderr(`warning: ${info.warning}\n`)
  return info
}

/**
 * The CLI's wasm thread options: `--threads` if given (else `SHAPESAFE_THREADS`), and one thread per core by default.
 *
 * @category running
 */
export const cliThreads = (threads: string | undefined): { threads?: ThreadsRequest; defaultThreads: ThreadsRequest } => {
  if (threads === undefined) return { defaultThreads: 'auto' }
  const parsed = parseThreads(threads)
  if (parsed === undefined) throw new CliError(`--threads: expected auto or an integer from 1 to ${maxWasmThreads}, got "${threads}"`, 2)
  return { threads: parsed, defaultThreads: 'auto' }
}
