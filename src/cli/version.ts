/**
 * The package version, in a module of its own: command modules import it without importing `main.ts`, whose
 * top-level await would make the import circular (Node exits with code 13, an unsettled top-level await).
 * @module
 */
import { readFileSync } from 'node:fs'

/**
 * The package version, from package.json next to `dist/` (or `src/`).
 *
 * @category utils
 */
export const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}

