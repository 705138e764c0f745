// The SVG chart: GFLOP/s per shape and backend on a log scale, forward shapes then training steps, with the adapter's FMA peak and GEMM
// yardstick drawn across it.
import { groupByShape } from './columns.mjs';
import { adapterText } from './environment.mjs';
import { formatNumber } from './format.mjs';

const kColors = {
  'webgpu-lstm/webgpu': '#c0392b',
  'webgpu-lstm/dawn': '#7b1f16',
  'webgpu-lstm/wasm': '#d35400',
  'webgpu-lstm/wasm-1t': '#f0b27a',
  'webgpu-lstm/wasm-node': '#a04000',
  'webgpu-lstm/wasm-node-1t': '#e59866',
  'webgpu-lstm/cpu': '#f1948a',
  'tfjs/webgpu': '#1f4e99',
  'tfjs/wasm': '#5b8fd6',
  'tfjs/cpu': '#a9c4eb',
  'ort/webgpu': '#1e7b3c',
  'ort/wasm': '#7fc98f',
  'torch/cpu': '#6c3483',
};
const kBarWidth = 14;
const kGroupGap = 26;
const kMargin = { left: 64, right: 24, top: 96, bottom: 64 };
const kPlotHeight = 300;
const kMinWidth = 720;

/** @param {string} text */
function xml(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Decades spanning every value. @param {number[]} values */
function logRange(values) {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  if (finite.length === 0) return [0.01, 10];
  return [10 ** Math.floor(Math.log10(Math.min(...finite))), 10 ** Math.ceil(Math.log10(Math.max(...finite)))];
}

/** @param {any} result the bench result @returns {string} SVG */
export function renderChart(result) {
  const groups = [...groupByShape(result.rows)];
  const backends = [...new Set(result.rows.map((r) => r.backend))];
  const natural = kMargin.left + groups.length * (backends.length * kBarWidth + kGroupGap) + kMargin.right;
  const width = Math.max(kMinWidth, natural);
  const groupWidth = (width - kMargin.left - kMargin.right) / Math.max(groups.length, 1);
  const height = kMargin.top + kPlotHeight + kMargin.bottom;
  const fma = result.roofline?.fma.gflops ?? null;
  const gemm = result.roofline?.gemm.gflops ?? null;
  const [low, high] = logRange([...result.rows.map((r) => r.gflops), fma, gemm]);
  const y = (v) => kMargin.top + kPlotHeight * (1 - (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)));
  const parts = [];

  parts.push(`<text x="${kMargin.left}" y="22" font-size="15" font-weight="bold">LSTM forward and training step: GFLOP/s per shape (B,T,I,H), log scale — higher is faster</text>`);
  parts.push(`<text x="${kMargin.left}" y="40" font-size="11" fill="#444">${xml(`${adapterText(result.environment.adapter)} · ${result.environment.browser} · ${result.date.slice(0, 10)} · medians of up to ${result.protocol.reps} timed runs, upload and readback included; a training step counts 3× a forward's FLOPs`)}</text>`);
  backends.forEach((id, i) => {
    const x = kMargin.left + (i % 4) * 170;
    const yy = 58 + Math.floor(i / 4) * 16;
    parts.push(`<rect x="${x}" y="${yy - 9}" width="10" height="10" fill="${kColors[id] ?? '#888'}"/><text x="${x + 14}" y="${yy}" font-size="11">${xml(id)}</text>`);
  });

  for (let v = low; v <= high * 1.001; v *= 10) {
    parts.push(`<line x1="${kMargin.left}" x2="${width - kMargin.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${kMargin.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${Number(v.toPrecision(1))}</text>`);
  }
  parts.push(`<text transform="translate(16 ${kMargin.top + kPlotHeight / 2}) rotate(-90)" font-size="11" text-anchor="middle">GFLOP/s</text>`);

  groups.forEach(([label, rows], g) => {
    const x0 = kMargin.left + g * groupWidth + (groupWidth - backends.length * kBarWidth) / 2;
    rows.forEach((row) => {
      const x = x0 + backends.indexOf(row.backend) * kBarWidth;
      const color = kColors[row.backend] ?? '#888';
      if (row.gflops > 0) {
        const top = y(row.gflops);
        const faded = row.status === 'over budget' ? ' fill-opacity="0.35" stroke-dasharray="3 2"' : '';
        parts.push(`<rect x="${x}" y="${top}" width="${kBarWidth - 2}" height="${kMargin.top + kPlotHeight - top}" fill="${color}" stroke="${color}"${faded}><title>${xml(`${row.backend} ${label}: ${formatNumber(row.gflops)} GFLOP/s, median ${formatNumber(row.median_ms)} ms (${row.status})`)}</title></rect>`);
      } else {
        parts.push(`<text x="${x + kBarWidth / 2 - 1}" y="${kMargin.top + kPlotHeight - 4}" font-size="11" text-anchor="middle" fill="${color}">✗<title>${xml(`${row.backend} ${label}: ${row.status}`)}</title></text>`);
      }
    });
    const [shape, ...extra] = label.split(' ');
    parts.push(`<text x="${x0 + (backends.length * kBarWidth) / 2}" y="${kMargin.top + kPlotHeight + 18}" font-size="11" text-anchor="middle">${xml(shape)}</text>`);
    if (extra.length) parts.push(`<text x="${x0 + (backends.length * kBarWidth) / 2}" y="${kMargin.top + kPlotHeight + 32}" font-size="11" text-anchor="middle">${xml(extra.join(' '))}</text>`);
  });

  // The higher line is labelled above itself, the lower one below, so close lines keep their labels apart.
  const fmaOnTop = !gemm || (fma ?? 0) >= gemm;
  for (const [value, name, dash, dy] of [[fma, 'FMA peak', '6 3', fmaOnTop ? -4 : 11], [gemm, 'GEMM yardstick', '2 3', fmaOnTop ? 11 : -4]]) {
    if (!value) continue;
    parts.push(`<line x1="${kMargin.left}" x2="${width - kMargin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#000" stroke-dasharray="${dash}"/>`);
    parts.push(`<text x="${width - kMargin.right}" y="${y(value) + dy}" font-size="10" text-anchor="end">${name} ${formatNumber(value)} GFLOP/s</text>`);
  }
  parts.push(`<line x1="${kMargin.left}" x2="${width - kMargin.right}" y1="${kMargin.top + kPlotHeight}" y2="${kMargin.top + kPlotHeight}" stroke="#000"/>`);
  const foot = ['faded bar: over budget (one run); ✗: mismatched or failed, not timed'];
  if (result.environment.adapter.isSoftware) foot.push('software adapter: "GPU" bars are CPU work');
  parts.push(`<text x="${kMargin.left}" y="${height - 10}" font-size="10" fill="#444">${xml(foot.join(' · '))}</text>`);

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
