import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/**
 * A scratch directory for one test file, removed after its tests; `freshDir()` gives a new empty directory in it for
 * each case.
 */
export const scratchDirs = (prefix: string): { readonly freshDir: () => string } => {
  const scratch = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))
  let counter = 0
  return {
    freshDir: () => {
      const dir = join(scratch, `case-${counter++}`)
      mkdirSync(dir, { recursive: true })
      return dir
    },
  }
}
