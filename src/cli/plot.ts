/**
 * Line charts as standalone SVG text, written by hand (no dependencies): axes with "nice" ticks, one polyline with
 * point markers per series, axis labels, a title and a legend. Used by `shapesafe compare` for accuracy and loss per
 * epoch.
 *
 * @module
 */

/**
 * One line of a chart.
 *
 * @category model
 */
export interface Series {
  readonly name: string
  /** `[x, y]` points; non-finite values are skipped. */
  readonly points: ReadonlyArray<readonly [number, number]>
}

/**
 * A line chart.
 *
 * @category model
 */
export interface LineChart {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: readonly Series[]
  /** Pixels; default 640 × 400. */
  readonly width?: number
  readonly height?: number
  /** Force integer x ticks (epochs). Default false. */
  readonly integerX?: boolean
}

/** Colour-blind-friendly palette (Okabe–Ito), cycled. */
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000']

/**
 * Escapes text for SVG/XML content and attribute values.
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 * @category utils
 */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/**
 * Tick positions covering `[min, max]` with a step of 1, 2 or 5 × 10ᵏ, about `count` of them; the first and last
 * ticks enclose the range.
 *
 * @example
 * ```ts
 * niceTicks(0.62, 0.87, 5) // [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
 * niceTicks(1, 1, 5)       // [0.5, 1, 1.5] (a flat range is widened)
 * ```
 * @category utils
 */
export const niceTicks = (min: number, max: number, count = 5, integer = false): number[] => {
  let lo = min
  let hi = max
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [0, 1]
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.5 : 1
    lo -= integer ? Math.max(1, Math.round(pad)) : pad
    hi += integer ? Math.max(1, Math.round(pad)) : pad
  }
  const raw = (hi - lo) / Math.max(1, count)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step0 = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude
  const step = integer ? Math.max(1, Math.round(step0)) : step0
  const first = Math.floor(lo / step + 1e-9) * step
  const ticks: number[] = []
  for (let t = first; t <= hi + step * 1e-9 || ticks.length < 2; t += step) {
    ticks.push(Number(t.toPrecision(12)))
    if (ticks.length > 100) break
  }
  if (ticks[ticks.length - 1] < hi - step * 1e-9) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)))
  return ticks
}

/** A tick label: as few decimals as the step needs. */
const formatTick = (value: number, step: number): string => {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)))
  return value.toFixed(decimals)
}

const round = (v: number): string => String(Math.round(v * 10) / 10)

/**
 * The chart as a complete SVG document.
 *
 * @example
 * ```ts
 * const svg = lineChartSvg({
 *   title: 'Test accuracy', xLabel: 'epoch', yLabel: 'accuracy', integerX: true,
 *   series: [{ name: 'lenet', points: [[1, 0.77], [2, 0.82]] }],
 * })
 * ```
 * @category rendering
 */
export const lineChartSvg = (chart: LineChart): string => {
  const width = chart.width ?? 640
  const height = chart.height ?? 400
  const series = chart.series.map((s) => ({
    name: s.name,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }))
  const all = series.flatMap((s) => s.points)
  const xs = all.map(([x]) => x)
  const ys = all.map(([, y]) => y)
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 6, chart.integerX === true)
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5)
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]]
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]]

  const legendWidth = Math.min(200, 40 + 7 * Math.max(4, ...series.map((s) => s.name.length)))
  const margin = { left: 64, right: legendWidth + 16, top: 40, bottom: 52 }
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW
  const py = (y: number) => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH
  const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1

  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  )
  out.push(`<title>${escapeXml(chart.title)}</title>`)
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(
    `<text x="${round(margin.left + plotW / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  )
  // grid and ticks
  out.push('<g class="y-axis">')
  for (const t of yTicks) {
    const y = round(py(t))
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`)
    out.push(`<line x1="${margin.left - 5}" y1="${y}" x2="${margin.left}" y2="${y}" stroke="#333"/>`)
    out.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(t, yStep)}</text>`)
  }
  out.push('</g>')
  out.push('<g class="x-axis">')
  for (const t of xTicks) {
    const x = round(px(t))
    out.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`)
    out.push(`<line x1="${x}" y1="${margin.top + plotH}" x2="${x}" y2="${margin.top + plotH + 5}" stroke="#333"/>`)
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${formatTick(t, xStep)}</text>`)
  }
  out.push('</g>')
  // axes
  out.push(
    `<path d="M${margin.left},${margin.top} V${margin.top + plotH} H${margin.left + plotW}" fill="none" stroke="#333"/>`,
  )
  out.push(
    `<text x="${round(margin.left + plotW / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
  )
  out.push(
    `<text x="16" y="${round(margin.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 16 ${round(margin.top + plotH / 2)})">${escapeXml(chart.yLabel)}</text>`,
  )
  // series
  series.forEach((s, i) => {
    const colour = palette[i % palette.length]
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`)
    if (s.points.length > 1) {
      const d = s.points.map(([x, y]) => `${round(px(x))},${round(py(y))}`).join(' ')
      out.push(`<polyline points="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`)
    }
    for (const [x, y] of s.points) out.push(`<circle cx="${round(px(x))}" cy="${round(py(y))}" r="3" fill="${colour}"/>`)
    out.push('</g>')
  })
  // legend
  const lx = width - legendWidth - 8
  const ly = margin.top
  out.push(
    `<g class="legend"><rect x="${lx}" y="${ly}" width="${legendWidth}" height="${12 + 18 * series.length}" fill="#ffffff" stroke="#cccccc"/>`,
  )
  series.forEach((s, i) => {
    const colour = palette[i % palette.length]
    const y = ly + 15 + 18 * i
    out.push(`<line x1="${lx + 8}" y1="${y}" x2="${lx + 28}" y2="${y}" stroke="${colour}" stroke-width="2"/>`)
    out.push(`<circle cx="${lx + 18}" cy="${y}" r="3" fill="${colour}"/>`)
    out.push(`<text x="${lx + 34}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`)
  })
  out.push('</g>')
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
