/** Splits a flat index of a row-major array into named coordinates: {t: 2, b: 1, i: 1}. */
export function unflatten(index: number, shape: readonly number[], names: readonly string[]): Record<string, number> {
  const at: Record<string, number> = {};
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    at[names[axis]] = index % shape[axis];
    index = Math.floor(index / shape[axis]);
  }
  return at;
}

/** A position as messages quote it: "t=2, b=1, i=1 (flat index 7)". */
export function describePosition(index: number, shape: readonly number[], names: readonly string[]): string {
  const at = unflatten(index, shape, names);
  return `${names.map((name) => `${name}=${at[name]}`).join(', ')} (flat index ${index})`;
}
