/**
 * Whether this machine shows a GPU device to processes: the cheap check made before WebGPU is probed in the
 * automatic backend order. On Linux a hardware Vulkan adapter needs a device node (`/dev/dri/renderD*` for Mesa's
 * AMD/Intel/Nouveau drivers, `/dev/nvidia*` for NVIDIA's, `/dev/dxg` under WSL); without one only a software
 * adapter (lavapipe) can exist, and probing it would load Dawn and print its driver warnings for nothing. Elsewhere
 * (macOS Metal, Windows D3D12) there is no such file to look at, so the answer is "maybe" and Dawn is asked.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs'

/**
 * `false` when the platform is Linux and no GPU device node exists; `true` otherwise (a GPU may be there).
 * @example
 * ```ts
 * mayHaveGpuDevice() // false in a container with no /dev/dri and no /dev/nvidia*
 * ```
 * @category Running
 */
export function mayHaveGpuDevice(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir)
    } catch {
      return []
    }
  }
  return list('/dev/dri').some((f) => f.startsWith('renderD')) || list('/dev').some((f) => /^nvidia\d+$/.test(f)) || existsSync('/dev/dxg')
}
