/**
 * Options of the `shapesafe/ts-plugin` language-service plugin, as written next to its name in tsconfig.json.
 *
 * @module
 */
import type { HintMode } from './analysis.cjs'

/** The plugin's options, from tsconfig.json or tsserver's `configurePlugin` request. */
export interface PluginOptions {
  /** Inlay hints: after each stage (default), also after each tensor `const` (`all`), or none. */
  readonly hints: HintMode
  /** Diagnostics: verdict first (default) or TypeScript's own. */
  readonly diagnostics: 'verdictFirst' | 'original'
  /**
   * A tensor that carries a verdict out of a block (a `⛔` dim) and that no check reads: an error of the plugin's own
   * (default), or nothing (`off`, TypeScript's silence).
   */
  readonly unconsumed: 'error' | 'off'
}

/** Reads the options, ignoring unknown values. */
export function readOptions(config: unknown): PluginOptions {
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>
  const hints: HintMode = c.hints === 'all' || c.hints === 'off' || c.hints === 'stages' ? c.hints : c.hints === false ? 'off' : 'stages'
  const diagnostics = c.diagnostics === 'original' || c.diagnostics === false ? 'original' : 'verdictFirst'
  const unconsumed = c.unconsumed === 'off' || c.unconsumed === false ? 'off' : 'error'
  return { hints, diagnostics, unconsumed }
}
