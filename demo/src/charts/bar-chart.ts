import { svg } from '../ui/dom.js';
import { linearScale } from './scale.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
  /** Printed at the end of the bar, e.g. "12.3 ms". */
  readonly valueText: string;
}

const kWidth = 640;
const kRowHeight = 46;
const kLabelWidth = 120;
const kValueRoom = 96;

/** Horizontal bars on a shared scale starting at zero, labelled on the left, valued on the right. */
export function renderBarChart(bars: readonly Bar[], label: string): SVGSVGElement {
  const height = bars.length * kRowHeight + 8;
  const max = Math.max(...bars.map((b) => b.value), Number.MIN_VALUE);
  const sx = linearScale(0, max, 0, kWidth - kLabelWidth - kValueRoom);
  const chart = svg('svg', { viewBox: `0 0 ${kWidth} ${height}`, class: 'chart bar-chart', role: 'img', 'aria-label': label });
  bars.forEach((bar, row) => {
    const y = 4 + row * kRowHeight;
    // At least 2 px so that a very fast run is still a visible bar next to a slow one.
    const width = Math.max(2, sx(bar.value));
    chart.append(
      svg('text', { x: kLabelWidth - 12, y: y + kRowHeight / 2, class: 'bar-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, bar.label),
      svg('rect', { x: kLabelWidth, y: y + 8, width, height: kRowHeight - 16, rx: 4, fill: bar.color }),
      svg('text', { x: kLabelWidth + width + 8, y: y + kRowHeight / 2, class: 'bar-value', 'dominant-baseline': 'middle' }, bar.valueText),
    );
  });
  return chart;
}
