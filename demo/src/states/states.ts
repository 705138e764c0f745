import { LSTM, type Backend, type ForwardResult, type TraceEntry } from 'webgpu-lstm';
import { renderLineChart, type LineSeries } from '../charts/line-chart.js';
import { unitStyle } from '../palette.js';
import { byId, html, svg } from '../ui/dom.js';
import { numberField, readIntegers } from '../ui/fields.js';
import { tiny } from '../ui/format.js';
import { parseSequence, presetSequence } from './sequence.js';

interface StatesForm {
  readonly seed: number;
  readonly hiddenSize: number;
  readonly inputSize: number;
  readonly numLayers: number;
  readonly x: number[];
  readonly steps: number;
}

/** The form's values, or what is wrong with them, in words. */
function readForm(): StatesForm | string {
  const values = readIntegers(['states-seed', 'states-hidden', 'states-input-size', 'states-layers']);
  if (typeof values === 'string') return values;
  const [seed, hiddenSize, inputSize, numLayers] = values;
  const sequence = parseSequence(byId<HTMLInputElement>('states-sequence').value, inputSize);
  if ('error' in sequence) return sequence.error;
  return { seed, hiddenSize, inputSize, numLayers, ...sequence };
}

/** Unit u's values over time from a [T, 1, H] trace field. */
function unitSeries(field: ArrayLike<number>, steps: number, hiddenSize: number, unit: number): number[] {
  return Array.from({ length: steps }, (_, t) => field[t * hiddenSize + unit]);
}

/** The plotted layer's trace (forward direction). */
function plottedLayer(result: ForwardResult, numLayers: number): TraceEntry {
  return result.trace!.find((entry) => entry.layer === numLayers - 1 && entry.direction === 0)!;
}

/** The largest |a − b| over what the charts plot: h and c of every step and unit. */
function plottedDifference(a: TraceEntry, b: TraceEntry): number {
  let max = 0;
  for (const field of ['h', 'c'] as const) {
    for (let k = 0; k < a[field].length; k++) max = Math.max(max, Math.abs(a[field][k] - b[field][k]));
  }
  return max;
}

/**
 * Section 2: h and c of a seeded random LSTM, per step and per hidden unit, from one traced forward
 * call on the page's backend (the last layer's, when there are several).
 */
export class StatesSection {
  constructor(
    private readonly backend: Backend,
    private readonly reference: Backend,
    private readonly backendName: string,
  ) {
    byId<HTMLFormElement>('states-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.draw();
    });
    for (const link of document.querySelectorAll<HTMLButtonElement>('#states-form [data-preset]')) {
      link.addEventListener('click', () => {
        const preset = link.dataset.preset ?? '';
        // Seed 002's sequence is one number per step.
        if (preset === 'seed002') byId<HTMLInputElement>('states-input-size').value = '1';
        const inputSize = Math.max(1, Math.trunc(numberField('states-input-size')) || 1);
        byId<HTMLInputElement>('states-sequence').value = presetSequence(preset, inputSize);
        void this.draw();
      });
    }
  }

  async draw(): Promise<void> {
    const form = readForm();
    byId('states-error').textContent = typeof form === 'string' ? form : '';
    if (typeof form === 'string') return;
    const model = LSTM.random({ inputSize: form.inputSize, hiddenSize: form.hiddenSize, numLayers: form.numLayers, seed: form.seed });
    const options = { steps: form.steps, batch: 1, trace: true };
    try {
      const result = await forward(this.backend, model, form.x, options);
      const expected = this.backend.kind === 'cpu' ? result : await forward(this.reference, model, form.x, options);
      const plotted = plottedLayer(result, form.numLayers);
      this.render(form, plotted);
      const layerNote = form.numLayers > 1 ? ` Lines show the last of ${form.numLayers} layers.` : '';
      const difference = tiny(plottedDifference(plotted, plottedLayer(expected, form.numLayers)));
      byId('states-source').textContent =
        this.backend.kind === 'webgpu'
          ? `Computed on ${this.backendName}; largest difference from the float64 CPU reference: ${difference}.${layerNote}`
          : `Computed on ${this.backendName}.${layerNote}`;
    } catch (error) {
      byId('states-error').textContent = `The model could not run: ${(error as Error).message}`;
    }
  }

  private render(form: StatesForm, trace: TraceEntry): void {
    const seriesOf = (field: ArrayLike<number>): LineSeries[] =>
      Array.from({ length: form.hiddenSize }, (_, unit) => ({
        label: `unit ${unit + 1}`,
        ...unitStyle(unit),
        values: unitSeries(field, form.steps, form.hiddenSize, unit),
      }));
    const about = `over ${form.steps} steps, ${form.hiddenSize} hidden units, seed ${form.seed}`;
    byId('chart-h-host').replaceChildren(
      renderLineChart({ id: 'chart-h', label: `Hidden state h ${about}`, xLabel: 'time step t', yLabel: 'h', series: seriesOf(trace.h) }),
    );
    byId('chart-c-host').replaceChildren(
      renderLineChart({ id: 'chart-c', label: `Cell state c ${about}`, xLabel: 'time step t', yLabel: 'c', series: seriesOf(trace.c) }),
    );
    byId('states-legend').replaceChildren(
      ...seriesOf(trace.h).map((series) =>
        html(
          'li',
          {},
          svg(
            'svg',
            { viewBox: '0 0 28 10', width: 28, height: 10, 'aria-hidden': 'true' },
            svg('line', { x1: 1, y1: 5, x2: 27, y2: 5, stroke: series.color, 'stroke-width': 2.5, 'stroke-dasharray': series.dash || null }),
          ),
          series.label,
        ),
      ),
    );
  }
}

async function forward(backend: Backend, model: LSTM, x: number[], options: { steps: number; batch: number; trace: boolean }): Promise<ForwardResult> {
  const runner = await backend.load(model);
  try {
    return await runner.forward(x, options);
  } finally {
    runner.dispose();
  }
}
