import { svg } from '../ui/dom.js';
import { linearScale, niceDomain, stepTicks, tickLabel } from './scale.js';

export interface LineSeries {
  readonly label: string;
  readonly color: string;
  /** An SVG dash pattern; '' for a solid line. */
  readonly dash: string;
  /** One value per time step (step 1 first). */
  readonly values: readonly number[];
}

export interface LineChartOptions {
  readonly id: string;
  /** Read out by screen readers, e.g. "Hidden state h over 3 steps". */
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
}

const kWidth = 520;
const kHeight = 300;
const kMargin = { top: 14, right: 18, bottom: 46, left: 58 };

/** Draws one line per series against the time step; markers on each point while they fit. */
export function renderLineChart(options: LineChartOptions): SVGSVGElement {
  const steps = Math.max(1, ...options.series.map((s) => s.values.length));
  const all = options.series.flatMap((s) => s.values);
  const y = niceDomain(Math.min(0, ...all), Math.max(0, ...all));
  const left = kMargin.left;
  const right = kWidth - kMargin.right;
  const top = kMargin.top;
  const bottom = kHeight - kMargin.bottom;
  // One step alone sits in the middle; otherwise step 1 and step T touch the plot's edges (with a little air).
  const sx = steps === 1 ? () => (left + right) / 2 : linearScale(1, steps, left + 12, right - 12);
  const sy = linearScale(y.lo, y.hi, bottom, top);

  const chart = svg('svg', {
    id: options.id,
    'data-testid': options.id,
    viewBox: `0 0 ${kWidth} ${kHeight}`,
    class: 'chart line-chart',
    role: 'img',
    'aria-label': options.label,
  });

  for (const tick of y.ticks) {
    const at = sy(tick);
    chart.append(
      svg('line', { x1: left, x2: right, y1: at, y2: at, class: tick === 0 ? 'zero-line' : 'grid-line' }),
      svg('text', { x: left - 8, y: at, class: 'tick-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, tickLabel(tick)),
    );
  }
  for (const t of stepTicks(steps)) {
    chart.append(
      svg('line', { x1: sx(t), x2: sx(t), y1: bottom, y2: bottom + 5, class: 'axis-line' }),
      svg('text', { x: sx(t), y: bottom + 18, class: 'tick-label', 'text-anchor': 'middle' }, String(t)),
    );
  }
  chart.append(
    svg('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'axis-line' }),
    svg('text', { x: (left + right) / 2, y: kHeight - 6, class: 'axis-label', 'text-anchor': 'middle' }, options.xLabel),
    // A symbol such as "h" reads best upright; longer labels turn to run along the axis.
    svg(
      'text',
      {
        x: 14,
        y: (top + bottom) / 2,
        class: 'axis-label',
        'text-anchor': 'middle',
        transform: options.yLabel.length > 2 ? `rotate(-90 14 ${(top + bottom) / 2})` : null,
      },
      options.yLabel,
    ),
  );

  const markers = steps <= 40;
  for (const series of options.series) {
    const points = series.values.map((v, t) => `${sx(t + 1).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    const group = svg('g', { class: 'series', 'data-label': series.label });
    group.append(svg('polyline', { points, fill: 'none', stroke: series.color, 'stroke-width': 2, 'stroke-dasharray': series.dash || null }));
    if (markers) {
      series.values.forEach((v, t) => group.append(svg('circle', { cx: sx(t + 1), cy: sy(v), r: 3.5, fill: series.color })));
    }
    chart.append(group);
  }
  return chart;
}
