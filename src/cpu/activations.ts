/** σ(x) = 1 / (1 + e^(−x)), in a form whose exp never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const tanh = Math.tanh;
