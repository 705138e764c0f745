import { LstmError, type LstmErrorCode } from '../api/errors.js';
import type { ForwardOptions } from '../api/forward-input.js';
import type { ForwardResult, ForwardStats, TraceEntry } from '../api/result.js';
import type { AdapterSummary } from '../gpu/context.js';
import { modelToJSON, type ModelJSON } from '../model/json.js';
import type { LSTM } from '../model/lstm.js';
import type { BrowserSession } from './browser-session.js';

type PlainTensor = { shape: number[]; data: number[] };
type PlainResult =
  | {
      ok: true;
      output: PlainTensor;
      hN: PlainTensor;
      cN: PlainTensor;
      trace: (Record<'i' | 'f' | 'g' | 'o' | 'c' | 'h', number[]> & { layer: number; direction: number })[] | null;
      stats: ForwardStats;
      adapter: AdapterSummary;
    }
  | { ok: false; code: LstmErrorCode | null; message: string };

/** Plain-array options (typed arrays do not survive the trip into the page). */
function plainOptions(options: ForwardOptions) {
  const toArray = (v: ArrayLike<number> | undefined) => (v === undefined ? undefined : Array.from(v));
  return { ...options, h0: toArray(options.h0), c0: toArray(options.c0), lengths: toArray(options.lengths) };
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
): Promise<{ result: ForwardResult; adapter: AdapterSummary }> {
  const reply = await session.page.evaluate(
    async (modelJson: ModelJSON, xs: number[], opts: ReturnType<typeof plainOptions>): Promise<PlainResult> => {
      // Runs in the page: `webgpuLstm` is the library's public API.
      const lib = (window as unknown as { webgpuLstm: typeof import('../index.js') }).webgpuLstm;
      const plain = (t: { shape: readonly number[]; data: ArrayLike<number> }) => ({ shape: [...t.shape], data: Array.from(t.data) });
      let backend;
      try {
        backend = await lib.createBackend({ prefer: 'webgpu' });
        const runner = await backend.load(lib.modelFromJSON(modelJson));
        try {
          const r = await runner.forward(xs, opts);
          const trace = r.trace
            ? r.trace.map((e) => ({
                layer: e.layer,
                direction: e.direction,
                i: Array.from(e.i), f: Array.from(e.f), g: Array.from(e.g), o: Array.from(e.o), c: Array.from(e.c), h: Array.from(e.h),
              }))
            : null;
          return { ok: true, output: plain(r.output), hN: plain(r.hN), cN: plain(r.cN), trace, stats: r.stats, adapter: backend.adapter! };
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
    Array.from(x),
    plainOptions(options),
  );
  if (!reply.ok) throw reply.code ? new LstmError(reply.code, reply.message) : new Error(reply.message);
  const tensor = (t: PlainTensor) => ({ shape: t.shape, data: Float32Array.from(t.data) });
  const trace: TraceEntry[] | undefined = reply.trace?.map((e) => ({
    layer: e.layer,
    direction: e.direction,
    i: Float32Array.from(e.i), f: Float32Array.from(e.f), g: Float32Array.from(e.g),
    o: Float32Array.from(e.o), c: Float32Array.from(e.c), h: Float32Array.from(e.h),
  }));
  return {
    result: { output: tensor(reply.output), hN: tensor(reply.hN), cN: tensor(reply.cN), ...(trace ? { trace } : {}), stats: reply.stats },
    adapter: reply.adapter,
  };
}
