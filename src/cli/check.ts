/**
 * `shapesafe check [-p tsconfig.json] [--json]`: type-checks a project with its own TypeScript and prints every
 * error as the editor plugin shows it: shapesafe's verdict first, then the shape trace of the stages before it,
 * then TypeScript's message; and, as the plugin does, an error for each tensor that carries a verdict out of a block
 * and that nothing checks (which `tsc` passes silently). Exit 1 when there are errors. For CI and for people who do
 * not use an editor.
 *
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import type * as TS from 'typescript'
import { collapse, explain, FileStages, findVerdict, unconsumedVerdictCode, unconsumedVerdicts, verdictFirst, verdictMarker, type TypeScript } from '../editor/analysis.cjs'
import { booleanFlag, formatFlagHelp, parseArgs, stringFlag } from './args.js'
import type { CliIo } from './io.js'

const flags = {
  project: stringFlag('tsconfig.json, or the folder holding it (default: ./tsconfig.json)', 'PATH'),
  typescript: stringFlag("the compiler package, resolved from the project's folder (default: typescript)", 'NAME'),
  json: booleanFlag('print one JSON object {typescript, errors, diagnostics} instead of the messages'),
}

const usage = `usage: shapesafe check [-p tsconfig.json] [--json] [--typescript NAME]

Type-checks the project with its own TypeScript (resolved from the project's folder) and prints the errors with
shapesafe's verdict first and the shapes of the stages before it. Also an error TypeScript does not give: a tensor
that carries a verdict out of a block (a ⛔ dim) and that nothing checks (\`const y = pipe(x, block)\` alone), code
${unconsumedVerdictCode}. Exit 1 on errors. With TypeScript 7 (e.g. --typescript typescript7 where it is installed
under that name) the verdict comes first too; the shape traces and the ${unconsumedVerdictCode} check need TypeScript 5.

${formatFlagHelp(flags)}
  -p PATH    same as --project
`

/** What `shapesafe check` cannot check with TypeScript 7, said on stderr and in `--json` output (`notChecked`). */
export const notCheckedWithTs7 = `tensors that carry a verdict out of a block (a ${verdictMarker} dim) and that nothing checks (error ${unconsumedVerdictCode}): this check reads the checker's types, which TypeScript 7 offers no API for; run shapesafe check with TypeScript 5 for it`

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

/**
 * The compiler as the project resolves it (its node_modules): TypeScript 5.x's compiler API, or for TypeScript 7
 * (whose package exports no compiler API, only `version`) the path of its `unstable/sync` API.
 */
function projectTypeScript(projectDir: string, name: string): E.Either<string, { readonly ts: TypeScript } | { readonly ts7Api: string; readonly version: string }> {
  try {
    const require = createRequire(path.join(projectDir, 'package.json'))
    const loaded = require(name) as Partial<TypeScript> & { version: string }
    if (typeof loaded.createProgram === 'function') return E.right({ ts: loaded as TypeScript })
    return E.right({ ts7Api: require.resolve(`${name}/unstable/sync`), version: loaded.version })
  } catch (e) {
    return E.left(`cannot load the project's ${name} from ${projectDir} (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); install it with \`npm install --save-dev typescript\``)
  }
}

/** A TypeScript 7 API diagnostic (`typescript/unstable/sync`): positions are UTF-16 offsets, as in TypeScript 5. */
interface Ts7Diagnostic {
  readonly fileName?: string
  readonly pos: number
  readonly end: number
  readonly code: number
  readonly category: number
  readonly text: string
  readonly messageChain?: readonly Ts7Diagnostic[]
}

/** A TypeScript 7 diagnostic's message as a TypeScript 5 message chain. */
const ts7Chain = (d: Ts7Diagnostic): TS.DiagnosticMessageChain => ({
  messageText: d.text,
  category: d.category,
  code: d.code,
  ...(d.messageChain === undefined || d.messageChain.length === 0 ? {} : { next: d.messageChain.map(ts7Chain) }),
})

/** A message chain as `tsc` prints it: each level indented two more spaces. */
const flatten = (chain: TS.DiagnosticMessageChain, indent = 0): string =>
  [`${' '.repeat(indent)}${chain.messageText}`, ...(chain.next ?? []).map((n) => flatten(n, indent + 2))].join('\n')

/**
 * `shapesafe check` with TypeScript 7 (its `unstable/sync` API, which runs the native compiler): the verdict first and
 * TypeScript's message collapsed to the part carrying it. Shape traces need the checker's resolved signatures on
 * AST nodes, which that API reaches only through a different AST; they are printed with TypeScript 5 only.
 */
async function checkWithTs7(apiPath: string, version: string, configPath: string, json: boolean, io: CliIo): Promise<number> {
  const { API } = (await import(pathToFileURL(apiPath).href)) as {
    API: new (options: { cwd: string }) => {
      updateSnapshot(params: { openProject: string }): { getProjects(): readonly { configFileName: string; program: { getSyntacticDiagnostics(): readonly Ts7Diagnostic[]; getSemanticDiagnostics(): readonly Ts7Diagnostic[]; getGlobalDiagnostics(): readonly Ts7Diagnostic[] } }[] }
      close(): void
    }
  }
  const api = new API({ cwd: path.dirname(configPath) })
  let all: Ts7Diagnostic[]
  try {
    const snapshot = api.updateSnapshot({ openProject: configPath })
    const project = snapshot.getProjects().find((p) => path.resolve(p.configFileName) === configPath) ?? snapshot.getProjects()[0]
    if (project === undefined) throw new Error(`TypeScript ${version} opened no project for ${configPath}`)
    all = [...project.program.getGlobalDiagnostics(), ...project.program.getSyntacticDiagnostics(), ...project.program.getSemanticDiagnostics()]
  } finally {
    api.close()
  }
  const texts = new Map<string, string>()
  const locate = (d: Ts7Diagnostic) => {
    if (d.fileName === undefined) return undefined
    if (!texts.has(d.fileName)) texts.set(d.fileName, readFileSync(d.fileName, 'utf8'))
    const before = texts.get(d.fileName)!.slice(0, d.pos).split('\n')
    return { file: path.relative(process.cwd(), d.fileName), line: before.length, column: before[before.length - 1].length + 1 }
  }
  const category = (c: number): CheckedDiagnostic['category'] => (['warning', 'error', 'suggestion', 'message'] as const)[c] ?? 'error'
  const shown = all.map((d) => {
    const original = ts7Chain(d)
    const verdict = findVerdict(original)
    const messageText = verdict === undefined ? original : { messageText: `${verdictMarker} ${verdict}`, category: d.category, code: d.code, next: [collapse(original)] }
    return { d, where: locate(d), verdict, message: flatten(messageText) }
  })
  const errors = shown.filter((s) => category(s.d.category) === 'error').length
  if (json) {
    const diagnostics = shown.map(({ d, where, verdict, message }): CheckedDiagnostic => ({
      ...(where ?? {}),
      code: d.code,
      category: category(d.category),
      ...(verdict === undefined ? {} : { verdict }),
      message,
    }))
    io.stdout(`${JSON.stringify({ typescript: version, errors, diagnostics, notChecked: [notCheckedWithTs7] }, null, 2)}\n`)
  } else {
    for (const { d, where, message } of shown) {
      const at = where === undefined ? '' : `${where.file}(${where.line},${where.column}): `
      io.stdout(`${at}${category(d.category)} TS${d.code}: ${message}\n`)
    }
    if (shown.length > 0) io.stdout(`\n${errors === 0 ? 'No errors' : `Found ${errors} error${errors === 1 ? '' : 's'}`} (TypeScript ${version}).\n`)
    io.stderr(`shapesafe check: not checked with TypeScript ${version}: ${notCheckedWithTs7}.\n`)
  }
  return errors > 0 ? 1 : 0
}

/**
 * The errors of tensors that carry a verdict and that nothing checks, in the project's own files. Should the
 * analysis fail on a file, that is said on stderr and TypeScript's own errors are still printed.
 */
function unconsumedOf(ts: TypeScript, program: TS.Program, io: CliIo): TS.Diagnostic[] {
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !program.isSourceFileFromExternalLibrary(f) && !f.fileName.includes('/node_modules/'))
  return files.flatMap((f) => {
    try {
      return unconsumedVerdicts(ts, program, f, FileStages.of(ts, program, f))
    } catch (e) {
      io.stderr(`shapesafe check: the ${unconsumedVerdictCode} check failed on ${path.relative(process.cwd(), f.fileName)} (${e instanceof Error ? e.message : String(e)}); TypeScript's own errors are shown\n`)
      return []
    }
  })
}

const categoryName = (ts: TypeScript, c: TS.DiagnosticCategory): CheckedDiagnostic['category'] =>
  c === ts.DiagnosticCategory.Error ? 'error' : c === ts.DiagnosticCategory.Warning ? 'warning' : c === ts.DiagnosticCategory.Suggestion ? 'suggestion' : 'message'

/**
 * Runs `shapesafe check`. Exit codes: 0 no errors; 1 errors (printed); 2 bad command line, no tsconfig, or no
 * TypeScript in the project.
 * @example
 * ```ts
 * declare const io: CliIo // processIo() in the shapesafe binary
 * await checkCommand(['-p', 'tsconfig.json'], io)
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
  const loaded = projectTypeScript(path.dirname(configPath), given.typescript ?? 'typescript')
  if (E.isLeft(loaded)) {
    io.stderr(`shapesafe check: ${loaded.left}\n`)
    return 2
  }
  if ('ts7Api' in loaded.right) return checkWithTs7(loaded.right.ts7Api, loaded.right.version, configPath, given.json === true, io)
  const ts = loaded.right.ts
  const host: TS.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }
  const parsedConfig = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (parsedConfig === undefined || parsedConfig.errors.length > 0) {
    const errors = parsedConfig?.errors ?? []
    io.stderr(`shapesafe check: cannot read ${configPath}\n${ts.formatDiagnostics(errors, host)}`)
    return 2
  }
  const program = ts.createProgram({ rootNames: parsedConfig.fileNames, options: parsedConfig.options, projectReferences: parsedConfig.projectReferences })
  const stagesOf = (d: TS.Diagnostic) => (d.file === undefined ? undefined : FileStages.of(ts, program, d.file))
  const own = ts.getPreEmitDiagnostics(program).map((d) => verdictFirst(ts, program, d, stagesOf(d)))
  // TypeScript's order (file name, position), ours among them
  const diagnostics = [...ts.sortAndDeduplicateDiagnostics([...own, ...unconsumedOf(ts, program, io)])]
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
