import { createBackend, type AdapterSummary, type Backend } from 'webgpu-lstm';
import { byId, html } from './ui/dom.js';

/** The page's backends: WebGPU when the browser has it (else the CPU), and the CPU reference. */
export interface Backends {
  readonly main: Backend;
  readonly reference: Backend;
  /** How prose names the main backend: "the GPU (WebGPU on SwiftShader)" or "the CPU (float64 reference)". */
  readonly name: string;
}

/** The software adapter's product name when we can tell, for plain-words warnings. */
function softwareName(adapter: AdapterSummary): string {
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`.toLowerCase();
  if (text.includes('swiftshader')) return 'SwiftShader';
  if (text.includes('llvmpipe') || text.includes('lavapipe')) return 'llvmpipe';
  if (text.includes('warp') || text.includes('basic render')) return 'Microsoft WARP';
  return 'a software renderer';
}

/** "google · swiftshader", skipping what the browser keeps empty (browsers may hide adapter details). */
function adapterText(adapter: AdapterSummary): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.device || adapter.description].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'details withheld by the browser';
}

export async function openBackends(): Promise<Backends> {
  const reference = await createBackend({ prefer: 'cpu' });
  let main: Backend;
  try {
    // 'auto' falls back to the CPU by itself when there is no WebGPU, with the reason in words.
    main = await createBackend({ prefer: 'auto', allowSoftwareAdapter: true });
    // The inspector and the states chart compare the GPU with the float64 reference; without a GPU
    // they show the reference itself. The wasm engine runs as one of the race's lanes, in a worker.
    if (main.kind === 'wasm') {
      main.dispose();
      main = { ...reference, reason: main.reason.replace(/^auto: the wasm engine, because /, 'no WebGPU: ').replace(/; \d+ threads? .*$/, '') };
    }
  } catch (error) {
    // An adapter that exists but refuses a device (driver trouble): still a working CPU page.
    main = { ...reference, reason: `the WebGPU device could not be created: ${(error as Error).message}` };
  }
  const name =
    main.kind === 'webgpu' && main.adapter
      ? `the GPU (WebGPU on ${main.adapter.isSoftware ? softwareName(main.adapter) : main.adapter.vendor || 'this adapter'})`
      : 'the CPU (float64 reference)';
  return { main, reference, name };
}

const kEnableSteps = [
  'Use a browser with WebGPU: Chrome or Edge 113 or newer, Safari 26 or newer, or Firefox 141 or newer on Windows.',
  'Open the page over https:// or from http://localhost: browsers offer WebGPU only to secure pages.',
  'Turn on hardware acceleration (in Chrome: Settings → System → “Use graphics acceleration when available”) and check that chrome://gpu lists WebGPU as hardware accelerated.',
  'On Linux, Chrome may also need chrome://flags/#enable-unsafe-webgpu and chrome://flags/#enable-vulkan switched on.',
];

function softwareWarning(adapter: AdapterSummary, id: string): HTMLElement {
  const name = softwareName(adapter);
  return html(
    'div',
    { class: 'callout warning', id, 'data-testid': id },
    html('p', { class: 'callout-title' }, `This “GPU” is ${name}, a software adapter`),
    html(
      'p',
      {},
      `${name} runs WebGPU's GPU programs on your processor. Every result on this page is still correct and still ` +
        'checked against the CPU reference, but every lane of the race times your processor — through ' +
        `${name}, through the wasm engine and through plain JavaScript — so its WebGPU figure says nothing about how fast a graphics card would be.`,
    ),
  );
}

/** The card at the top: which backend runs the page, on what adapter, and what that means. */
export function renderEnvironment({ main }: Backends): void {
  const section = byId('environment');
  section.dataset.backend = main.kind;
  const status = byId('environment-status');
  const details = byId('environment-details');
  if (main.kind === 'webgpu' && main.adapter) {
    const adapter = main.adapter;
    status.replaceChildren(
      html('span', { class: 'pill ok' }, 'WebGPU'),
      ' This page runs on your GPU through WebGPU, and checks every number against the float64 CPU reference.',
    );
    details.replaceChildren(
      html(
        'dl',
        { class: 'facts' },
        html('div', {}, html('dt', {}, 'Vendor'), html('dd', { id: 'adapter-vendor' }, adapter.vendor || '—')),
        html('div', {}, html('dt', {}, 'Architecture'), html('dd', { id: 'adapter-architecture' }, adapter.architecture || '—')),
        html('div', {}, html('dt', {}, 'Device'), html('dd', {}, adapter.device || adapter.description || '—')),
        html('div', {}, html('dt', {}, 'Kind'), html('dd', { id: 'adapter-kind' }, adapter.isSoftware ? 'software' : 'hardware')),
      ),
      adapter.isSoftware ? softwareWarning(adapter, 'software-warning') : '',
    );
    return;
  }
  status.replaceChildren(
    html('span', { class: 'pill off' }, 'CPU only'),
    ' WebGPU is not available in this browser, so everything below runs on the float64 CPU reference. It all still works; only the race has no GPU side.',
  );
  details.replaceChildren(
    html(
      'div',
      { class: 'callout info', id: 'no-webgpu', 'data-testid': 'no-webgpu' },
      html('p', { class: 'callout-title' }, 'Why there is no WebGPU here'),
      html('p', { class: 'reason' }, main.reason.replace(/^auto: fell back to the CPU because /, '')),
      html('p', { class: 'callout-title' }, 'How to enable it'),
      html('ol', {}, ...kEnableSteps.map((step) => html('li', {}, step))),
    ),
  );
}

/** The race's own line about the adapter, so its numbers are read correctly. */
export function renderRaceAdapterNote({ main }: Backends): void {
  const host = byId('race-adapter-note');
  if (main.kind !== 'webgpu' || !main.adapter) {
    host.replaceChildren(
      html('p', { class: 'callout info compact' }, 'Without WebGPU the race times the wasm engine against the CPU reference; enable WebGPU (see the top of the page) to race the GPU too.'),
    );
    return;
  }
  const adapter = main.adapter;
  host.replaceChildren(
    html(
      'p',
      { class: `adapter-line${adapter.isSoftware ? ' software' : ''}`, id: 'race-adapter', 'data-testid': 'race-adapter' },
      html('strong', {}, 'WebGPU adapter: '),
      adapterText(adapter),
      adapter.isSoftware
        ? html('span', { class: 'tag warning-tag' }, `software (${softwareName(adapter)}): GPU timings here are CPU timings`)
        : html('span', { class: 'tag' }, 'hardware'),
    ),
  );
}
