/**
 * Progress display for training: a one-line bar redrawn in place on a terminal (epoch, batch, loss, accuracy,
 * images/s, time left in the epoch) and plain per-epoch summary lines.
 *
 * @module
 */

/**
 * Where an epoch is and how it goes so far.
 *
 * @category Training
 */
export interface BatchProgress {
  /** 1-based epoch number. */
  readonly epoch: number
  readonly epochs: number
  /** Batches done in this epoch (1-based count). */
  readonly batch: number
  readonly batches: number
  /** Mean training loss over this epoch's batches so far. */
  readonly loss: number
  /** Training accuracy over this epoch's images so far. */
  readonly accuracy: number
  /** Images seen in this epoch so far. */
  readonly images: number
  /** Seconds since the epoch started. */
  readonly seconds: number
}

/**
 * Metrics of one finished epoch (also the checkpoint's history entry).
 *
 * @category Training
 */
export interface EpochMetrics {
  /** 1-based epoch number. */
  readonly epoch: number
  readonly trainLoss: number
  readonly trainAccuracy: number
  readonly testLoss: number
  readonly testAccuracy: number
  /** Training throughput of the epoch (images per second of training steps, evaluation excluded). */
  readonly imagesPerSecond: number
  /** Wall-clock seconds of the epoch's training steps. */
  readonly trainSeconds: number
  /** Wall-clock seconds of the epoch including evaluation. */
  readonly seconds: number
  /** Learning rate of the epoch's last step. */
  readonly learningRate: number
}

/**
 * `m:ss` or `h:mm:ss`; `--:--` for an unknown (non-finite) duration.
 *
 * @example
 * ```ts
 * formatDuration(65) // '1:05'
 * formatDuration(3723) // '1:02:03'
 * ```
 * @category Training
 */
export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

/**
 * A throughput for people: whole numbers from 100 up, one decimal from 10, two significant digits below (a VGG at
 * 224×224 trains at 0.3 img/s on one wasm thread, which rounding to an integer would show as 0).
 *
 * @example
 * ```ts
 * [2690.4, 71.66, 5.27, 0.0934].map(formatRate) // ['2690', '71.7', '5.3', '0.093']
 * ```
 * @category Training
 */
export const formatRate = (perSecond: number): string => {
  if (!Number.isFinite(perSecond)) return '-'
  if (perSecond >= 100) return String(Math.round(perSecond))
  if (perSecond >= 10) return perSecond.toFixed(1)
  return perSecond === 0 ? '0' : String(Number(perSecond.toPrecision(2)))
}

/**
 * The progress bar line (no carriage return): `epoch 1/2 [######··············] 60/235 loss 0.7132 acc 0.735
 * 2650 img/s ETA 0:17`, where ETA is the time left in the current epoch at the current pace.
 *
 * @example
 * ```ts
 * formatProgress({ epoch: 1, epochs: 2, batch: 1, batches: 2, loss: 2.3, accuracy: 0.1, images: 128, seconds: 0.5 }, 4)
 * // 'epoch 1/2 [##··] 1/2 loss 2.3000 acc 0.100 256 img/s ETA 0:01'
 * ```
 * @category Training
 */
export const formatProgress = (p: BatchProgress, barWidth = 20): string => {
  const fraction = p.batches === 0 ? 1 : Math.min(1, p.batch / p.batches)
  const filled = Math.round(fraction * barWidth)
  const bar = '#'.repeat(filled) + '·'.repeat(barWidth - filled)
  const rate = p.seconds > 0 ? p.images / p.seconds : NaN
  const eta = p.batch > 0 ? (p.seconds / p.batch) * (p.batches - p.batch) : NaN
  const digits = String(p.batches).length
  return (
    `epoch ${p.epoch}/${p.epochs} [${bar}] ${String(p.batch).padStart(digits)}/${p.batches} ` +
    `loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(3)} ` +
    `${formatRate(rate)} img/s ETA ${formatDuration(eta)}`
  )
}

/**
 * A one-line summary of a finished epoch.
 *
 * @example
 * ```ts
 * declare const m: EpochMetrics // the first of two epochs
 * formatEpoch(m, 2) // 'epoch 1/2  train loss 0.6123  train acc 0.771  test loss 0.5010  test acc 0.812  2690 img/s  24.1 s'
 * ```
 * @category Training
 */
export const formatEpoch = (m: EpochMetrics, epochs: number): string =>
  `epoch ${m.epoch}/${epochs}  train loss ${m.trainLoss.toFixed(4)}  train acc ${m.trainAccuracy.toFixed(3)}  ` +
  `test loss ${m.testLoss.toFixed(4)}  test acc ${m.testAccuracy.toFixed(3)}  ` +
  `${formatRate(m.imagesPerSecond)} img/s  ${m.seconds.toFixed(1)} s`

/**
 * Draws {@link formatProgress} lines in place on a terminal.
 *
 * @category Training
 */
export interface ProgressBar {
  /** Redraws the bar (at most every `intervalMs`, and always for an epoch's last batch). */
  readonly update: (p: BatchProgress) => void
  /** Erases the bar so that the next line starts clean. */
  readonly clear: () => void
}

/**
 * A progress bar writing to `write` (stderr): `\r` + line + erase-to-end-of-line. When `enabled` is false (not a
 * terminal, or `--json`), it writes nothing.
 *
 * @example
 * ```ts
 * const bar = progressBar((s) => process.stderr.write(s), { enabled: process.stderr.isTTY === true })
 * ```
 * @category Training
 */
export const progressBar = (
  write: (s: string) => void,
  options: { readonly enabled: boolean; readonly intervalMs?: number; readonly now?: () => number },
): ProgressBar => {
  const interval = options.intervalMs ?? 100
  const now = options.now ?? (() => performance.now())
  let last = -Infinity
  let drawn = false
  return {
    update: (p) => {
      if (!options.enabled) return
      const t = now()
      if (t - last < interval && p.batch < p.batches) return
      last = t
      drawn = true
      write(`\r${formatProgress(p)}\x1b[K`)
    },
    clear: () => {
      if (!options.enabled || !drawn) return
      drawn = false
      write('\r\x1b[K')
    },
  }
}
