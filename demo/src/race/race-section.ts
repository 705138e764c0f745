import type { Backend } from 'webgpu-lstm';
import { renderBarChart, type Bar } from '../charts/bar-chart.js';
import { kPalette } from '../palette.js';
import { byId, html } from '../ui/dom.js';
import { readIntegers } from '../ui/fields.js';
import { duration, rate, shapeText, speedupWords, tiny } from '../ui/format.js';
import { kLaneLabels, runRace, type Headline, type LaneEngine, type RaceLane, type RaceRequest, type RaceResult } from './race.js';
import { kBenchGrid, shapeDims, type RaceShape } from './stats.js';

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


/** The headline in words: "WebGPU 2.4× faster than wasm (f32)", or "about even". */
function headlineWords(headline: Headline): { value: string; note: string; summary: string } {
  const [first, second] = [kLaneLabels[headline.first], kLaneLabels[headline.second]];
  const words = speedupWords(headline.ratio, first, second);
  const [winner, loser] = words.winner === 'second' ? [second, first] : [first, second];
  const summary = words.winner === 'even' ? `${first} and ${second} about even` : `${winner} ${words.value} faster than ${loser}`;
  return { value: words.value, note: words.winner === 'even' ? `${first} vs ${second}: about even` : `${winner} is faster than ${loser}`, summary };
}

/** The worst error over the lanes checked against the reference, and whether all passed. */
function worstError(lanes: readonly RaceLane[]): { maxAbs: number; passed: boolean } | null {
  const checked = lanes.filter((lane) => lane.maxAbs !== null);
  if (checked.length === 0) return null;
  return { maxAbs: Math.max(...checked.map((lane) => lane.maxAbs!)), passed: checked.every((lane) => lane.passed) };
}

const kMedianIds: Readonly<Record<LaneEngine, string>> = { webgpu: 'race-gpu-median', wasm: 'race-wasm-median', cpu: 'race-cpu-median' };
const kLaneColors: Readonly<Record<LaneEngine, string>> = { webgpu: kPalette.blue, wasm: kPalette.green, cpu: kPalette.orange };

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
    for (const lane of result.lanes) {
      const { timing } = lane;
      kpi(kMedianIds[lane.engine], timing ? duration(timing.medianMs) : '—', timing ? `${rate(timing.gflops)} GFLOP/s` : 'not available here', timing?.medianMs ?? null);
    }
    const headline = result.headline ? headlineWords(result.headline) : null;
    kpi('race-speedup', headline?.value ?? '—', headline?.note ?? 'needs two lanes', result.headline?.ratio ?? null);
    const worst = worstError(result.lanes);
    kpi('race-max-error', worst ? tiny(worst.maxAbs) : '—', worst ? `${worst.passed ? 'within' : 'outside'} tolerance (1e−5)` : 'nothing to compare', worst?.maxAbs ?? null);
    byId('race-max-error').classList.toggle('bad', worst?.passed === false);
    // What each lane ran on, in the backends' own words (the wasm engine says its threads and why).
    byId('race-lane-notes').replaceChildren(
      ...result.lanes.map((lane) => html('li', { 'data-engine': lane.engine }, html('strong', {}, `${kLaneLabels[lane.engine]}: `), lane.note)),
    );

    const bars: Bar[] = result.lanes
      .filter((lane) => lane.timing !== null)
      .map((lane) => ({ label: kLaneLabels[lane.engine], value: lane.timing!.medianMs, color: kLaneColors[lane.engine], valueText: duration(lane.timing!.medianMs) }));
    byId('race-chart-host').replaceChildren(renderBarChart(bars, `Median forward time: ${bars.map((b) => `${b.label} ${b.valueText}`).join(', ')}`));

    const table = byId<HTMLTableElement>('race-table');
    table.tBodies[0].before(this.historyRows(result));
  }

  /** One tbody per race: a row per lane that ran, with shape and speed-up spanning them, each with its error. */
  private historyRows(result: RaceResult): HTMLTableSectionElement {
    const rows = result.lanes.filter((lane) => lane.timing !== null);
    const span = rows.length;
    const speed = result.headline ? headlineWords(result.headline).summary : '—';
    return html(
      'tbody',
      { class: 'race-group' },
      ...rows.map((lane, k) => {
        const timing = lane.timing!;
        return html(
          'tr',
          {},
          k === 0 ? html('th', { scope: 'rowgroup', rowspan: span }, shapeText(shapeDims(result.shape))) : null,
          html('td', { class: 'backend', title: lane.note }, kLaneLabels[lane.engine]),
          html('td', { class: 'num' }, duration(timing.medianMs)),
          html('td', { class: 'num' }, `${duration(timing.minMs)} – ${duration(timing.maxMs)}`),
          html('td', { class: 'num' }, rate(timing.stepsPerSecond)),
          html('td', { class: 'num' }, rate(timing.gflops)),
          k === 0 ? html('td', { class: 'num', rowspan: span }, speed) : null,
          html('td', { class: 'num' }, lane.maxAbs === null ? (lane.engine === 'cpu' ? 'reference' : '—') : tiny(lane.maxAbs)),
        );
      }),
    );
  }
}
