/**
 * The states section's sequence field: steps separated by commas, a step's values by spaces.
 * "5, 1.9, 2" is three steps of one value; "1 0, 0.5 2" is two steps of two values.
 */
export function parseSequence(text: string, inputSize: number): { x: number[]; steps: number } | { error: string } {
  const steps = text.split(',').map((step) => step.trim());
  if (steps.length === 1 && steps[0] === '') return { error: 'Input sequence: enter at least one step.' };
  if (steps.length > 500) return { error: `Input sequence: at most 500 steps, got ${steps.length}.` };
  const x: number[] = [];
  for (const [t, step] of steps.entries()) {
    const values = step === '' ? [] : step.split(/\s+/).map(Number);
    if (values.length !== inputSize) {
      return { error: `Input sequence: step ${t + 1} has ${values.length} value(s), but the input size is ${inputSize}.` };
    }
    if (!values.every(Number.isFinite)) return { error: `Input sequence: step ${t + 1} (“${step}”) is not all numbers.` };
    x.push(...values);
  }
  return { x, steps: steps.length };
}

/** The sequences the preset links fill in, for a given input size (each value repeated across inputs). */
export function presetSequence(name: string, inputSize: number): string {
  const scalars =
    name === 'seed002'
      ? [5, 1.9, 2]
      : name === 'sine'
        ? Array.from({ length: 24 }, (_, t) => Number((2 * Math.sin((2 * Math.PI * t) / 12)).toFixed(3)))
        : Array.from({ length: 16 }, (_, t) => (t >= 3 && t < 7 ? 3 : 0));
  return scalars.map((v) => Array(inputSize).fill(v).join(' ')).join(', ');
}
