import type { ScalarGates } from 'webgpu-lstm';
import { html } from '../ui/dom.js';

type GateName = keyof ScalarGates;

const kRows: readonly { gate: GateName; label: string }[] = [
  { gate: 'forget', label: 'Forget' },
  { gate: 'input', label: 'Input' },
  { gate: 'cell', label: 'Candidate' },
  { gate: 'output', label: 'Output' },
];
const kColumns = [
  { key: 'wx', label: 'w', sub: 'x', words: 'weight of x' },
  { key: 'wh', label: 'w', sub: 'h', words: 'weight of h' },
  { key: 'b', label: 'b', sub: '', words: 'bias' },
] as const;

const fieldId = (gate: GateName, column: number) => `param-${gate}-${kColumns[column].key}`;

/** The 4 × 3 grid of scalar gate parameters, each a labelled number field. */
export function renderParamsGrid(host: HTMLElement): void {
  const head = html(
    'tr',
    {},
    html('th', { scope: 'col' }, 'Gate'),
    ...kColumns.map((c) => html('th', { scope: 'col' }, c.label, c.sub ? html('sub', {}, c.sub) : null)),
  );
  const body = kRows.map(({ gate, label }) =>
    html(
      'tr',
      {},
      html('th', { scope: 'row' }, label),
      ...kColumns.map((column, k) =>
        html(
          'td',
          {},
          html('input', {
            id: fieldId(gate, k),
            type: 'number',
            step: 'any',
            inputmode: 'decimal',
            'aria-label': `${label} gate, ${column.words}`,
          }),
        ),
      ),
    ),
  );
  host.replaceChildren(html('table', { class: 'param-grid' }, html('thead', {}, head), html('tbody', {}, ...body)));
}

export function writeParams(gates: ScalarGates): void {
  for (const { gate } of kRows) {
    gates[gate].forEach((value, k) => {
      (document.getElementById(fieldId(gate, k)) as HTMLInputElement).value = String(value);
    });
  }
}

/** The grid's values, or the label of the first field that is not a finite number. */
export function readParams(): { gates: ScalarGates } | { error: string } {
  const gates = {} as Record<GateName, [number, number, number]>;
  for (const { gate } of kRows) {
    const triple: number[] = [];
    for (let k = 0; k < kColumns.length; k++) {
      const input = document.getElementById(fieldId(gate, k)) as HTMLInputElement;
      const value = input.value.trim() === '' ? Number.NaN : Number(input.value);
      if (!Number.isFinite(value)) return { error: `${input.getAttribute('aria-label')}: enter a number.` };
      triple.push(value);
    }
    gates[gate] = triple as [number, number, number];
  }
  return { gates };
}

/** "1, 2, 3" → [1, 2, 3]; at least one step, every entry a finite number. */
export function parseInputs(text: string): { inputs: number[] } | { error: string } {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') return { error: 'Input sequence: enter at least one number.' };
  const inputs: number[] = [];
  for (const [k, part] of parts.entries()) {
    const value = part === '' ? Number.NaN : Number(part);
    if (!Number.isFinite(value)) return { error: `Input sequence: step ${k + 1} (“${part}”) is not a number.` };
    inputs.push(value);
  }
  if (inputs.length > 64) return { error: 'Input sequence: at most 64 steps fit in the table.' };
  return { inputs };
}
