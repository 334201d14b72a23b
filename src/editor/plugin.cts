/**
 * The TypeScript language-service plugin `shapesafe/ts-plugin`: inlay hints with the shape after each stage of a
 * composition, diagnostics with shapesafe's verdict first, and quick fixes where the fix is certain. Enable it in
 * tsconfig.json:
 *
 * ```json
 * { "compilerOptions": { "plugins": [{ "name": "shapesafe/ts-plugin" }] } }
 * ```
 *
 * Options (next to `name`): `"hints": "stages" | "all" | "off"` (default `"stages"`; `"all"` also hints each
 * `const` holding a tensor), `"diagnostics": "verdictFirst" | "original"` (default `"verdictFirst"`),
 * `"unconsumed": "error" | "off"` (default `"error"`).
 *
 * The plugin presents, and adds one check: a tensor that carries a verdict out of a block (a `⛔` dim) and that
 * nothing checks (`const y = pipe(x, block)` alone: `pipe` leaves its last stage's result unchecked) is an error of
 * its own, code 61001 (`unconsumedVerdicts`). `tsc` and the compiled code are the same with or without the plugin.
 * Any failure inside it falls back to TypeScript's own answer.
 *
 * @module
 */
import type * as TS from 'typescript'
import { FileStages, findVerdict, shapeFixes, shapeHints, unconsumedVerdicts, verdictFirst, type TypeScript } from './analysis.cjs'
import { readOptions, type PluginOptions } from './options.cjs'

/** Error codes whose diagnostics may get a shapesafe quick fix (argument and overload mismatches). */
const fixableCodes = [2345, 2769, 2322]

function init(modules: { typescript: TypeScript }): TS.server.PluginModule {
  const ts = modules.typescript
  const instances = new Set<{ options: PluginOptions }>()

  function create(info: TS.server.PluginCreateInfo): TS.LanguageService {
    const state = { options: readOptions(info.config) }
    instances.add(state)
    const ls = info.languageService
    const log = (what: string, e: unknown) => info.project.projectService.logger.info(`shapesafe/ts-plugin: ${what} failed: ${e instanceof Error ? e.stack : String(e)}`)
    /** Runs `f`, or returns `fallback` (TypeScript's own answer) if it throws. */
    const guarded = <T,>(what: string, fallback: T, f: () => T): T => {
      try {
        return f()
      } catch (e) {
        log(what, e)
        return fallback
      }
    }

    const proxy: TS.LanguageService = Object.create(null)
    for (const key of Object.keys(ls) as (keyof TS.LanguageService)[]) {
      const member = ls[key]
      ;(proxy as unknown as Record<string, unknown>)[key] = typeof member === 'function' ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(ls, args) : member
    }

    proxy.provideInlayHints = (fileName, span, preferences) => {
      const own = ls.provideInlayHints(fileName, span, preferences)
      return guarded('inlay hints', own, () => {
        const program = ls.getProgram()
        if (program === undefined) return own
        const ours = shapeHints(ts, program, fileName, span, state.options.hints).map(
          (h): TS.InlayHint => ({ text: h.text, position: h.position, kind: ts.InlayHintKind.Type, whitespaceBefore: true }),
        )
        return [...own, ...ours].sort((a, b) => a.position - b.position)
      })
    }

    proxy.getSemanticDiagnostics = (fileName) => {
      const own = ls.getSemanticDiagnostics(fileName)
      const { diagnostics, unconsumed } = state.options
      if (diagnostics === 'original' && unconsumed === 'off') return own
      return guarded('diagnostics', own, () => {
        const program = ls.getProgram()
        const sourceFile = program?.getSourceFile(fileName)
        if (program === undefined || sourceFile === undefined) return own
        const file = FileStages.of(ts, program, sourceFile)
        const rewrite = diagnostics === 'verdictFirst' && own.some((d) => findVerdict(d.messageText) !== undefined)
        const shown = rewrite ? own.map((d) => verdictFirst(ts, program, d, file)) : own
        // TypeScript's own diagnostics stay as they are if this part fails
        const ours = unconsumed === 'error' ? guarded('unconsumed verdicts', [], () => unconsumedVerdicts(ts, program, sourceFile, file)) : []
        return ours.length === 0 ? shown : [...shown, ...ours]
      })
    }

    proxy.getSupportedCodeFixes = (fileName) => [...new Set([...ls.getSupportedCodeFixes(fileName), ...fixableCodes.map(String)])]

    proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
      const own = ls.getCodeFixesAtPosition(fileName, start, end, errorCodes, formatOptions, preferences)
      return guarded('quick fixes', own, () => {
        const program = ls.getProgram()
        if (program === undefined) return own
        const diagnostics = program
          .getSemanticDiagnostics(program.getSourceFile(fileName))
          .filter((d) => errorCodes.includes(d.code) && d.start !== undefined && d.start <= end && start <= d.start + (d.length ?? 0))
        const sourceFile = program.getSourceFile(fileName)
        if (sourceFile === undefined || diagnostics.length === 0) return own
        const file = FileStages.of(ts, program, sourceFile)
        const ours = diagnostics.flatMap((d) =>
          shapeFixes(ts, program, d, file).map(
            (f): TS.CodeFixAction => ({
              fixName: f.fixName,
              description: f.description,
              changes: [{ fileName, textChanges: f.changes.map((c) => ({ span: { start: c.start, length: c.length }, newText: c.newText })) }],
            }),
          ),
        )
        return [...ours, ...own]
      })
    }

    return proxy
  }

  function onConfigurationChanged(config: unknown): void {
    for (const instance of instances) instance.options = readOptions(config)
  }

  return { create, onConfigurationChanged }
}

export = init
