import type { Backend } from 'webgpu-lstm';
import { CellDiagram, type CellSnapshot } from '../cell-diagram.js';
import { byId, html } from '../ui/dom.js';
import { fixed, tiny } from '../ui/format.js';
import { parseInputs, readParams, renderParamsGrid, writeParams } from './params-form.js';
import { kSeed004Gates, kSeed004Inputs, kStepFields, runScalar, type ScalarRun } from './scalar-run.js';

/** Milliseconds between steps while playing: slow enough to read each gate. */
const kPlayInterval = 1100;

/**
 * Section 1: the scalar model of seed 004 run once (with trace) on the page's backend, then
 * revealed one step at a time in the table and the cell diagram.
 */
export class Inspector {
  private run: ScalarRun | null = null;
  private step = 0;
  private timer: number | undefined;
  private readonly diagram = new CellDiagram(byId('cell-diagram-host'));
  private readonly table = byId<HTMLTableElement>('inspector-table');
  private readonly source = byId('inspector-source');
  private readonly error = byId('inspector-error');
  private readonly stepButton = byId<HTMLButtonElement>('inspector-step');
  private readonly playButton = byId<HTMLButtonElement>('inspector-play');
  private readonly resetButton = byId<HTMLButtonElement>('inspector-reset');

  constructor(
    private readonly backend: Backend,
    private readonly reference: Backend,
    /** How the page names its backend in prose, e.g. "the GPU (WebGPU on SwiftShader)". */
    private readonly backendName: string,
  ) {
    renderParamsGrid(byId('inspector-params'));
    writeParams(kSeed004Gates);
    byId<HTMLFormElement>('inspector-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.compute();
    });
    byId('inspector-defaults').addEventListener('click', () => {
      writeParams(kSeed004Gates);
      byId<HTMLInputElement>('inspector-inputs').value = kSeed004Inputs.join(', ');
      void this.compute();
    });
    this.stepButton.addEventListener('click', () => this.show(this.step + 1));
    this.resetButton.addEventListener('click', () => {
      this.pause();
      this.show(0);
    });
    this.playButton.addEventListener('click', () => (this.timer === undefined ? this.play() : this.pause()));
  }

  /** Reads the form, runs the sequence, and rewinds to before the first step. */
  async compute(): Promise<void> {
    this.pause();
    const params = readParams();
    const inputs = parseInputs(byId<HTMLInputElement>('inspector-inputs').value);
    const problem = 'error' in params ? params.error : 'error' in inputs ? inputs.error : '';
    this.error.textContent = problem;
    if ('error' in params || 'error' in inputs) return;
    this.setBusy(true);
    try {
      this.run = await runScalar(this.backend, this.reference, params.gates, inputs.inputs);
    } catch (error) {
      this.run = null;
      this.error.textContent = `The model could not run: ${(error as Error).message}`;
    } finally {
      this.setBusy(false);
    }
    this.renderTable();
    this.show(0);
  }

  private setBusy(busy: boolean): void {
    for (const button of [this.stepButton, this.playButton, this.resetButton]) button.disabled = busy;
    if (busy) this.source.textContent = 'Computing…';
  }

  private play(): void {
    if (!this.run) return;
    if (this.step >= this.run.steps.length) this.show(0);
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    const tick = () => {
      this.show(this.step + 1);
      if (this.run && this.step >= this.run.steps.length) this.pause();
    };
    tick();
    this.timer = window.setInterval(tick, kPlayInterval);
  }

  private pause(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-pressed', 'false');
  }

  /** Reveals steps 1..step (0 = none) in the table, the diagram, the counter and the forecast. */
  private show(step: number): void {
    const run = this.run;
    const total = run?.steps.length ?? 0;
    this.step = Math.max(0, Math.min(step, total));
    this.table.querySelectorAll('tbody tr').forEach((row, t) => {
      row.classList.toggle('pending', t >= this.step);
      row.classList.toggle('current', t === this.step - 1);
    });
    byId('inspector-position').textContent = `Step ${this.step} of ${total}`;
    this.stepButton.disabled = !run || this.step >= total;
    this.resetButton.disabled = !run || this.step === 0;
    this.playButton.disabled = !run;
    // A disabled button drops keyboard focus; hand it to Reset, the next useful control.
    if (this.stepButton.disabled && document.activeElement === this.stepButton) this.resetButton.focus();
    this.diagram.update(run && this.step > 0 ? snapshot(run, this.step) : null);
    const last = run && this.step === total ? run.steps[total - 1].h : null;
    byId('future-value').textContent = last === null ? '—' : fixed(4 * last);
    byId('future-hint').hidden = last !== null;
  }

  private renderTable(): void {
    const run = this.run;
    const head = html(
      'tr',
      {},
      html('th', { scope: 'col' }, 'Step'),
      html('th', { scope: 'col', class: 'num math' }, 'x', html('sub', {}, 't')),
      ...kStepFields.map((field) => html('th', { scope: 'col', class: 'num' }, field.name)),
    );
    const body = (run?.steps ?? []).map((row, t) =>
      html(
        'tr',
        { 'data-step': t + 1 },
        html('th', { scope: 'row' }, String(t + 1)),
        html('td', { class: 'num' }, fixed(run!.inputs[t], 2)),
        ...kStepFields.map(({ key }) => {
          const expected = run!.reference[t][key];
          // Beside the backend's value: the reference and the difference, when they are two backends.
          const beside =
            run!.backend === 'cpu'
              ? null
              : html(
                  'span',
                  { class: 'ref' },
                  html('span', {}, `CPU ${fixed(expected, 6)}`),
                  html('span', {}, `Δ ${tiny(row[key] - expected)}`),
                );
          return html(
            'td',
            { id: `insp-${t + 1}-${key}`, 'data-testid': `insp-${t + 1}-${key}`, class: 'num value-cell' },
            html('span', { class: 'value' }, fixed(row[key])),
            beside,
          );
        }),
      ),
    );
    this.table.replaceChildren(this.table.caption ?? '', html('thead', {}, head), html('tbody', {}, ...body));
    this.source.dataset.backend = run?.backend ?? '';
    this.source.textContent = !run
      ? 'No values: the model could not run.'
      : run.backend === 'webgpu'
        ? `Computed on ${this.backendName} from the trace of one forward call. Under each value: the float64 CPU ` +
          `reference and the difference (largest: ${tiny(run.maxDiff)}).`
        : `Computed on ${this.backendName}: WebGPU is not available here (see the note at the top).`;
  }
}

function snapshot(run: ScalarRun, step: number): CellSnapshot {
  const now = run.steps[step - 1];
  const before = step > 1 ? run.steps[step - 2] : null;
  return {
    step,
    steps: run.steps.length,
    x: run.inputs[step - 1],
    hPrev: before?.h ?? 0,
    cPrev: before?.c ?? 0,
    ...now,
  };
}
