import { modelToJSON, type ModelJSON } from '../../src/formats/model-json.js';
import type { ForwardResult } from '../../src/core/results.js';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { describeForwardContract } from '../support/forward-contract.js';
import { openGpuSession } from '../support/gpu-session.js';

type Plain = Record<string, unknown>;

// The shared forward-result contract on WebGPU in the browser: the library's own createBackend in
// the page, its result brought back key by key (every key the page's result has, whatever its name).
describeForwardContract('WebGPU in the browser', async () => {
  const { session } = await openGpuSession();
  return {
    forward: async ({ model, x, options }) => toResult(await inPage(session, modelToJSON(model), Array.from(x), plainOptions(options))),
    close: () => session.close(),
  };
});

function plainOptions(options: object): Plain {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v]));
}

function inPage(session: BrowserSession, model: ModelJSON, x: number[], options: Plain): Promise<Plain> {
  return session.page.evaluate(
    async (json: ModelJSON, xs: number[], opts: Plain) => {
      const lib = (window as unknown as { webgpuLstm: typeof import('../../src/index.js') }).webgpuLstm;
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      try {
        const runner = await backend.load(lib.modelFromJSON(json));
        const result = (await runner.forward(xs, opts as never)) as unknown as Plain;
        runner.dispose();
        // Typed arrays become plain lists; every key is kept as it is.
        const plain = (v: unknown): unknown =>
          ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, w]) => [k, plain(w)])) : v;
        return plain(result) as Plain;
      } finally {
        backend.dispose();
      }
    },
    model,
    x,
    options,
  );
}

/** Lists back to Float32Arrays (what the page's result held), keys untouched. */
function toResult(plain: Plain): ForwardResult {
  const typed = (v: unknown, key = ''): unknown =>
    Array.isArray(v) && (key === 'data' || 'ifgoch'.includes(key) && key.length === 1) && v.every((e) => typeof e === 'number')
      ? Float32Array.from(v as number[])
      : Array.isArray(v) ? v.map((e) => typed(e)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, w]) => [k, typed(w, k)])) : v;
  return typed(plain) as ForwardResult;
}
