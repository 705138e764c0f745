import { LstmError } from '../../core/errors.js';
import { kControl } from './control.js';
import { isNode, nodeBuiltin } from './features.js';
import { workerMain } from './worker-main.js';

/** A helper thread as both runtimes give it: postMessage, terminate, and messages and errors back. */
interface HelperWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
  onReply(handler: (message: unknown) => void, fail: (error: Error) => void): void;
}

const kWorkerSource = `(${workerMain.toString()})();`;
const kStartTimeoutMs = 30_000;

async function spawnWorker(): Promise<HelperWorker> {
  if (isNode()) {
    const { Worker } = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
    const worker = new Worker(kWorkerSource, { eval: true });
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => worker.terminate(),
      onReply: (handler, fail) => {
        worker.on('message', handler);
        worker.on('error', fail);
        // After the listeners: adding a 'message' listener refs the worker's port again, and a
        // forgotten dispose() must not keep Node alive.
        worker.unref();
      },
    };
  }
  const url = URL.createObjectURL(new Blob([kWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    postMessage: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onReply: (handler, fail) => {
      worker.onmessage = (event) => handler(event.data);
      worker.onerror = (event) => fail(new Error(event.message || 'the worker failed to start'));
    },
  };
}

/**
 * The helper threads of one engine: `count` workers, each with its own instance of the module on
 * the shared memory, started once and kept (workers cost milliseconds to start; a call must not
 * pay that). They wait on the control block's job counter (worker-main.ts).
 */
export class HelperPool {
  private constructor(
    private readonly workers: readonly HelperWorker[],
    private readonly control: Int32Array,
  ) {}

  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, controlAt: number, names: readonly string[]): Promise<HelperPool> {
    const workers = await Promise.all(Array.from({ length: count }, spawnWorker));
    const started = workers.map(
      (worker, index) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`helper thread ${index + 1} did not start within ${kStartTimeoutMs / 1000} s`)), kStartTimeoutMs);
          worker.onReply(
            (message) => {
              if (message !== 'ready') return;
              clearTimeout(timer);
              resolve();
            },
            (error) => {
              clearTimeout(timer);
              reject(error);
            },
          );
          worker.postMessage({ module, memory, control: controlAt, part: index + 1, names });
        }),
    );
    try {
      await Promise.all(started);
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw new LstmError('BACKEND_UNAVAILABLE', `wasm backend unavailable: its worker threads could not start (${(error as Error).message}); pass threads: 1`);
    }
    return new HelperPool(workers, new Int32Array(memory.buffer, controlAt, kControl.slots));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts the helpers on the plan now in memory (they run it as parts 1 … size). */
  release(): void {
    Atomics.store(this.control, kControl.done, 0);
    Atomics.store(this.control, kControl.failed, 0);
    Atomics.add(this.control, kControl.job, 1);
    Atomics.notify(this.control, kControl.job);
  }

  /** Returns once every helper finished the plan; whether one of them failed. */
  join(canBlock: boolean): boolean {
    const helpers = this.workers.length;
    for (;;) {
      const done = Atomics.load(this.control, kControl.done);
      if (done >= helpers) break;
      if (canBlock) Atomics.wait(this.control, kControl.done, done, 50);
    }
    return Atomics.load(this.control, kControl.failed) !== 0;
  }

  stop(): void {
    Atomics.store(this.control, kControl.stop, 1);
    Atomics.add(this.control, kControl.job, 1);
    Atomics.notify(this.control, kControl.job);
    for (const worker of this.workers) worker.terminate();
  }
}
