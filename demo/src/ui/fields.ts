// Reading the page's form fields. Limits and names come from index.html (min, max, <label>), so
// the form and its checks cannot drift apart.
import { byId } from './dom.js';

/** The value of a form field, as a number (NaN when empty or not a number). */
export function numberField(id: string): number {
  const raw = byId<HTMLInputElement>(id).value.trim();
  return raw === '' ? Number.NaN : Number(raw);
}

/**
 * Whole numbers from the fields with these ids, each within its field's min and max; or, for the
 * first field that is not, what is wrong in words ("Batch B: enter a whole number from 1 to 1024.").
 */
export function readIntegers(ids: readonly string[]): number[] | string {
  const values: number[] = [];
  for (const id of ids) {
    const input = byId<HTMLInputElement>(id);
    const [min, max] = [Number(input.min), Number(input.max)];
    const value = numberField(id);
    if (!Number.isInteger(value) || value < min || value > max) {
      const label = document.querySelector(`label[for="${id}"]`)?.textContent?.trim() ?? id;
      return `${label}: enter a whole number from ${min} to ${max}.`;
    }
    values.push(value);
  }
  return values;
}
