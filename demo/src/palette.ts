// Seed 000's palette. The page draws with these and nothing else, so it reads like the seed notebooks.
export const kPalette = {
  blue: '#1A3A6E',
  red: '#DC3545',
  green: '#2E7D32',
  orange: '#E67E22',
  gray: '#666666',
  purple: '#8E44AD',
} as const;

/** One colour per gate, as in the cell diagram (seed 000 has no candidate colour; blue is the one left). */
export const kGateColors = {
  f: kPalette.red,
  i: kPalette.green,
  g: kPalette.blue,
  o: kPalette.orange,
} as const;

/** Line styles for hidden units: the six colours, then the same colours dashed. */
export function unitStyle(unit: number): { color: string; dash: string } {
  const colors = [kPalette.blue, kPalette.red, kPalette.green, kPalette.orange, kPalette.purple, kPalette.gray];
  return { color: colors[unit % colors.length], dash: unit < colors.length ? '' : '6 4' };
}
