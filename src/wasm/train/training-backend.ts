import type { TrainingSetup } from '../../core/training.js';
import { HostTrainingBackend } from '../../cpu/training-backend.js';
import type { LSTM } from '../../model/lstm.js';
import type { WasmEngine } from '../engine/engine.js';
import { WasmPasses } from './passes.js';

/**
 * Training on the wasm engine: the LSTM's forward and BPTT in float32 on the engine's threads
 * (src/wasm/train/passes.ts); the head, the loss, clipping and the optimizer on the host in
 * float64, the reference's own (src/cpu/training-backend.ts).
 */
export class WasmTrainingBackend extends HostTrainingBackend {
  constructor(engine: WasmEngine, start: LSTM, setup: TrainingSetup) {
    const passes = new WasmPasses(engine);
    super('wasm', passes, start, setup, () => passes.release());
  }
}
