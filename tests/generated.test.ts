// Generated files are what their generators write: type-tests/arithmetic.generated.test-d.ts from
// scripts/gen-arithmetic-tests.mjs. (docs/errors.md is checked the same way by tests/docs.test.ts.)
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')

describe('generated files', () => {
  it('type-tests/arithmetic.generated.test-d.ts is up to date', () => {
    expect(() => execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-arithmetic-tests.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow()
  })
})
