/**
 * Fault injection for checkpoint saves: the save is stopped before each of its file-system operations, in process
 * (a file system that "crashes": that operation and every later one fail, nothing more reaches the disk) and in a
 * child process killed with SIGKILL at that point, and at random times during back-to-back saves. After every stop
 * the checkpoint must load as the previous or the new epoch, intact, and the next save or load must clean up what
 * the stopped save left. The child uses the built library (`npm test` builds first).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CheckpointFileSystem,
  type CheckpointMeta,
  type CheckpointTensor,
  loadCheckpoint,
  nodeCheckpointFileSystem,
  saveCheckpoint,
} from '../src/io/checkpoint.js'
import { scratchDirs } from './helpers/scratch.js'

const child = fileURLToPath(new URL('./fixtures/checkpoint-saver.mjs', import.meta.url))
const { freshDir } = scratchDirs('shapesafe-faults-')

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/io/checkpoint.js', import.meta.url))))
    throw new Error('dist/io/checkpoint.js is missing: run "npm run build" first (npm test does)')
})

/** The same checkpoint the child writes: every value is the epoch. */
const checkpointOf = (epoch: number): { tensors: Map<string, CheckpointTensor>; meta: CheckpointMeta } => ({
  tensors: new Map([
    ['big.weight', { shape: [256, 1024], data: new Float32Array(256 * 1024).fill(epoch) }],
    ['small.bias', { shape: [3], data: new Float32Array(3).fill(epoch) }],
  ]),
  meta: { model: 'fault', epoch, optimizer: { name: 'sgd', hyperParameters: { learningRate: 0.1 } }, metrics: [] },
})

/** Loads the checkpoint and checks that it is one whole epoch (every value equal to its recorded epoch). */
const intactEpoch = async (path: string): Promise<number> => {
  const loaded = await loadCheckpoint(path)()
  if (E.isLeft(loaded)) throw new Error(loaded.left.message)
  const epoch = loaded.right.meta.epoch
  for (const [name, t] of loaded.right.tensors) expect(t.data.every((v) => v === epoch), `${name} holds epoch ${epoch} only`).toBe(true)
  expect(loaded.right.tensors.get('big.weight')!.shape).toEqual([256, 1024])
  return epoch
}

/** After a complete save only the JSON and the tensors file it names are left. */
const onlyCheckpointFiles = (dir: string): string[] => readdirSync(dir).filter((f) => !/^ckpt(\.json|\.\d+-[0-9a-f]{12}\.safetensors)$/.test(f))

const saveOk = async (path: string, epoch: number, fileSystem?: CheckpointFileSystem) => {
  const saved = await saveCheckpoint(path, checkpointOf(epoch), fileSystem === undefined ? {} : { fileSystem })()
  if (E.isLeft(saved)) throw new Error(saved.left.message)
}

/** A file system whose operation number `crashAt` and all later ones fail, as if the machine stopped there. */
const crashingFileSystem = (crashAt: number): { fs: CheckpointFileSystem; ops: () => number } => {
  let ops = 0
  const wrap =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (ops++ >= crashAt) throw Object.assign(new Error('no space left on device (injected)'), { code: 'ENOSPC' })
      return f(...args)
    }
  const base = nodeCheckpointFileSystem
  return {
    fs: {
      mkdir: wrap(base.mkdir),
      writeNew: wrap(base.writeNew),
      rename: wrap(base.rename),
      remove: wrap(base.remove),
      syncDirectory: wrap(base.syncDirectory!),
      readdir: wrap(base.readdir),
    },
    ops: () => ops,
  }
}

describe('a checkpoint save stopped at any step', () => {
  it('in process: every operation failing in turn leaves the previous or the new epoch, and the next save cleans up', async () => {
    const probe = crashingFileSystem(Infinity)
    const dir0 = freshDir()
    await saveOk(join(dir0, 'ckpt'), 1)
    await saveOk(join(dir0, 'ckpt'), 2, probe.fs)
    const total = probe.ops()
    expect(total).toBeGreaterThanOrEqual(8) // mkdir, write, rename, sync ×2, readdir, remove old, sync
    const seen = new Set<number>()
    for (let k = 0; k <= total; k++) {
      const dir = freshDir()
      const path = join(dir, 'ckpt')
      await saveOk(path, 1)
      await saveCheckpoint(path, checkpointOf(2), { fileSystem: crashingFileSystem(k).fs })()
      const epoch = await intactEpoch(path)
      expect([1, 2], `stopped before operation ${k}`).toContain(epoch)
      seen.add(epoch)
      await saveOk(path, 3)
      expect(await intactEpoch(path)).toBe(3)
      expect(onlyCheckpointFiles(dir), `left over after stop at ${k}`).toEqual([])
      expect(readdirSync(dir)).toHaveLength(2)
    }
    expect([...seen].sort()).toEqual([1, 2]) // both outcomes happen: before and after the commit point
  })

  it('in a child killed with SIGKILL before each operation: the checkpoint loads as epoch 1 or 2, and the load removes the leftovers', async () => {
    const probeDir = freshDir()
    const probe = spawnSync(process.execPath, [child, join(probeDir, 'ckpt'), '2'], { encoding: 'utf8' })
    expect(probe.status, probe.stderr).toBe(0)
    const total = Number(/ops (\d+)/.exec(probe.stdout)![1])
    expect(total).toBeGreaterThanOrEqual(8)
    const seen = new Set<number>()
    for (let k = 0; k <= total; k++) {
      const dir = freshDir()
      const path = join(dir, 'ckpt')
      await saveOk(path, 1)
      const run = spawnSync(process.execPath, [child, path, '2', String(k)], { encoding: 'utf8' })
      if (k < total) expect(run.signal, `killed before operation ${k}`).toBe('SIGKILL')
      else expect(run.status, run.stderr).toBe(0)
      const epoch = await intactEpoch(path) // loading removes the dead child's temporary and orphaned files
      expect([1, 2]).toContain(epoch)
      seen.add(epoch)
      expect(onlyCheckpointFiles(dir), `left over after a kill at ${k}`).toEqual([])
      expect(readdirSync(dir)).toHaveLength(2)
      await saveOk(path, 3)
      expect(await intactEpoch(path)).toBe(3)
      expect(readdirSync(dir)).toHaveLength(2)
    }
    expect([...seen].sort()).toEqual([1, 2])
  }, 60_000)

  it('in a child killed with SIGKILL at random times during back-to-back saves: never torn, never behind the last reported save', async () => {
    const dir = freshDir()
    const path = join(dir, 'ckpt')
    await saveOk(path, 0)
    let next = 1
    const epochs: number[] = []
    for (let round = 0; round < 12; round++) {
      const proc = spawn(process.execPath, [child, path, 'loop', String(next)], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
      const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)))
      // after start-up, at a random time within the next few saves
      await new Promise<void>((resolve) => proc.stdout.on('data', () => (out.includes('ready') ? resolve() : undefined)))
      await new Promise((r) => setTimeout(r, Math.random() * 400))
      proc.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')
      const reported = [...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1]))
      const epoch = await intactEpoch(path)
      const last = reported.at(-1) ?? next - 1
      // the newest complete save, or the one after it that had just committed when the kill came
      expect(epoch === last || epoch === last + 1, `loaded ${epoch}, last reported ${last}`).toBe(true)
      epochs.push(epoch)
      next = epoch + 1
    }
    expect(epochs.at(-1)).toBeGreaterThan(0)
    expect(onlyCheckpointFiles(dir)).toEqual([])
  }, 120_000)
})
