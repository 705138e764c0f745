// How numbers are written on the page. A real minus sign (−) everywhere: it lines up with digits.

const kMinus = '\u2212';

function withMinus(text: string): string {
  return text.replace('-', kMinus);
}

/** Fixed decimals, the way the seed notebooks print (0.6225); never "−0.0000". */
export function fixed(value: number, digits = 4): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : withMinus(text);
}

/** A small difference such as 3.1e−8; exact zero as 0. */
export function tiny(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${withMinus(mantissa)}e${withMinus(exponent.replace('+', ''))}`;
}

/** A duration from milliseconds: 0.84 ms, 12.3 ms, 1.25 s. */
export function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A rate with thousands separators and about three significant digits. */
export function rate(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A speed-up factor: 2.4×. */
export function factor(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;
}

/** A shape as the race writes it: 16 × 100 × 64 × 128. */
export function shapeText(dims: readonly number[]): string {
  return dims.join(' × ');
}
