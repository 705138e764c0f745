import type { ForwardResult, ResultStats, TraceEntry } from '../../core/results.js';
import { LstmError, type LstmErrorCode } from '../../core/errors.js';
import type { ForwardOptions } from '../../core/forward-options.js';
import type { AdapterSummary } from '../../gpu/context.js';
import type { RunnerOptions } from '../../gpu/runner.js';
import { modelToJSON, type ModelJSON } from '../../formats/model-json.js';
import type { LSTM } from '../../model/lstm.js';
import type { BrowserSession } from './browser-session.js';
import { decodeFloat32, encodeFloat64 } from './wire.js';
import { checkForwardResult } from '../../api/result-contract.js';

type WireTensor = { shape: number[]; data: string };
type WireTrace = Record<'i' | 'f' | 'g' | 'o' | 'c' | 'h', string> & { layer: number; direction: number };
/**
 * A forward result on the wire: every tensor key the page's result has (output, hN, cN, prediction,
 * and any later one) under `tensors`, by its own name, so no key can be left behind on the way.
 */
type WireResult =
  | {
      ok: true;
      tensors: Record<string, WireTensor>;
      trace: WireTrace[] | null;
      stats: ResultStats;
      adapter: AdapterSummary;
    }
  | { ok: false; code: LstmErrorCode | null; message: string };

/** Options for the page: float arrays as base64 (see wire.ts), lengths as a plain list. */
function wireOptions(options: ForwardOptions) {
  const floats = (v: ArrayLike<number> | undefined) => (v === undefined ? undefined : encodeFloat64(v));
  const lengths = options.lengths === undefined ? undefined : Array.from(options.lengths);
  return { ...options, h0: floats(options.h0), c0: floats(options.c0), lengths };
}

/**
 * One forward call on the WebGPU backend inside the session's page, with the model sent as its
 * JSON. Errors raised in the page come back as LstmErrors with their code.
 */
export async function remoteForward(
  session: BrowserSession,
  model: LSTM,
  x: ArrayLike<number>,
  options: ForwardOptions,
  runnerOptions: RunnerOptions = {},
): Promise<{ result: ForwardResult; adapter: AdapterSummary }> {
  const reply = await session.page.evaluate(
    async (modelJson: ModelJSON, xs: string, opts: ReturnType<typeof wireOptions>, load: RunnerOptions): Promise<WireResult> => {
      // Runs in the page: `webgpuLstm` is the library's public API.
      const lib = (window as unknown as { webgpuLstm: typeof import('../../index.js') }).webgpuLstm;
      const decode = (text: string) => new Float64Array(Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0)).buffer);
      const encode = (values: ArrayLike<number>) => {
        const bytes = new Uint8Array(Float32Array.from(values).buffer);
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(text);
      };
      const wire = (t: { shape: readonly number[]; data: ArrayLike<number> }) => ({ shape: [...t.shape], data: encode(t.data) });
      let backend;
      try {
        backend = await lib.createBackend({ prefer: 'webgpu' });
        const runner = await backend.load(lib.modelFromJSON(modelJson), load);
        try {
          const r = await runner.forward(decode(xs), {
            ...opts,
            h0: opts.h0 === undefined ? undefined : decode(opts.h0),
            c0: opts.c0 === undefined ? undefined : decode(opts.c0),
          });
          const trace = r.trace
            ? r.trace.map((e) => ({
                layer: e.layer,
                direction: e.direction,
                i: encode(e.i), f: encode(e.f), g: encode(e.g), o: encode(e.o), c: encode(e.c), h: encode(e.h),
              }))
            : null;
          // Every key but trace and stats is a tensor: all of them go, whatever their names.
          const tensors: Record<string, { shape: number[]; data: string }> = {};
          for (const [key, value] of Object.entries(r)) {
            if (key !== 'trace' && key !== 'stats' && value !== undefined) tensors[key] = wire(value as { shape: readonly number[]; data: ArrayLike<number> });
          }
          return { ok: true, tensors, trace, stats: r.stats, adapter: backend.adapter! };
        } finally {
          runner.dispose();
        }
      } catch (error) {
        const e = error as { code?: LstmErrorCode; message?: string };
        return { ok: false, code: e.code ?? null, message: e.message ?? String(error) };
      } finally {
        backend?.dispose();
      }
    },
    modelToJSON(model),
    encodeFloat64(x),
    wireOptions(options),
    runnerOptions,
  );
  if (!reply.ok) throw reply.code ? new LstmError(reply.code, reply.message) : new Error(reply.message);
  const tensor = (t: WireTensor) => ({ shape: t.shape, data: decodeFloat32(t.data) });
  const trace: TraceEntry[] | undefined = reply.trace?.map((e) => ({
    layer: e.layer,
    direction: e.direction,
    i: decodeFloat32(e.i), f: decodeFloat32(e.f), g: decodeFloat32(e.g),
    o: decodeFloat32(e.o), c: decodeFloat32(e.c), h: decodeFloat32(e.h),
  }));
  const tensors = Object.fromEntries(Object.entries(reply.tensors).map(([key, t]) => [key, tensor(t)]));
  const result = { ...tensors, ...(trace ? { trace } : {}), stats: reply.stats } as unknown as ForwardResult;
  return { result: checkForwardResult(model.config, options, result, "the 'chromium' runtime"), adapter: reply.adapter };
}
