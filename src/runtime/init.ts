/**
 * PyTorch's default parameter initialisation, deterministic per seed: every tensor draws from its own PRNG
 * (mulberry32 seeded from a hash of its state_dict name and the seed), so adding a layer does not change the others.
 * @module
 */
import type { ParamSpec } from '../graph/ir.js'
import { numel } from '../graph/ir.js'
import { fnv1a32, mulberry32Uint } from '../util/random.js'

export { fnv1a32 } from '../util/random.js'

/**
 * Uniform floats in [0, 1) from mulberry32 (24-bit resolution, exact in float32).
 * @example
 * ```ts
 * const next = uniform(42)
 * next() // 0.6011037...
 * ```
 * @category Running
 */
export function uniform(seed: number): () => number {
  const next = mulberry32Uint(seed)
  return () => (next() >>> 8) / 16777216
}

/**
 * The PRNG seed of one tensor: its name's hash mixed with the model seed.
 * @category Running
 */
export function tensorSeed(name: string, seed: number): number {
  return (fnv1a32(name) ^ Math.imul((seed >>> 0) + 0x9e3779b9, 0x85ebca6b)) >>> 0
}

/**
 * How conv and linear weights start: `pytorch`, PyTorch's layer defaults (kaiming_uniform(a = √5)); `xavier`,
 * `nn.init.xavier_uniform_` on every conv and linear weight, as d2l's `train_ch6` does before training the seed's
 * nets (biases and BatchNorm keep PyTorch's defaults in both).
 * @category Running
 */
export type InitScheme = 'pytorch' | 'xavier'

/** The init schemes, in the order `--init` lists them. */
export const initSchemes: readonly InitScheme[] = ['pytorch', 'xavier']

/**
 * PyTorch's fan_out of a weight in PyTorch layout (`_calculate_fan_in_and_fan_out`): output channels times the
 * receptive field, `[out, in/groups, kh, kw]` → out·kh·kw, `[out, in]` → out.
 * @example
 * ```ts
 * fanOutOf([64, 3, 11, 11]) // 7744: AlexNet's first conv
 * fanOutOf([4096, 6400]) // 4096
 * ```
 * @category Running
 */
export const fanOutOf = (shape: readonly number[]): number => (shape[0] ?? 1) * numel(shape.slice(2))

/**
 * The initial value of one parameter in PyTorch layout, as PyTorch initialises it:
 * conv/linear `weight` kaiming_uniform(a = √5), i.e. U(−1/√fan_in, 1/√fan_in) (with `scheme` `xavier`:
 * U(−√(6/(fan_in+fan_out)), √(6/(fan_in+fan_out))), PyTorch's xavier_uniform_ with gain 1);
 * `bias` U(−1/√fan_in, 1/√fan_in); BatchNorm weight 1, bias 0, running mean 0, running var 1.
 * @example
 * ```ts
 * initialValue({ name: 'fc.bias', shape: [10], role: 'bias', fanIn: 84 }, 0) // 10 values in ±0.109
 * initialValue({ name: 'fc.weight', shape: [10, 84], role: 'weight', fanIn: 84 }, 0, 'xavier') // 840 values in ±0.248
 * ```
 * @category Running
 */
export function initialValue(spec: ParamSpec, seed: number, scheme: InitScheme = 'pytorch'): Float32Array {
  const n = numel(spec.shape)
  switch (spec.role) {
    case 'weight':
    case 'bias': {
      // kaiming_uniform(a=√5): gain = √(2/(1+5)), bound = gain·√(3/fan_in) = 1/√fan_in; the bias uses the same bound.
      const bound =
        scheme === 'xavier' && spec.role === 'weight' ? Math.sqrt(6 / (spec.fanIn + fanOutOf(spec.shape))) : 1 / Math.sqrt(spec.fanIn)
      const next = uniform(tensorSeed(spec.name, seed))
      const out = new Float32Array(n)
      for (let i = 0; i < n; i++) out[i] = (2 * next() - 1) * bound
      return out
    }
    case 'bnWeight':
    case 'runningVar':
      return new Float32Array(n).fill(1)
    case 'bnBias':
    case 'runningMean':
      return new Float32Array(n)
  }
}
