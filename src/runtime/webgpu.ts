/**
 * The WebGPU backend in Node: `@tensorflow/tfjs-backend-webgpu` (pinned 4.22.0) on Dawn, the WebGPU implementation
 * that the npm package `webgpu` ships as a native addon (Vulkan on Linux, Metal on macOS, D3D12 on Windows). Both
 * packages are optional peers: without them, or without an adapter, `webgpu` is simply not available.
 *
 * tfjs-backend-webgpu looks for `navigator.gpu` when it is imported and then asks it for an adapter, crashing on
 * `null` when there is none. So the adapter is requested here first ({@link probeWebGpu}); only when one exists is
 * `navigator.gpu` set, to an object that hands tfjs that very adapter, and the backend imported. The adapter is
 * reported by name, and a software adapter (Mesa's lavapipe, SwiftShader: shaders compiled for the CPU) is told
 * apart from a GPU: the automatic backend order takes webgpu only on a hardware adapter.
 *
 * WebGPU cannot read a tensor synchronously in Node (`dataSync` needs an `OffscreenCanvas`): read with `await
 * t.data()` and `readStateDict`.
 * @module
 */
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs'

/**
 * The adapter WebGPU runs on, as Dawn describes it.
 * @category Running
 */
export interface WebGpuAdapterInfo {
  /** e.g. `nvidia`, `mesa`. */
  readonly vendor: string
  /** e.g. `ampere`, `software`. */
  readonly architecture: string
  /** e.g. `NVIDIA H200`, `llvmpipe-llvm-15-0-6-256-bits-`. */
  readonly device: string
  /** The driver's description, e.g. `llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6)`. */
  readonly description: string
  /** A software adapter (shaders run on the CPU): never chosen automatically. */
  readonly software: boolean
}

/**
 * What probing WebGPU found: an adapter, or why there is none.
 * @category Running
 */
export type WebGpuProbe =
  | { readonly available: true; readonly adapter: WebGpuAdapterInfo }
  | { readonly available: false; readonly reason: string }

/**
 * The package versions the backend is built and tested against.
 * @category Running
 */
export const pinnedWebGpuPackages = { '@tensorflow/tfjs-backend-webgpu': '4.22.0', webgpu: '0.6.2' } as const

/** The parts of a WebGPU adapter and of `navigator.gpu` used here (the WebGPU types are not a dependency). */
interface GpuAdapter {
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & { readonly isFallbackAdapter?: boolean }
  readonly isFallbackAdapter?: boolean
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>
}
interface DawnModule {
  create(flags: string[]): Gpu
  globals: Record<string, unknown>
}

/** One probe per process: Dawn's instance, its adapter, and what they were found to be. */
let probed: Promise<{ probe: WebGpuProbe; gpu?: Gpu; adapter?: GpuAdapter }> | undefined

const softwareName = /llvmpipe|lavapipe|swiftshader|software|basic render driver|warp/i

/**
 * Describes an adapter; `software` from the spec's fallback flag, Dawn's architecture, or the driver's name.
 * @category Running
 */
export function describeAdapter(adapter: GpuAdapter): WebGpuAdapterInfo {
  const info = adapter.info ?? {}
  const text = (k: 'vendor' | 'architecture' | 'device' | 'description') => (typeof info[k] === 'string' ? info[k]!.trim() : '')
  const [vendor, architecture, device, description] = [text('vendor'), text('architecture'), text('device'), text('description')]
  const software = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || architecture === 'software' || softwareName.test(`${device} ${description}`)
  return { vendor, architecture, device, description, software }
}

/**
 * The adapter's name for logs: the driver's description (else vendor and device), `software adapter` when it is one.
 * @example
 * ```ts
 * adapterName({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true })
 * // 'llvmpipe: Mesa 25.0.7 (software adapter)'
 * ```
 * @category Running
 */
export function adapterName(a: WebGpuAdapterInfo): string {
  const name = a.description !== '' ? a.description : [a.vendor, a.device].filter((s) => s !== '').join(' ') || 'unnamed adapter'
  return a.software ? `${name} (software adapter)` : name
}

async function probeOnce(): Promise<{ probe: WebGpuProbe; gpu?: Gpu; adapter?: GpuAdapter }> {
  let dawn: DawnModule
  try {
    // The specifier is a variable so TypeScript does not require the optional package's types.
    const specifier = 'webgpu'
    dawn = (await import(specifier)) as DawnModule
  } catch (e) {
    const why = e instanceof Error && /Cannot find (package|module)/.test(e.message) ? 'not installed' : `failed to load: ${e instanceof Error ? e.message : String(e)}`
    return { probe: { available: false, reason: `the npm package webgpu (Dawn) is ${why}` } }
  }
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu')
  } catch {
    return { probe: { available: false, reason: 'the npm package @tensorflow/tfjs-backend-webgpu is not installed' } }
  }
  let gpu: Gpu
  let adapter: GpuAdapter | null
  try {
    // tfjs-backend-webgpu uses WebGPU's global constants (GPUBufferUsage, GPUMapMode, ...).
    for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v
    gpu = dawn.create([])
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
  } catch (e) {
    return { probe: { available: false, reason: `Dawn could not look for an adapter: ${e instanceof Error ? e.message : String(e)}` } }
  }
  if (adapter === null) {
    return {
      probe: {
        available: false,
        reason: 'Dawn found no WebGPU adapter: no GPU driver it can use (on Linux a Vulkan driver; Mesa ≥ 24 lavapipe is a software one)',
      },
    }
  }
  return { probe: { available: true, adapter: describeAdapter(adapter) }, gpu, adapter }
}

/**
 * Looks for a WebGPU adapter through Dawn (once per process): the adapter found, or why there is none (a package
 * missing, no adapter). Imports `webgpu` but not the tfjs backend.
 * @example
 * ```ts
 * const p = await probeWebGpu()
 * if (p.available) console.log(adapterName(p.adapter)) // e.g. 'NVIDIA H200' or 'llvmpipe: … (software adapter)'
 * ```
 * @category Running
 */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= probeOnce()
  return (await probed).probe
}

/**
 * WebGPU could not start: the reason says what is missing.
 * @category Running
 */
export class WebGpuError extends Error {
  override readonly name = 'WebGpuError'
}

/**
 * Registers tfjs's `webgpu` backend on the probed adapter (without making it current) and returns the adapter.
 * Throws a {@link WebGpuError} naming what is missing when there is no adapter. Idempotent.
 * @category Running
 */
export async function registerWebGpuBackend(): Promise<WebGpuAdapterInfo> {
  probed ??= probeOnce()
  const found = await probed
  if (!found.probe.available) throw new WebGpuError(`webgpu: ${found.probe.reason}`)
  if (tf.findBackendFactory('webgpu') == null) {
    const chosen = found.adapter!
    // tfjs asks navigator.gpu for an adapter; it gets the one probed (never null).
    const gpu = { requestAdapter: async () => chosen, getPreferredCanvasFormat: () => 'rgba8unorm', wgslLanguageFeatures: new Set<string>() }
    const g = globalThis as { navigator?: object }
    if (g.navigator === undefined) g.navigator = { gpu }
    else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true })
    const specifier = '@tensorflow/tfjs-backend-webgpu'
    await import(specifier)
    if (tf.findBackendFactory('webgpu') == null) throw new WebGpuError('webgpu: @tensorflow/tfjs-backend-webgpu did not register its backend')
  }
  return found.probe.adapter
}
