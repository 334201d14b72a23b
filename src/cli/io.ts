import { checkWritable } from '../io/writable.js'

/**
 * The process boundary of the command-line interface: where a command writes and what it may ask about its terminal and
 * environment. Commands take a {@link CliIo} instead of touching `process`, so tests run them in-process and capture
 * their output.
 *
 * @module
 */

/**
 * Output streams, terminal detection and environment of one CLI invocation.
 *
 * @example
 * ```ts
 * const lines: string[] = []
 * const io: CliIo = { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s), isTTY: false, env: {} }
 * reportError('train', io, new CliError('--epochs: expected a positive integer, got "x"', 2)) // 2
 * lines // ['shapesafe train: --epochs: expected a positive integer, got "x"\n']
 * ```
 * @category model
 */
export interface CliIo {
  /** Writes `s` to standard output as is (callers add their own newlines). */
  readonly stdout: (s: string) => void
  /** Writes `s` to standard error as is. */
  readonly stderr: (s: string) => void
  /** Whether standard error is an interactive terminal (progress bars are drawn only then). */
  readonly isTTY: boolean
  /** Environment variables (`SHAPESAFE_BACKEND`, `SHAPESAFE_DATA`, ...). */
  readonly env: NodeJS.ProcessEnv
}

/**
 * The real process: `process.stdout`/`process.stderr`, `process.stderr.isTTY` and `process.env`.
 *
 * @example
 * ```ts
 * const io = processIo()
 * io.stdout('done\n') // written to process.stdout
 * // the shapesafe binary: process.exitCode = await main(process.argv.slice(2), processIo())
 * ```
 * @category constructors
 */
export const processIo = (): CliIo => ({
  stdout: (s) => {
    process.stdout.write(s)
  },
  stderr: (s) => {
    process.stderr.write(s)
  },
  isTTY: process.stderr.isTTY === true,
  env: process.env,
})

/**
 * An in-memory {@link CliIo} for tests: everything written is collected in `out` and `err`.
 *
 * @example
 * ```ts
 * const io = memoryIo()
 * io.stdout('hi\n')
 * io.out() // 'hi\n'
 * ```
 * @category constructors
 */
export const memoryIo = (
  options: { readonly isTTY?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
): CliIo & { readonly out: () => string; readonly err: () => string } => {
  const out: string[] = []
  const err: string[] = []
  return {
    stdout: (s) => {
      out.push(s)
    },
    stderr: (s) => {
      err.push(s)
    },
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    out: () => out.join(''),
    err: () => err.join(''),
  }
}

/**
 * A user-facing failure of a command: `message` is printed as is (no stack trace) and the process exits with
 * `exitCode` (2 for a bad command line, 1 for a failure while running, 128 + n after signal n).
 *
 * @example
 * ```ts
 * throw new CliError('--resume needs --checkpoint PATH', 2)
 * ```
 * @category errors
 */
export class CliError extends Error {
  override readonly name = 'CliError'
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message)
  }
}

/** Error classes whose message is written for users (their stack traces are never shown). */
const userErrorNames = new Set([
  'CliError',
  'ShapeError',
  'LayerOptionsError',
  'GraphError',
  'StateError',
  'DataError',
  'BackendError',
  'NonFiniteLossError',
  'TrainError',
])

/** Whether an error message is a backend running out of memory (the wasm heap's abort or out-of-bounds access). */
const isOutOfMemory = (message: string): boolean =>
  /memory access out of bounds|^Aborted\(|out of memory|Cannot enlarge memory/i.test(message)

/** What to do about running out of memory, per command. */
const outOfMemoryAdvice = (command: string): string =>
  command === 'run'
    ? 'run fewer images at a time (a smaller N in the input file)'
    : 'use a smaller --batch-size or --resize'

/**
 * Prints a thrown value for a user and returns the exit code: a {@link CliError}'s own code, 1 otherwise. Messages
 * of known error types are printed as is; anything else is an internal error, printed as one line (the stack
 * trace only when `SHAPESAFE_DEBUG` is set).
 *
 * @example
 * ```ts
 * declare const io: CliIo
 * reportError('train', io, new CliError('--epochs: expected a positive integer, got "x"', 2)) // 2
 * ```
 * @category errors
 */
export const reportError = (command: string, io: CliIo, error: unknown): number => {
  const prefix = command === '' ? 'shapesafe' : `shapesafe ${command}`
  if (error instanceof Error && userErrorNames.has(error.name)) {
    io.stderr(`${prefix}: ${error.message}\n`)
    return error instanceof CliError ? error.exitCode : 1
  }
  const message = error instanceof Error ? error.message : String(error)
  if (isOutOfMemory(message)) {
    io.stderr(
      `${prefix}: the backend ran out of memory (${message}). The wasm backend's heap is capped at 4 GB and never ` +
        `shrinks: ${outOfMemoryAdvice(command)}, or use the tensorflow backend (see docs/backends.md).\n`,
    )
    return 1
  }
  const debug = io.env.SHAPESAFE_DEBUG !== undefined && io.env.SHAPESAFE_DEBUG !== '' && io.env.SHAPESAFE_DEBUG !== '0'
  io.stderr(
    `${prefix}: internal error: ${message}\n` +
      (debug && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : '(set SHAPESAFE_DEBUG=1 for a stack trace)\n'),
  )
  return 1
}

/**
 * Runs a command body, turning anything it throws into a message on stderr and an exit code ({@link reportError}).
 *
 * @example
 * ```ts
 * export const fooCommand = (argv: string[], io: CliIo) => withErrorReporting('foo', io, async () => 0)
 * ```
 * @category errors
 */
export const withErrorReporting = async (command: string, io: CliIo, body: () => Promise<number>): Promise<number> => {
  try {
    return await body()
  } catch (e) {
    return reportError(command, io, e)
  }
}

/**
 * Checks before any work that the path given to `flag` can be written (see {@link checkWritable}); throws a
 * {@link CliError} naming the flag, the path and the reason (e.g. EROFS) otherwise.
 *
 * @example
 * ```ts
 * await requireWritable('--output', 'y.safetensors') // before reading weights or running anything
 * ```
 * @category errors
 */
export const requireWritable = async (flag: string, path: string, kind: 'file' | 'directory' = 'file'): Promise<void> => {
  const problem = await checkWritable(path, kind)
  if (problem !== undefined) throw new CliError(`${flag}: ${problem.message}`, 1)
}

/**
 * Wraps `stream.write` so that the lines the WebAssembly backend prints when it aborts (`Aborted()`, `Aborted(OOM)`)
 * are dropped: the error that follows them is explained by {@link reportError}, which quotes it. Emscripten prints
 * them with a `console.warn` it bound when the module was created, so the stream is the only place to catch them.
 * Returns a function that restores the original `write`.
 *
 * @example
 * ```ts
 * const restore = dropWasmAbortLines(process.stderr)
 * ```
 * @category utils
 */
export const dropWasmAbortLines = (stream: NodeJS.WriteStream): (() => void) => {
  const original = stream.write
  const write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined
    if (text !== undefined && /^Aborted\([^\n]*\)\n?$/.test(text)) {
      const callback = rest.find((r): r is () => void => typeof r === 'function')
      if (callback !== undefined) process.nextTick(callback)
      return true
    }
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
  }
  stream.write = write as typeof stream.write
  return () => {
    stream.write = original
  }
}
