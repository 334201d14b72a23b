/**
 * Where the benchmarks' Python scripts are: next to the compiled module (dist-bench/bench/) or in the source tree's
 * bench/ (where they live; `tsc` does not copy them).
 * @module
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The path of bench/`name`, or `undefined` when it is not there. */
export const benchPythonScript = (name: string): string | undefined =>
  [new URL(name, import.meta.url), new URL(`../../bench/${name}`, import.meta.url)].map((u) => fileURLToPath(u)).find((p) => existsSync(p))
