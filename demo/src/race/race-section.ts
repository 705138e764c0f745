import type { Backend } from 'webgpu-lstm';
import { renderBarChart, type Bar } from '../charts/bar-chart.js';
import { kPalette } from '../palette.js';
import { byId, html } from '../ui/dom.js';
import { readIntegers } from '../ui/fields.js';
import { duration, rate, shapeText, speedupWords, tiny } from '../ui/format.js';
import { runRace, type RaceRequest, type RaceResult } from './race.js';
import { kBenchGrid, shapeDims, type RaceShape, type Timing } from './stats.js';

/** The form's fields: the shape (B, T, I, H) first, in the order shapeDims lists it. */
const kFieldIds = ['race-batch', 'race-steps', 'race-input', 'race-hidden', 'race-reps', 'race-warmup'] as const;

/** The form's values, or what is wrong with them, in words. */
function readForm(): RaceRequest | string {
  const values = readIntegers(kFieldIds);
  if (typeof values === 'string') return values;
  const [batch, steps, inputSize, hiddenSize, reps, warmup] = values;
  return { shape: { batch, steps, inputSize, hiddenSize }, reps, warmup };
}

function writeShape(shape: RaceShape): void {
  shapeDims(shape).forEach((value, k) => {
    byId<HTMLInputElement>(kFieldIds[k]).value = String(value);
  });
}


function speedupSummary(words: ReturnType<typeof speedupWords>): string {
  return words.winner === 'even' ? 'about even' : `${words.winner === 'webgpu' ? 'WebGPU' : 'CPU'} ${words.value} faster`;
}

function kpi(id: string, value: string, note: string, raw: number | null): void {
  const dd = byId(id);
  dd.replaceChildren(html('span', { class: 'kpi-value' }, value), html('span', { class: 'kpi-note' }, note));
  if (raw === null) delete dd.dataset.value;
  else dd.dataset.value = String(raw);
}

/**
 * Section 3: the race. Reads the shape, runs `runRace` with a progress bar and a Stop button, and
 * shows the latest race as figures and bars, and every race in the history table.
 */
export class RaceSection {
  private controller: AbortController | null = null;
  private readonly status = byId('race-status');
  private readonly progress = byId<HTMLProgressElement>('race-progress');
  private readonly runButton = byId<HTMLButtonElement>('race-run');
  private readonly stopButton = byId<HTMLButtonElement>('race-stop');

  constructor(private readonly backend: Backend) {
    byId('race-presets').replaceChildren(
      ...kBenchGrid.map((shape) =>
        html(
          'button',
          {
            type: 'button',
            class: 'chip',
            'aria-label': `Preset: batch ${shape.batch}, ${shape.steps} steps, input ${shape.inputSize}, hidden ${shape.hiddenSize}`,
          },
          `(${shapeDims(shape).join(', ')})`,
        ),
      ),
    );
    byId('race-presets')
      .querySelectorAll('button')
      .forEach((button, k) => button.addEventListener('click', () => writeShape(kBenchGrid[k])));
    byId<HTMLFormElement>('race-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    this.stopButton.addEventListener('click', () => this.controller?.abort(new DOMException('stopped', 'AbortError')));
  }

  private setState(state: 'idle' | 'running' | 'done' | 'error' | 'stopped', text: string): void {
    this.status.dataset.state = state;
    this.status.textContent = text;
    this.runButton.disabled = state === 'running';
    this.stopButton.disabled = state !== 'running';
    byId('race-section').setAttribute('aria-busy', String(state === 'running'));
  }

  async start(): Promise<void> {
    const request = readForm();
    byId('race-error').textContent = typeof request === 'string' ? request : '';
    if (typeof request === 'string') return;
    this.controller = new AbortController();
    this.progress.value = 0;
    this.setState('running', 'Starting…');
    try {
      const result = await runRace(
        this.backend,
        request,
        ({ done, total, phase }) => {
          this.progress.max = total;
          this.progress.value = done;
          this.status.textContent = `Running: ${phase} (${done} of ${total} passes done)`;
        },
        this.controller.signal,
      );
      this.progress.value = this.progress.max;
      this.show(result);
      this.setState('done', `Finished: ${shapeText(shapeDims(result.shape))} (B × T × I × H), ${request.reps} timed runs per backend.`);
    } catch (error) {
      const stopped = error instanceof DOMException && error.name === 'AbortError';
      this.progress.value = 0;
      this.setState(stopped ? 'stopped' : 'error', stopped ? 'Stopped.' : `The race failed: ${(error as Error).message}`);
    } finally {
      this.controller = null;
    }
  }

  private show(result: RaceResult): void {
    byId('race-results').hidden = false;
    const { gpu, cpu } = result;
    kpi('race-gpu-median', gpu ? duration(gpu.medianMs) : '—', gpu ? `${rate(gpu.gflops)} GFLOP/s` : 'no WebGPU', gpu?.medianMs ?? null);
    kpi('race-cpu-median', duration(cpu.medianMs), `${rate(cpu.gflops)} GFLOP/s`, cpu.medianMs);
    const speed = result.speedup === null ? null : speedupWords(result.speedup);
    kpi('race-speedup', speed?.value ?? '—', speed?.note ?? 'needs WebGPU', result.speedup);
    kpi(
      'race-max-error',
      result.maxAbs === null ? '—' : tiny(result.maxAbs),
      result.maxAbs === null ? 'needs WebGPU' : result.passed ? 'within tolerance (1e−5)' : 'outside tolerance (1e−5)',
      result.maxAbs,
    );
    byId('race-max-error').classList.toggle('bad', result.passed === false);

    const bars: Bar[] = [];
    if (gpu) bars.push({ label: 'WebGPU', value: gpu.medianMs, color: kPalette.blue, valueText: duration(gpu.medianMs) });
    bars.push({ label: 'CPU (f64)', value: cpu.medianMs, color: kPalette.orange, valueText: duration(cpu.medianMs) });
    byId('race-chart-host').replaceChildren(renderBarChart(bars, `Median forward time: ${bars.map((b) => `${b.label} ${b.valueText}`).join(', ')}`));

    const table = byId<HTMLTableElement>('race-table');
    table.tBodies[0].before(this.historyRows(result));
  }

  /** One tbody per race: a row per backend, with shape, speed-up and error spanning both. */
  private historyRows(result: RaceResult): HTMLTableSectionElement {
    const rows = [
      { name: 'WebGPU', timing: result.gpu },
      { name: 'CPU (f64)', timing: result.cpu },
    ].filter((row): row is { name: string; timing: Timing } => row.timing !== null);
    const span = rows.length;
    const speed =
      result.speedup === null ? '—' : speedupSummary(speedupWords(result.speedup));
    return html(
      'tbody',
      { class: 'race-group' },
      ...rows.map(({ name, timing }, k) =>
        html(
          'tr',
          {},
          k === 0 ? html('th', { scope: 'rowgroup', rowspan: span }, shapeText(shapeDims(result.shape))) : null,
          html('td', { class: 'backend' }, name),
          html('td', { class: 'num' }, duration(timing.medianMs)),
          html('td', { class: 'num' }, `${duration(timing.minMs)} – ${duration(timing.maxMs)}`),
          html('td', { class: 'num' }, rate(timing.stepsPerSecond)),
          html('td', { class: 'num' }, rate(timing.gflops)),
          k === 0 ? html('td', { class: 'num', rowspan: span }, speed) : null,
          k === 0 ? html('td', { class: 'num', rowspan: span }, result.maxAbs === null ? '—' : tiny(result.maxAbs)) : null,
        ),
      ),
    );
  }
}
