/**
 * The errors shared by layers, graph, runtime and zoo: a shape that does not fit ({@link ShapeError}, the run-time
 * twin of a compile-time verdict) and a layer configured wrongly ({@link LayerOptionsError}). They live in the lowest
 * room that raises them so that nothing above has to import a layer module for its error type.
 * @module
 */

/**
 * A shape error found while tracing (the run-time twin of a compile-time shape error), naming the layer, what it
 * expected and what it got.
 * @category Shape types
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError'
  constructor(
    /** The layer kind or path where the shapes disagree. */
    readonly layer: string,
    /** What the layer expected. */
    readonly expected: string,
    /** What it got. */
    readonly actual: string,
    message?: string,
  ) {
    super(message ?? `${layer}: expected ${expected}, got ${actual}`)
  }
}

/**
 * A layer configuration error (e.g. stride 0), raised when a layer is created.
 * @category Shape types
 */
export class LayerOptionsError extends Error {
  override readonly name = 'LayerOptionsError'
}
