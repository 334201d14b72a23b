/**
 * How the file formats print a tensor's shape in their messages: `[2, 3]` (numbers only; the traced graph's
 * `formatShape` in src/shape/dim.ts prints symbolic dims as `[N,64,56,56]`).
 * @module
 */

/**
 * A concrete shape as the io messages print it: `[2, 3]`.
 * @category Weights and files
 */
export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`
