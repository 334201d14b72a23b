/**
 * `shapesafe check [-p tsconfig.json] [--json]`: type-checks a project with its own TypeScript and prints every
 * error as the editor plugin shows it: shapesafe's verdict first, then the shape trace of the stages before it,
 * then TypeScript's message. Exit 1 when there are errors. For CI and for people who do not use an editor.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TS from 'typescript'
import { explain, FileStages, verdictFirst, type TypeScript } from '../editor/analysis.cjs'
import { booleanFlag, formatFlagHelp, parseArgs, stringFlag } from './args.js'
import type { CliIo } from './io.js'

const flags = {
  project: stringFlag('tsconfig.json, or the folder holding it (default: ./tsconfig.json)', 'PATH'),
  json: booleanFlag('print one JSON object {typescript, errors, diagnostics} instead of the messages'),
}

const usage = `usage: shapesafe check [-p tsconfig.json] [--json]

Type-checks the project with its own TypeScript (resolved from the project's folder) and prints the errors with
shapesafe's verdict first and the shapes of the stages before it. Exit 1 on errors.

${formatFlagHelp(flags)}
  -p PATH    same as --project
`

/** One diagnostic in `--json` output. */
export interface CheckedDiagnostic {
  /** File path relative to the working directory (absent for global diagnostics). */
  readonly file?: string
  /** 1-based line and column. */
  readonly line?: number
  readonly column?: number
  readonly code: number
  readonly category: 'error' | 'warning' | 'suggestion' | 'message'
  /** shapesafe's verdict, when the error is a shape check. */
  readonly verdict?: string
  /** The composition's input and stages up to the failing one, each with the shape after it (null: not a tensor). */
  readonly trace?: readonly { readonly stage: string; readonly shape: string | null }[]
  /** The whole message as printed (verdict first for shape checks). */
  readonly message: string
}

/** `typescript` as the project resolves it (its node_modules), or an explanation. */
function projectTypeScript(projectDir: string): E.Either<string, TypeScript> {
  try {
    const require = createRequire(path.join(projectDir, 'package.json'))
    return E.right(require('typescript') as TypeScript)
  } catch (e) {
    return E.left(`cannot load the project's TypeScript from ${projectDir} (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); install it with \`npm install --save-dev typescript\``)
  }
}

const categoryName = (ts: TypeScript, c: TS.DiagnosticCategory): CheckedDiagnostic['category'] =>
  c === ts.DiagnosticCategory.Error ? 'error' : c === ts.DiagnosticCategory.Warning ? 'warning' : c === ts.DiagnosticCategory.Suggestion ? 'suggestion' : 'message'

/**
 * Runs `shapesafe check`. Exit codes: 0 no errors; 1 errors (printed); 2 bad command line, no tsconfig, or no
 * TypeScript in the project.
 * @example
 * ```ts
 * await checkCommand(['-p', 'tsconfig.json'], processIo())
 * ```
 */
export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const normalised = argv.map((a) => (a === '-p' ? '--project' : a))
  const parsed = parseArgs(normalised, flags)
  if (E.isLeft(parsed)) {
    io.stderr(`shapesafe check: ${parsed.left.message}\n\n${usage}`)
    return 2
  }
  const { positionals, flags: given, help } = parsed.right
  if (help) {
    io.stdout(usage)
    return 0
  }
  if (positionals.length > 0) {
    io.stderr(`shapesafe check: unexpected argument ${positionals[0]} (give the project with -p)\n\n${usage}`)
    return 2
  }
  let configPath = path.resolve(given.project ?? 'tsconfig.json')
  if (existsSync(configPath) && statSync(configPath).isDirectory()) configPath = path.join(configPath, 'tsconfig.json')
  if (!existsSync(configPath)) {
    io.stderr(`shapesafe check: no ${path.relative(process.cwd(), configPath) || configPath} (give the project with -p)\n`)
    return 2
  }
  const loaded = projectTypeScript(path.dirname(configPath))
  if (E.isLeft(loaded)) {
    io.stderr(`shapesafe check: ${loaded.left}\n`)
    return 2
  }
  const ts = loaded.right
  const host: TS.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }
  const parsedConfig = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (parsedConfig === undefined || parsedConfig.errors.length > 0) {
    const errors = parsedConfig?.errors ?? []
    io.stderr(`shapesafe check: cannot read ${configPath}\n${ts.formatDiagnostics(errors, host)}`)
    return 2
  }
  const program = ts.createProgram({ rootNames: parsedConfig.fileNames, options: parsedConfig.options, projectReferences: parsedConfig.projectReferences })
  const files = new Map<TS.SourceFile, FileStages>()
  const stagesOf = (d: TS.Diagnostic) => {
    if (d.file === undefined) return undefined
    const known = files.get(d.file)
    if (known !== undefined) return known
    const made = new FileStages(ts, program, d.file)
    files.set(d.file, made)
    return made
  }
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => verdictFirst(ts, program, d, stagesOf(d)))
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length
  if (given.json === true) {
    const report = diagnostics.map((d): CheckedDiagnostic => {
      const explanation = explain(ts, program, d, stagesOf(d))
      const where = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
      return {
        ...(d.file === undefined ? {} : { file: path.relative(process.cwd(), d.file.fileName) }),
        ...(where === undefined ? {} : { line: where.line + 1, column: where.character + 1 }),
        code: d.code,
        category: categoryName(ts, d.category),
        ...(explanation?.verdict === undefined ? {} : { verdict: explanation.verdict }),
        ...(explanation === undefined || explanation.trace.length === 0
          ? {}
          : { trace: explanation.trace.map((s) => ({ stage: s.label, shape: s.shape?.text ?? null })) }),
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      }
    })
    io.stdout(`${JSON.stringify({ typescript: ts.version, errors, diagnostics: report }, null, 2)}\n`)
  } else if (diagnostics.length > 0) {
    io.stdout(ts.formatDiagnostics(diagnostics, host))
    io.stdout(`\n${errors === 0 ? 'No errors' : `Found ${errors} error${errors === 1 ? '' : 's'}`} (TypeScript ${ts.version}).\n`)
  }
  return errors > 0 ? 1 : 0
}
