import { kTraceFields, type TimeMajorResult, type TraceEntry, type TraceField } from '../core/results.js';
import { gpuWait } from './gpu-wait.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import { MapMode } from './flags.js';
import { kStateFloats, type ReadbackLayout } from './layout.js';

const kFloat = 4;

/** Maps the staging buffer, copies out its `layout.length` floats and unmaps it. */
export async function readStaging(staging: GPUBuffer, layout: ReadbackLayout): Promise<Float32Array> {
  return readFloats(staging, layout.length);
}

/** Maps a MAP_READ buffer, copies out its first `count` floats and unmaps it. */
export async function readFloats(staging: GPUBuffer, count: number): Promise<Float32Array> {
  const bytes = count * kFloat;
  await gpuWait(() => staging.mapAsync(MapMode.READ, 0, bytes));
  const data = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  staging.unmap();
  return data;
}

/** A call's time-major results from the staging data, each read from its region of `layout`. */
export function unpackResults(config: LstmConfig, layout: ReadbackLayout, data: Float32Array): TimeMajorResult {
  const { output, states } = layout;
  const perLayerDirection = states[0].length / kStateFloats;
  const hN = new Float32Array(states.length * perLayerDirection);
  const cN = new Float32Array(hN.length);
  states.forEach((region, ld) => {
    for (let i = 0; i < perLayerDirection; i++) {
      hN[ld * perLayerDirection + i] = data[region.offset + kStateFloats * i];
      cN[ld * perLayerDirection + i] = data[region.offset + kStateFloats * i + 1];
    }
  });
  const D = directionCount(config);
  const field = layout.traceLayout.field;
  const trace = layout.trace?.map((region, ld): TraceEntry => {
    const fields = Object.fromEntries(
      kTraceFields.map((name, k) => [name, data.slice(region.offset + k * field, region.offset + (k + 1) * field)]),
    ) as Record<TraceField, Float32Array>;
    return { layer: Math.floor(ld / D), direction: ld % D, ...fields };
  });
  const result = { output: data.slice(output.offset, output.offset + output.length), hN, cN, trace: trace ?? null };
  const { prediction } = layout;
  return prediction ? { ...result, prediction: data.slice(prediction.offset, prediction.offset + prediction.length) } : result;
}
