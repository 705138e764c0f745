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

/** Within this ratio either way the race calls the two even: a 1.0× "win" is timing noise. */
export const kEvenWithin = 1.05;

/**
 * "2.4×" with "WebGPU is faster", "wasm (f32) is faster" or "about even" under 5% apart, from the
 * ratio of the second's time to the first's (above 1, the first is faster).
 */
export function speedupWords(ratio: number, first: string, second: string): { value: string; note: string; winner: 'first' | 'second' | 'even' } {
  if (ratio < kEvenWithin && 1 / ratio < kEvenWithin) return { value: factor(Math.max(ratio, 1 / ratio)), note: 'about even', winner: 'even' };
  return ratio >= 1
    ? { value: factor(ratio), note: `${first} is faster`, winner: 'first' }
    : { value: factor(1 / ratio), note: `${second} is faster`, winner: 'second' };
}

/**
 * Numbers shown side by side (the RMSE cards) at one precision: as many decimals as give the
 * largest four significant digits, with thousands separators (15,206 · 7,525 · 9,876; 0.1234 · 0.0988).
 */
export function sharedPrecision(values: readonly number[]): string[] {
  const largest = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  const digits = largest > 0 ? Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(largest)))) : 0;
  return values.map((v) => withMinus(v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
}

/** A shape as the race writes it: 16 × 100 × 64 × 128. */
export function shapeText(dims: readonly number[]): string {
  return dims.join(' × ');
}
