// Linear scales and "nice" tick values for the hand-written SVG charts.

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** A step of 1, 2 or 5 times a power of ten, so that ticks read 0.2, 0.4 … rather than 0.173 …. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return multiple * power;
}

/**
 * A domain widened to whole steps around [min, max], with its ticks. A flat series (min = max)
 * still gets a visible band around its value.
 */
export function niceDomain(min: number, max: number, count = 5): { lo: number; hi: number; ticks: number[] } {
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's decimals so that 0.30000000000000004 prints as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { lo, hi, ticks };
}

/** Integer ticks 1..n, thinned to about `count` labels. */
export function stepTicks(n: number, count = 10): number[] {
  const every = Math.max(1, Math.ceil(n / count));
  const ticks: number[] = [];
  for (let t = 1; t <= n; t += every) ticks.push(t);
  return ticks;
}

/** A tick label: as few decimals as the value needs, with a real minus sign. */
export function tickLabel(value: number): string {
  const text = Math.abs(value) < 1e-12 ? '0' : String(Number(value.toPrecision(6)));
  return text.replace('-', '\u2212');
}
