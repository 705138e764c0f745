// The forecast as a standalone SVG document, written as text: it needs no DOM, so the CLI makes it
// in Node (the chart libraries that render SVG want a DOM or a canvas, or weigh megabytes).
import type { ForecastRun } from './forecaster.js';

const kWidth = 900;
const kHeight = 480;
const kMargin = { top: 92, right: 20, bottom: 40, left: 80 };
const kColors = { truth: '#1a1a1a', train: '#1a6ed8', test: '#e67e22' };

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5 || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Truth against the one-step-ahead predictions over the whole series: the training part's
 * predictions in blue, the test part's in orange, a dashed line where the test part starts.
 */
export function forecastSvg(run: ForecastRun, title: string): string {
  const { series, split } = run.data;
  const n = series.length;
  const all = [...series, ...run.trainPrediction, ...run.testPrediction];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const pad = (hi - lo) * 0.05 || 1;
  const x0 = kMargin.left;
  const x1 = kWidth - kMargin.right;
  const y0 = kHeight - kMargin.bottom;
  const y1 = kMargin.top;
  const sx = (t: number) => x0 + ((x1 - x0) * t) / Math.max(1, n - 1);
  const sy = (v: number) => y0 - ((y0 - y1) * (v - (lo - pad))) / (hi - lo + 2 * pad);
  const line = (ts: ArrayLike<number>, vs: ArrayLike<number>, color: string, width: number) => {
    const points = Array.from(ts, (t, k) => `${sx(t).toFixed(1)},${sy(vs[k]).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="${width}" points="${points}"/>`;
  };
  const label = (v: number) => Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  const yTicks = ticks(lo - pad, hi + pad)
    .map((v) => `<line x1="${x0}" x2="${x1}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#ddd"/><text x="${x0 - 6}" y="${sy(v).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${label(v)}</text>`)
    .join('');
  const xTicks = ticks(0, n - 1)
    .map((t) => `<text x="${sx(t).toFixed(1)}" y="${y0 + 18}" text-anchor="middle">${t}</text>`)
    .join('');
  const legend = [
    ['truth', kColors.truth],
    [`train prediction (RMSE ${label(run.trainRmse)})`, kColors.train],
    [`test prediction (RMSE ${label(run.testRmse)}; persistence ${label(run.persistenceRmse)}, seasonal ${label(run.seasonalRmse)})`, kColors.test],
  ]
    .map(([text, color], k) => `<rect x="${x0}" y="${34 + k * 18}" width="14" height="4" fill="${color}"/><text x="${x0 + 20}" y="${38 + k * 18}" dominant-baseline="middle">${escapeXml(text)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${kWidth} ${kHeight}" width="${kWidth}" height="${kHeight}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${kWidth / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    yTicks,
    xTicks,
    `<line x1="${sx(split).toFixed(1)}" x2="${sx(split).toFixed(1)}" y1="${y1}" y2="${y0}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${(sx(split) + 4).toFixed(1)}" y="${y0 - 6}" fill="#555">test part</text>`,
    line(Array.from(series, (_, t) => t), series, kColors.truth, 1.5),
    line(run.data.train.targets, run.trainPrediction, kColors.train, 1.5),
    line(run.data.test.targets, run.testPrediction, kColors.test, 2),
    `<text x="${(x0 + x1) / 2}" y="${kHeight - 6}" text-anchor="middle">time step</text>`,
    legend,
    '</svg>',
  ].join('\n');
}
