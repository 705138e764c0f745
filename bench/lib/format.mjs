// How numbers are written in the terminal table, BENCHMARKS.md and the chart.

/** @param {number|null|undefined} ms */
export function formatMs(ms) {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Three significant digits, without exponent for ordinary magnitudes. @param {number|null|undefined} x */
export function formatNumber(x) {
  if (x == null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

/** @param {number|null|undefined} err */
export function formatError(err) {
  if (err == null) return '—';
  if (!Number.isFinite(err)) return String(err);
  return err === 0 ? '0' : err.toExponential(1);
}

/** @param {number|null|undefined} ratio */
export function formatRatio(ratio) {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(ratio >= 1 ? 1 : 2)}×`;
}

/** @param {number|null|undefined} fraction */
export function formatPercent(fraction) {
  if (fraction == null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%`;
}

/** Sequence-steps per second, abbreviated. @param {number|null|undefined} rate */
export function formatRate(rate) {
  if (rate == null || !Number.isFinite(rate)) return '—';
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return rate.toFixed(0);
}
