import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { PreparedInput } from '../../src/core/prepared-input.js';
import { listShapeBuffers, listWeightBuffers, shapeBuffers } from '../../src/gpu/buffers.js';
import { GpuRunner, type RunnerOptions } from '../../src/gpu/runner.js';
import { normalizeConfig } from '../../src/model/config.js';
import { LSTM } from '../../src/model/lstm.js';
import { recordingContext, recordingGpu, type Recording } from './support/recording-gpu.js';

// What a forward call allocates, checked buffer by buffer (name, size, usage) against sizes worked
// out here by hand from the kernels' layouts, on a recording stand-in device (no GPU needed).

// WebGPU's GPUBufferUsage values (https://www.w3.org/TR/webgpu/#buffer-usage), written out.
const MAP_READ = 1;
const COPY_SRC = 4;
const COPY_DST = 8;
const UNIFORM = 64;
const STORAGE = 128;

// I = 3, H = 5, two bidirectional layers (L·D = 4), T = 2 steps, B = 3 sequences.
const kConfig = { inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true };
const [T, B] = [2, 3];

const state = (ld: string) => [
  // (h, c) pairs: B·H·2 = 30 floats = 120 bytes, allocated as whole 16-byte vec4s: 128.
  { name: `(h, c) state ${ld} #0`, bytes: 128, usage: STORAGE | COPY_DST | COPY_SRC },
  { name: `(h, c) state ${ld} #1`, bytes: 128, usage: STORAGE | COPY_DST | COPY_SRC },
  // lstm_cell.wgsl's Dims: 8 u32 fields.
  { name: `recurrence dims ${ld}`, bytes: 32, usage: UNIFORM | COPY_DST },
];

/** The working set of (T = 2, B = 3), traced or not, on the per-step or the sequence path. */
function expectedShape(path: 'steps' | 'sequence', trace: boolean) {
  return [
    { name: 'input x', bytes: 80, usage: STORAGE | COPY_DST }, // T·B·I = 18 floats = 72 bytes → 80
    { name: 'lengths', bytes: 16, usage: STORAGE | COPY_DST }, // B u32 = 12 bytes → 16
    { name: 'output sequence 0', bytes: 240, usage: STORAGE | COPY_SRC }, // T·B·D·H = 60 floats
    { name: 'output sequence 1', bytes: 240, usage: STORAGE | COPY_SRC },
    { name: 'input projection z', bytes: 480, usage: STORAGE }, // T·B·H vec4 = 120 floats
    trace
      ? { name: 'trace', bytes: 2880, usage: STORAGE | COPY_SRC } // L·D·6·T·B·H = 720 floats
      : { name: 'trace (unused)', bytes: 16, usage: STORAGE },
    ...(path === 'steps' ? [{ name: 'step indices', bytes: 512, usage: UNIFORM | COPY_DST }] : []), // T slots of 256 bytes
    { name: 'projection dims l0', bytes: 16, usage: UNIFORM | COPY_DST }, // 4 u32 fields
    { name: 'projection dims l1', bytes: 16, usage: UNIFORM | COPY_DST },
    ...state('l0d0'),
    ...state('l0d1'),
    ...state('l1d0'),
    ...state('l1d1'),
    // output 60 + four (h, c) states of 30 + (traced) the whole trace 720 floats.
    { name: 'staging (readback)', bytes: trace ? 3600 : 720, usage: MAP_READ | COPY_DST },
  ];
}

/** The packed weights: W_ih [I_k, H, 4], W_hh [⌈H/4⌉·4 = 8, H, 4], bias [H, 4], per layer-direction. */
function expectedWeights() {
  return [0, 1].flatMap((layer) =>
    ['', '_reverse'].flatMap((suffix) => [
      // I_0 = 3, I_1 = D·H = 10: 4·H·I floats.
      { name: `weight_ih_l${layer}${suffix}`, bytes: layer === 0 ? 240 : 800, usage: STORAGE | COPY_DST },
      { name: `weight_hh_l${layer}${suffix}`, bytes: 640, usage: STORAGE | COPY_DST },
      { name: `bias_ih_l${layer}${suffix} + bias_hh_l${layer}${suffix}`, bytes: 80, usage: STORAGE | COPY_DST },
    ]),
  );
}

function input(steps: number, batch: number, trace: boolean): PreparedInput {
  const x = Float64Array.from({ length: steps * batch * kConfig.inputSize }, (_, i) => Math.sin(i));
  return { steps, batch, x, h0: null, c0: null, lengths: null, trace };
}

/** Loads the model on a recording device and runs one call; what each step created. */
async function recordCall(options: RunnerOptions & { trace: boolean }) {
  const { context, recording } = recordingContext();
  const runner = await GpuRunner.create(context, LSTM.random({ ...kConfig, seed: 1 }), options);
  const loaded = recording.buffers.length;
  const result = await runner.run(input(T, B, options.trace));
  return { runner, recording, result, weights: recording.buffers.slice(0, loaded), call: recording.buffers.slice(loaded) };
}

const named = (prefix: string, buffers: Recording['buffers']) => buffers.map((b) => ({ name: b.label.replace(prefix, ''), bytes: b.size, usage: b.usage }));

describe('the buffers of a forward call, buffer by buffer', () => {
  it.each([
    ['steps', true],
    ['steps', false],
    ['sequence', true],
    ['sequence', false],
  ] as const)('%s path, trace %s: shapeBuffers predicts what the call creates', async (path, trace) => {
    const { call } = await recordCall({ recurrence: path, trace });
    expect(named(`shape T=${T} B=${B}: `, call)).toEqual(expectedShape(path, trace));
    const predicted = shapeBuffers(normalizeConfig(kConfig), T, B, trace, path === 'steps' ? { kind: 'steps' } : { kind: 'sequence', threads: 32, units: 1, batchTile: 1 }, 256);
    expect(listShapeBuffers(predicted.buffers)).toEqual(expectedShape(path, trace));
  });

  it('a load creates the packed weight buffers, W_hh padded to whole quads of rows', async () => {
    const { weights } = await recordCall({ recurrence: 'steps', trace: false });
    expect(named('weights: ', weights)).toEqual(expectedWeights());
    expect(listWeightBuffers(normalizeConfig(kConfig))).toEqual(expectedWeights());
  });
});

describe('the readback layout', () => {
  it('copies the last layer output, each final state and the trace to their own staging regions', async () => {
    const { recording } = await recordCall({ recurrence: 'steps', trace: true });
    const staging = `shape T=${T} B=${B}: staging (readback)`;
    const copy = (source: string, destinationOffset: number, size: number) => ({ source: `shape T=${T} B=${B}: ${source}`, sourceOffset: 0, destination: staging, destinationOffset, size });
    expect(recording.copies).toEqual([
      copy('output sequence 1', 0, 240), // layer 1 writes sequence 1
      // T = 2 steps ping-pong the state pair back to #0; 120 bytes each from byte 240.
      copy('(h, c) state l0d0 #0', 240, 120),
      copy('(h, c) state l0d1 #0', 360, 120),
      copy('(h, c) state l1d0 #0', 480, 120),
      copy('(h, c) state l1d1 #0', 600, 120),
      copy('trace', 720, 2880),
    ]);
  });

  it('unpacks each result from its region (staging float k reads back as k here)', async () => {
    const { result } = await recordCall({ recurrence: 'sequence', trace: true });
    expect([...result.output]).toEqual(Array.from({ length: 60 }, (_, k) => k));
    // h of layer-direction ld, element i, is staging float 60 + 30·ld + 2i; c the one after.
    expect(result.hN[0]).toBe(60);
    expect(result.cN[0]).toBe(61);
    expect(result.hN[3 * 15 + 14]).toBe(60 + 30 * 3 + 28);
    expect(result.cN[3 * 15 + 14]).toBe(60 + 30 * 3 + 29);
    // Trace of ld: 180 floats from 180 + 180·ld, six fields (i, f, g, o, c, h) of T·B·H = 30.
    const last = result.trace![3];
    expect([last.layer, last.direction]).toEqual([1, 1]);
    expect(last.i[0]).toBe(180 + 540);
    expect(last.h[29]).toBe(180 + 540 + 5 * 30 + 29);
  });

  it('selects each step by its dynamic offset (slots of minUniformBufferOffsetAlignment bytes)', async () => {
    const { recording, result } = await recordCall({ recurrence: 'steps', trace: false });
    // Per layer-direction: the projection, then steps 0 and 1.
    expect(recording.dynamicOffsets).toEqual(new Array(4).fill([[0], [256]]).flat());
    expect(result.stats).toEqual({ backend: 'webgpu', dispatches: 12, submits: 1, readbacks: 1 });
  });
});

describe('a call split over time', () => {
  it('uploads the weights once, keeps its layer runners for the next call, and frees everything on dispose', async () => {
    // 8 step slots of 256 bytes cannot fit 1 KiB: each layer-direction runs alone, 4 steps a call.
    const { context, recording } = recordingContext({ maxBufferSize: 1024 });
    const runner = await GpuRunner.create(context, LSTM.random({ ...kConfig, seed: 1 }), { recurrence: 'steps' });
    const weights = recording.buffers.length;
    const first = await runner.run(input(8, B, false));
    const afterFirst = recording.buffers.length;
    const second = await runner.run(input(8, B, false));
    expect(first.stats.submits).toBe(4 * 2);
    expect(second.stats.submits).toBe(4 * 2);
    expect(recording.buffers.slice(weights).filter((b) => b.label.startsWith('weights'))).toEqual([]);
    expect(recording.buffers.length).toBe(afterFirst);
    expect(runner.gpuBytes).toBe(recording.buffers.reduce((sum, b) => sum + b.size, 0));
    runner.dispose();
    expect(recording.buffers.filter((b) => !b.destroyed)).toEqual([]);
    expect(runner.gpuBytes).toBe(0);
  });
});

describe('a GPU entry point passed in', () => {
  it('runs a forward call in Node, where no WebGPU globals exist', async () => {
    expect(typeof (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage).toBe('undefined');
    const { gpu, recording } = recordingGpu();
    const backend = await createBackend({ prefer: 'webgpu', gpu });
    const runner = await backend.load(LSTM.random({ ...kConfig, seed: 1 }));
    const result = await runner.forward(new Float64Array(T * B * kConfig.inputSize), { steps: T, batch: B });
    expect(result.stats.submits).toBe(1);
    expect(recording.submits).toBe(1);
    runner.dispose();
  });
});
