// The data sets the section offers. The births series load in the training worker; the others are
// made or parsed here, with the library's CSV reader so that the page and the CLI read files alike.
import { seriesFromCSV, seriesFromText } from 'webgpu-lstm';
import type { DatasetRequest } from './protocol.js';

export type DatasetChoice = 'births-monthly' | 'births-daily' | 'sine' | 'own';

/** The seasonal baseline's lag that suits each data set: a year of months, a week of days, the sine's period. */
export const kSeason: Readonly<Record<Exclude<DatasetChoice, 'own'>, number>> = { 'births-monthly': 12, 'births-daily': 7, sine: 24 };

/** A noisy sine wave with a slow trend: 240 steps, period 24, seeded noise so every visit sees the same. */
export function sineWave(): Float64Array {
  let state = 7;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Float64Array.from({ length: 240 }, (_, t) => 10 + 4 * Math.sin((2 * Math.PI * t) / 24) + 0.01 * t + 0.4 * noise());
}

/**
 * The user's numbers: several lines are CSV (a header, then rows; the last column or `column`),
 * a single line numbers separated by commas or spaces.
 *
 * @throws the library's one-line error naming the row and what was expected.
 */
export function ownSeries(text: string, source: string): Float64Array {
  const lines = text.trim().split(/\r?\n/);
  return lines.length > 1 ? seriesFromCSV(text, { source }).values : seriesFromText(text, source);
}

/** What to ask the worker for. */
export function datasetRequest(choice: DatasetChoice, text: string, source: string): DatasetRequest {
  if (choice === 'births-monthly' || choice === 'births-daily') return { kind: choice };
  if (choice === 'sine') return { kind: 'values', label: 'a noisy sine wave (period 24)', values: sineWave() };
  return { kind: 'values', label: source, values: ownSeries(text, source) };
}
