import { kRecipes, makeForecastData, resolveForecastOptions, type ForecastOptions, type RecipeName, type TransformKind } from 'webgpu-lstm';
import { renderLineChart } from '../charts/line-chart.js';
import { kPalette } from '../palette.js';
import { byId, html } from '../ui/dom.js';
import { numberField, readIntegers } from '../ui/fields.js';
import { duration, sharedPrecision } from '../ui/format.js';
import { datasetRequest, kSeason, type DatasetChoice } from './datasets.js';
import { renderForecastChart, type XYSeries } from './forecast-chart.js';
import type { DoneMessage, StartMessage, TrainMessage, TrainRequest } from './protocol.js';
import { trainInWorker } from './train-client.js';

const kIntegerFields = ['forecast-window', 'forecast-units', 'forecast-epochs', 'forecast-batch'] as const;
/** How many seasons the recursive forecast looks past the end of the data. */
const kSeasonsAhead = 3;

/** A value in the series' units: 5 984, 18.7. */

/** A legend entry: the line's colour (dashed where the line is) and its label. */
function legendItem(label: string, color: string, dash: string): HTMLElement {
  return html('li', {}, html('span', { class: dash ? 'swatch dashed' : 'swatch', style: `--swatch: ${color}` }), label);
}

/** Section 4: trains seed 003's forecaster in a worker and shows its loss, its forecast and its RMSEs against the baselines. */
export class ForecastSection {
  private controller: AbortController | null = null;
  private readonly status = byId('forecast-status');
  private readonly progress = byId<HTMLProgressElement>('forecast-progress');
  private readonly trainButton = byId<HTMLButtonElement>('forecast-train');
  private readonly stopButton = byId<HTMLButtonElement>('forecast-stop');
  private readonly downloadButton = byId<HTMLButtonElement>('forecast-download');
  private losses: { loss: number[]; valLoss: number[]; milliseconds: number[] } = { loss: [], valLoss: [], milliseconds: [] };
  private start: StartMessage | null = null;
  private modelJson = '';
  /** The whole run's wall time from the worker's done message: the one duration the card shows. */
  private seconds: number | null = null;

  constructor() {
    const dataset = byId<HTMLSelectElement>('forecast-dataset');
    dataset.addEventListener('change', () => {
      byId('forecast-own').hidden = dataset.value !== 'own';
    });
    byId<HTMLInputElement>('forecast-file').addEventListener('change', (event) => void this.openFile(event.target as HTMLInputElement));
    byId('forecast-form')
      .querySelectorAll<HTMLButtonElement>('[data-recipe]')
      .forEach((button) => button.addEventListener('click', () => this.useRecipe(button.dataset.recipe as RecipeName)));
    byId<HTMLFormElement>('forecast-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.train();
    });
    this.stopButton.addEventListener('click', () => this.controller?.abort(new DOMException('stopped', 'AbortError')));
    this.downloadButton.addEventListener('click', () => this.download());
  }

  private useRecipe(name: RecipeName): void {
    const recipe = kRecipes[name];
    const values: Record<string, string | number> = {
      'forecast-window': recipe.window, 'forecast-units': recipe.units, 'forecast-epochs': recipe.epochs,
      'forecast-batch': recipe.batchSize, 'forecast-lr': recipe.lr, 'forecast-transform': recipe.transform,
    };
    for (const [id, value] of Object.entries(values)) byId<HTMLInputElement>(id).value = String(value);
  }

  private async openFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    byId<HTMLTextAreaElement>('forecast-text').value = await file.text();
    byId('forecast-text').dataset.source = file.name;
  }

  /** The form as a worker request, or what is wrong with it in words. */
  private readForm(): TrainRequest | string {
    const integers = readIntegers(kIntegerFields);
    if (typeof integers === 'string') return integers;
    const [window, unitsCount, epochs, batchSize] = integers;
    const lr = numberField('forecast-lr');
    if (!(lr > 0 && lr <= 1)) return 'Learning rate: enter a number above 0, at most 1.';
    const choice = byId<HTMLSelectElement>('forecast-dataset').value as DatasetChoice;
    const season = choice === 'own' ? 12 : kSeason[choice];
    const transform = byId<HTMLSelectElement>('forecast-transform').value as TransformKind;
    try {
      const options: ForecastOptions = resolveForecastOptions('default', { window, units: unitsCount, epochs, batchSize, lr, transform, season });
      const text = byId<HTMLTextAreaElement>('forecast-text');
      const dataset = datasetRequest(choice, text.value, text.dataset.source ?? 'your numbers');
      // The page's own series are checked here (too short, log of a negative), before any worker starts.
      if (dataset.kind === 'values') makeForecastData(dataset.values, options, dataset.label);
      return { dataset, options, horizon: kSeasonsAhead * season };
    } catch (error) {
      return (error as Error).message;
    }
  }

  private setState(state: 'idle' | 'running' | 'done' | 'error' | 'stopped', text: string): void {
    this.status.dataset.state = state;
    this.status.textContent = text;
    this.trainButton.disabled = state === 'running';
    this.stopButton.disabled = state !== 'running';
    byId('forecast-section').setAttribute('aria-busy', String(state === 'running'));
  }

  async train(): Promise<void> {
    const request = this.readForm();
    byId('forecast-error').textContent = typeof request === 'string' ? request : '';
    if (typeof request === 'string') return;
    this.controller = new AbortController();
    this.losses = { loss: [], valLoss: [], milliseconds: [] };
    this.start = null;
    this.seconds = null;
    this.modelJson = '';
    this.downloadButton.disabled = true;
    this.progress.max = request.options.epochs;
    this.progress.value = 0;
    this.clearResults();
    this.setState('running', 'Starting the worker and loading the data…');
    try {
      await trainInWorker(request, (message) => this.onMessage(message, request.options), this.controller.signal);
      // One duration, the worker's wall time (data, compilation and evaluation included), not the
      // sum of the epochs' step times beside it: two different figures for one run read as a bug.
      this.setState('done', `Finished: ${request.options.epochs} epochs in ${duration((this.seconds ?? 0) * 1000)}.`);
    } catch (error) {
      const stopped = error instanceof DOMException && error.name === 'AbortError';
      this.setState(stopped ? 'stopped' : 'error', stopped ? `Stopped after ${this.losses.loss.length} epochs.` : `Training failed: ${(error as Error).message}`);
    } finally {
      this.controller = null;
    }
  }

  private onMessage(message: TrainMessage, options: ForecastOptions): void {
    if (message.type === 'start') {
      this.start = message;
      const line = byId('forecast-backend');
      line.textContent = `Training on ${message.reason}. Data: ${message.label}, ${message.series.length} values.`;
      line.dataset.backend = message.backend;
    } else if (message.type === 'epoch') {
      this.onEpoch(message.loss, message.valLoss, message.milliseconds, options.epochs);
    } else if (message.type === 'done') {
      this.showResults(message);
    }
  }

  private onEpoch(loss: number, valLoss: number, milliseconds: number, epochs: number): void {
    this.losses.loss.push(loss);
    this.losses.valLoss.push(valLoss);
    this.losses.milliseconds.push(milliseconds);
    const done = this.losses.loss.length;
    this.progress.value = done;
    // Time left from the recent epochs' mean (the first one includes compiling the GPU pipelines).
    const recent = this.losses.milliseconds.slice(-10);
    const left = ((epochs - done) * recent.reduce((a, b) => a + b, 0)) / recent.length;
    this.status.textContent = `Epoch ${done} of ${epochs}: loss ${loss.toPrecision(3)}, validation loss ${valLoss.toPrecision(3)}; about ${duration(left)} left.`;
    const lossSeries = [
      { label: 'training', color: kPalette.blue, dash: '', values: this.losses.loss },
      { label: 'validation', color: kPalette.orange, dash: '6 4', values: this.losses.valLoss },
    ];
    byId('forecast-loss-host').replaceChildren(
      renderLineChart({ id: 'forecast-loss-chart', label: `Training and validation loss over ${done} epochs`, xLabel: 'epoch', yLabel: 'loss', series: lossSeries }),
    );
    // Two lines, one dashed: without a legend the reader cannot tell which is which.
    if (done === 1) byId('forecast-loss-legend').replaceChildren(...lossSeries.map((line) => legendItem(line.label, line.color, line.dash)));
  }

  private clearResults(): void {
    for (const id of ['forecast-test-rmse', 'forecast-persistence', 'forecast-seasonal', 'forecast-train-rmse']) byId(id).textContent = '—';
    byId('forecast-verdict').textContent = '';
    byId('forecast-backend').textContent = '';
    byId('forecast-loss-host').replaceChildren();
    byId('forecast-chart-host').replaceChildren();
    byId('forecast-legend').replaceChildren();
    byId('forecast-loss-legend').replaceChildren();
  }

  private showResults(done: DoneMessage): void {
    const series = this.start!.series;
    const n = series.length;
    const [test, persistence, seasonal, train] = sharedPrecision([done.testRmse, done.persistenceRmse, done.seasonalRmse, done.trainRmse]);
    byId('forecast-test-rmse').textContent = test;
    byId('forecast-persistence').textContent = persistence;
    byId('forecast-seasonal').textContent = seasonal;
    byId('forecast-train-rmse').textContent = train;
    const beats = [done.testRmse < done.persistenceRmse, done.testRmse < done.seasonalRmse];
    const verdict = byId('forecast-verdict');
    verdict.dataset.beats = String(beats[0] && beats[1]);
    verdict.textContent = beats[0] && beats[1]
      ? `The model beats both naive forecasts on the test part (RMSE ${test} against ${persistence} and ${seasonal}).`
      : `The model does not beat ${[!beats[0] && 'persistence', !beats[1] && 'seasonal persistence'].filter(Boolean).join(' nor ')} on the test part: a naive forecast is as good or better here.`;
    const lines: XYSeries[] = [
      { label: 'truth', color: kPalette.gray, dash: '', x: Array.from(series, (_, t) => t), y: series },
      { label: 'one step ahead (test part)', color: kPalette.orange, dash: '', x: done.testTargets, y: done.testPrediction },
      { label: `forecast, ${done.future.length} steps past the data`, color: kPalette.blue, dash: '6 4', x: Array.from(done.future, (_, h) => n + h), y: done.future },
    ];
    byId('forecast-chart-host').replaceChildren(
      renderForecastChart('forecast-chart', `${this.start!.label}: truth and predictions`, lines, [
        { x: done.split, text: 'test part' },
        { x: n - 1, text: 'end of data' },
      ]),
    );
    byId('forecast-legend').replaceChildren(...lines.map((line) => legendItem(line.label, line.color, line.dash)));
    this.modelJson = done.modelJson;
    this.downloadButton.disabled = false;
    this.seconds = done.seconds;
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([this.modelJson], { type: 'application/json' }));
    const link = html('a', { href: url, download: 'forecaster.json' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
