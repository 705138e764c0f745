// A numeric column of a CSV file, read as untrusted input: every problem is one line naming the
// file, the row and what was expected. Parsing (quotes, delimiters, line breaks) is PapaParse's,
// which runs unchanged in Node and in the browser, so the CLI and the demo read files alike.
import Papa from 'papaparse';
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

export interface CsvSeriesOptions {
  /** Names the input in messages: the file's path, or "the pasted text". */
  readonly source: string;
  /** The column to read, by its header name; default: the last column. */
  readonly column?: string;
}

export interface CsvSeries {
  /** The column's values, top to bottom. */
  readonly values: Float64Array;
  /** The column read: its header name, or "column K" (1-based) in a file without a header. */
  readonly column: string;
  /** The file's row (1-based, the header being row 1 when there is one) of each value, for messages. */
  readonly rows: Int32Array;
}

function isNumber(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(Number(cell.trim()));
}

/** Splits the text into rows of cells; quote errors are reported with their row. */
function parseRows(text: string, source: string): string[][] {
  // PapaParse guesses the delimiter (, ; tab |) only while blank lines are skipped, and skipping them
  // loses the row numbers: guess first, then parse every line with that delimiter.
  const { delimiter } = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', preview: 50 }).meta;
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, dynamicTyping: false, delimiter });
  // A file of one column has no delimiter to find; PapaParse warns and takes ',', which is right.
  const error = parsed.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (error) throw invalidArgument(`${source}: row ${(error.row ?? 0) + 1}: ${error.message}; expected well-formed CSV`);
  return parsed.data;
}

/**
 * The numeric column `options.column` (default: the last) of a CSV text. A first row whose cells
 * are all numbers is data (a file without a header); otherwise it is the header. Blank lines are
 * skipped.
 *
 * @throws INVALID_ARGUMENT for an empty file, a missing column, a row without that column, or a
 *   cell that is not a finite number; the message names `source`, the row and what was expected.
 */
export function seriesFromCSV(text: string, options: CsvSeriesOptions): CsvSeries {
  const { source } = options;
  if (typeof text !== 'string') throw invalidArgument(`${source}: expected CSV text, got ${describeValue(text)}`);
  const rows = parseRows(text.replace(/^\uFEFF/, ''), source)
    .map((cells, index) => ({ cells, row: index + 1 }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  if (rows.length === 0) throw invalidArgument(`${source}: the file is empty; expected a header row and a column of numbers`);
  const hasHeader = !rows[0].cells.every(isNumber);
  const names = hasHeader ? rows[0].cells.map((cell) => cell.trim()) : rows[0].cells.map((_, k) => `column ${k + 1}`);
  let index = names.length - 1;
  if (options.column !== undefined) {
    index = names.indexOf(options.column);
    if (index < 0) {
      const where = hasHeader ? `the header (row ${rows[0].row}) has ${names.map((n) => JSON.stringify(n)).join(', ')}` : 'the file has no header row';
      throw invalidArgument(`${source}: no column ${JSON.stringify(options.column)}: ${where}`);
    }
  }
  const column = names[index];
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw invalidArgument(`${source}: only a header (row ${rows[0].row}); expected rows of numbers under it`);
  const values = new Float64Array(data.length);
  const rowNumbers = new Int32Array(data.length);
  data.forEach(({ cells, row }, k) => {
    if (index >= cells.length) {
      throw invalidArgument(`${source}: row ${row}: expected ${names.length} fields (column ${JSON.stringify(column)} is field ${index + 1}), got ${cells.length}`);
    }
    const cell = cells[index];
    if (!isNumber(cell)) {
      throw invalidArgument(`${source}: row ${row}, column ${JSON.stringify(column)}: expected a number, got ${cell.trim() === '' ? 'an empty cell' : JSON.stringify(cell)}`);
    }
    values[k] = Number(cell.trim());
    rowNumbers[k] = row;
  });
  return { values, column, rows: rowNumbers };
}

/**
 * Numbers typed or pasted by hand, separated by commas, semicolons, spaces or line breaks.
 *
 * @throws INVALID_ARGUMENT naming `source` and the position (1-based) of the first entry that is not a finite number.
 */
export function seriesFromText(text: string, source: string): Float64Array {
  const entries = text.split(/[\s,;]+/).filter((entry) => entry !== '');
  if (entries.length === 0) throw invalidArgument(`${source}: no numbers; expected numbers separated by commas, spaces or line breaks`);
  return Float64Array.from(entries, (entry, k) => {
    if (!isNumber(entry)) throw invalidArgument(`${source}: entry ${k + 1}: expected a number, got ${JSON.stringify(entry)}`);
    return Number(entry);
  });
}
