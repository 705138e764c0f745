import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { seriesFromCSV, seriesFromText } from '../../src/forecast/csv.js';

// CSV is untrusted: every problem is one line that names the file, the row and what was expected.

function errorOf(run: () => unknown): LstmError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LstmError);
    expect((error as LstmError).message).not.toContain('\n');
    return error as LstmError;
  }
  throw new Error('expected an error');
}

const kFile = 'data/sales.csv';

describe('seriesFromCSV', () => {
  it('reads the last column by default, a named one with column, skipping blank lines', () => {
    const text = 'month,units,price\n2020-01,5,1.5\n\n2020-02,7,2.5\r\n2020-03,"9",3e0\n';
    expect(seriesFromCSV(text, { source: kFile })).toEqual({ values: Float64Array.of(1.5, 2.5, 3), column: 'price', rows: Int32Array.of(2, 4, 5) });
    expect(Array.from(seriesFromCSV(text, { source: kFile, column: 'units' }).values)).toEqual([5, 7, 9]);
  });

  it('takes a first row of numbers as data (no header), a BOM and semicolons as they come', () => {
    expect(seriesFromCSV('1\n2\n3\n', { source: kFile })).toEqual({ values: Float64Array.of(1, 2, 3), column: 'column 1', rows: Int32Array.of(1, 2, 3) });
    expect(Array.from(seriesFromCSV('\uFEFFa;b\n1;2\n3;4\n', { source: kFile }).values)).toEqual([2, 4]);
  });

  it('an empty file', () => {
    for (const text of ['', '\n\n', ' , \n']) {
      expect(errorOf(() => seriesFromCSV(text, { source: kFile })).message).toBe(`${kFile}: the file is empty; expected a header row and a column of numbers`);
    }
  });

  it('a header alone', () => {
    expect(errorOf(() => seriesFromCSV('month,units\n', { source: kFile })).message).toBe(`${kFile}: only a header (row 1); expected rows of numbers under it`);
  });

  it('a missing column, naming the ones there are', () => {
    const error = errorOf(() => seriesFromCSV('month,units\n1,2\n', { source: kFile, column: 'sales' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(`${kFile}: no column "sales": the header (row 1) has "month", "units"`);
    expect(errorOf(() => seriesFromCSV('1,2\n', { source: kFile, column: 'sales' })).message).toBe(`${kFile}: no column "sales": the file has no header row`);
  });

  it('a non-numeric or empty cell, with its row and column', () => {
    expect(errorOf(() => seriesFromCSV('month,units\n1,2\n2,n/a\n', { source: kFile })).message).toBe(`${kFile}: row 3, column "units": expected a number, got "n/a"`);
    expect(errorOf(() => seriesFromCSV('month,units\n1,2\n2,\n', { source: kFile })).message).toBe(`${kFile}: row 3, column "units": expected a number, got an empty cell`);
    expect(errorOf(() => seriesFromCSV('month,units\n1,Infinity\n', { source: kFile })).message).toBe(`${kFile}: row 2, column "units": expected a number, got "Infinity"`);
  });

  it('a row too short to have the column', () => {
    expect(errorOf(() => seriesFromCSV('month,units\n1,2\n3\n', { source: kFile })).message).toBe(
      `${kFile}: row 3: expected 2 fields (column "units" is field 2), got 1`,
    );
  });

  it('a quote left open', () => {
    expect(errorOf(() => seriesFromCSV('a,b\n1,"2\n3,4\n', { source: kFile })).message).toMatch(/^data\/sales\.csv: row \d+: .*quote.*; expected well-formed CSV$/i);
  });
});

describe('seriesFromText', () => {
  it('reads numbers separated by commas, spaces, semicolons or line breaks', () => {
    expect(Array.from(seriesFromText(' 1, 2.5;-3\n4e1 ', 'the pasted numbers'))).toEqual([1, 2.5, -3, 40]);
  });

  it('names the first entry that is not a number, or says there are none', () => {
    expect(errorOf(() => seriesFromText('1, 2, x3', 'the pasted numbers')).message).toBe('the pasted numbers: entry 3: expected a number, got "x3"');
    expect(errorOf(() => seriesFromText(' \n', 'the pasted numbers')).message).toBe('the pasted numbers: no numbers; expected numbers separated by commas, spaces or line breaks');
  });
});
