// The demo page: opens the backends, then wires the four sections. Everything it computes goes
// through webgpu-lstm's public API.
import './styles/base.css';
import './styles/cell.css';
import './styles/charts.css';
import './styles/race.css';
import './styles/forecast.css';
import './styles/narrow.css';
import { openBackends, renderEnvironment, renderRaceAdapterNote } from './environment.js';
import { ForecastSection } from './forecast/forecast-section.js';
import { Inspector } from './inspector/inspector.js';
import { RaceSection } from './race/race-section.js';
import { StatesSection } from './states/states.js';
import { byId } from './ui/dom.js';

async function main(): Promise<void> {
  const backends = await openBackends();
  renderEnvironment(backends);
  renderRaceAdapterNote(backends);
  const inspector = new Inspector(backends.main, backends.reference, backends.name);
  const states = new StatesSection(backends.main, backends.reference, backends.name);
  new RaceSection(backends.main);
  // Trains in its own worker, with its own backend (WebGPU there, else the CPU).
  new ForecastSection();
  // One after the other: both load a model on the same device, and the first paint needs both anyway.
  await inspector.compute();
  await states.draw();
}

main()
  .catch((error: unknown) => {
    // Only a bug lands here (the sections report their own failures); say so where a reader looks.
    const status = byId('environment-status');
    status.textContent = `The page could not start: ${error instanceof Error ? error.message : String(error)}`;
    status.classList.add('error');
    throw error;
  })
  .finally(() => {
    byId('main').setAttribute('aria-busy', 'false');
    // A hook for tests and scripts: the page has finished its first render.
    document.body.dataset.ready = 'true';
  });
