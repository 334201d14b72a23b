#!/usr/bin/env node
/**
 * The `shapesafe` command: dispatches to `summary`, `run`, `export`, `train` and `compare`. Each command module is loaded only
 * when used, so `shapesafe --help` starts without loading TensorFlow.js.
 *
 * @module
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { closestMatch } from './args.js'
import { dropWasmAbortLines, processIo, reportError, type CliIo } from './io.js'
import { version } from './version.js'

export { version }

/** A command entry point: arguments after the command name → exit code. */
type Command = (argv: string[], io: CliIo) => Promise<number>

/** Commands by name, with a one-line description, loaded lazily. */
const commands: Readonly<Record<string, { readonly usage: string; readonly help: string; readonly load: () => Promise<Command> }>> = {
  summary: {
    usage: 'summary <model>',
    help: "print a model's layers, output shapes and parameter counts",
    load: async () => (await import('./summary.js')).summaryCommand,
  },
  run: {
    usage: 'run <model> --weights W --input X --output Y',
    help: 'run a model in eval mode on a tensor file, with PyTorch weights',
    load: async () => (await import('./run.js')).runCommand,
  },
  export: {
    usage: 'export <model> --format pytorch|onnx --output P',
    help: 'write a model for another framework: a PyTorch nn.Module or an ONNX file',
    load: async () => (await import('./export.js')).exportCommand,
  },
  train: {
    usage: 'train <model> [--epochs E] ...',
    help: 'train a zoo model on Fashion-MNIST',
    load: async () => (await import('./train.js')).trainCommand,
  },
  check: {
    usage: 'check [-p tsconfig.json] [--json]',
    help: "type-check a project with shapesafe's verdicts first and shape traces",
    load: async () => (await import('./check.js')).checkCommand,
  },
  doctor: {
    usage: 'doctor [--json]',
    help: 'say which engines and backends can run here, and why one cannot',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  compare: {
    usage: 'compare <model> <model>... [--out DIR]',
    help: 'train several models on the same budget; write a table and plots',
    load: async () => (await import('./compare.js')).compareCommand,
  },
}

/**
 * The top-level help text.
 *
 * @category utils
 */
export const mainUsage = (): string => {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length))
  const lines = Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.help}`)
  return `shapesafe ${version()}: shape-safe CNNs in TypeScript on TensorFlow.js

Usage: shapesafe <command> [arguments] [flags]

Commands:
${lines.join('\n')}

Run "shapesafe <command> --help" for a command's flags.

Options:
  --help, -h     this help
  --version, -v  print the version

Environment:
  SHAPESAFE_BACKEND  tensorflow | webgpu | wasm | cpu (default: the best available)
  SHAPESAFE_THREADS  wasm threads: auto | 1–8 (default: auto, one per core)
  SHAPESAFE_DATA     directory holding the dataset files
  SHAPESAFE_DEBUG    print stack traces of internal errors
`
}

/**
 * Runs the CLI with `argv` (the arguments after `shapesafe`) and returns the exit code: 0 success, 1 failure, 2 bad
 * command line.
 *
 * @example
 * ```ts
 * const io = processIo()
 * await main(['--version'], io) // 0, prints "0.1.0"
 * await main(['trian'], io)     // 2: unknown command 'trian' (did you mean train?)
 * ```
 * @category commands
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    io.stderr(mainUsage())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainUsage())
    return 0
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${version()}\n`)
    return 0
  }
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined
  if (command === undefined) {
    const guess = closestMatch(name, Object.keys(commands))
    io.stderr(`shapesafe: unknown command '${name}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}\n\n${mainUsage()}`)
    return 2
  }
  try {
    const run = await command.load()
    return await run(rest, io)
  } catch (e) {
    return reportError(name, io, e)
  }
}

/** Whether this module is the process's entry point (also through npm's bin symlink). */
const isEntryPoint = (): boolean => {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  dropWasmAbortLines(process.stderr)
  process.exitCode = await main(process.argv.slice(2), processIo())
}
