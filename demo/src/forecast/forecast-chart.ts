import { linearScale, niceDomain, tickLabel } from '../charts/scale.js';
import { kPalette } from '../palette.js';
import { svg } from '../ui/dom.js';

export interface XYSeries {
  readonly label: string;
  readonly color: string;
  readonly dash: string;
  /** Time indices (0-based) and their values. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

const kWidth = 960;
const kHeight = 320;
const kMargin = { top: 14, right: 18, bottom: 40, left: 76 };

/** Axis labels for large values: 310k rather than 310000. */
function compact(value: number): string {
  return Math.abs(value) >= 10_000 ? `${tickLabel(value / 1000)}k` : tickLabel(value);
}

/**
 * Lines over time indices, with dashed markers where the test part starts and where the data end
 * (`marks`): truth, the one-step-ahead predictions over the test part, the recursive forecast.
 */
export function renderForecastChart(id: string, label: string, series: readonly XYSeries[], marks: readonly { x: number; text: string }[]): SVGSVGElement {
  const xs = series.flatMap((s) => Array.from(s.x));
  const ys = series.flatMap((s) => Array.from(s.y)).filter(Number.isFinite);
  const [left, right, top, bottom] = [kMargin.left, kWidth - kMargin.right, kMargin.top, kHeight - kMargin.bottom];
  const sx = linearScale(Math.min(...xs), Math.max(...xs), left, right);
  const domain = niceDomain(Math.min(...ys), Math.max(...ys));
  const sy = linearScale(domain.lo, domain.hi, bottom, top);
  const chart = svg('svg', { id, 'data-testid': id, viewBox: `0 0 ${kWidth} ${kHeight}`, class: 'chart forecast-chart', role: 'img', 'aria-label': label });
  for (const tick of domain.ticks) {
    chart.append(
      svg('line', { x1: left, x2: right, y1: sy(tick), y2: sy(tick), class: 'grid-line' }),
      svg('text', { x: left - 8, y: sy(tick), class: 'tick-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, compact(tick)),
    );
  }
  for (const mark of marks) {
    chart.append(
      svg('line', { x1: sx(mark.x), x2: sx(mark.x), y1: top, y2: bottom, stroke: kPalette.gray, 'stroke-dasharray': '4 4' }),
      svg('text', { x: sx(mark.x) + 4, y: top + 12, class: 'tick-label' }, mark.text),
    );
  }
  // x ticks at round time steps, so that "test part" and "end of data" can be read off as indices.
  const xDomain = niceDomain(Math.min(...xs), Math.max(...xs));
  for (const tick of xDomain.ticks.filter((t) => t >= Math.min(...xs) && t <= Math.max(...xs))) {
    chart.append(
      svg('g', { class: 'tick-x' }, svg('line', { x1: sx(tick), x2: sx(tick), y1: bottom, y2: bottom + 5, class: 'axis-line' }), svg('text', { x: sx(tick), y: bottom + 18, class: 'tick-label', 'text-anchor': 'middle' }, tickLabel(tick))),
    );
  }
  chart.append(
    svg('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'axis-line' }),
    svg('text', { x: (left + right) / 2, y: kHeight - 4, class: 'axis-label', 'text-anchor': 'middle' }, 'time step'),
  );
  for (const s of series) {
    const points = Array.from(s.x, (x, k) => `${sx(x).toFixed(1)},${sy(s.y[k]).toFixed(1)}`).join(' ');
    chart.append(
      svg('g', { class: 'series', 'data-label': s.label }, svg('polyline', { points, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash || null })),
    );
  }
  return chart;
}
