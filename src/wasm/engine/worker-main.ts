/**
 * The body of every helper thread. Its source text starts the worker (pool.ts), so it must be
 * self-contained: no imports, no outside names. It instantiates the engine's module on the shared
 * memory, says it is ready, then serves plans: wait for the job counter to move, run every call of
 * the plan as this thread's part, count itself done.
 *
 * Slots (control.ts's kControl, kBarrier and kContext, written out here): job 0, done 1, stop 2,
 * failed 3, planAt 4, planLength 5, contextAt 6, contextStride 7, barrierAt 8, idleSpins 9; the
 * barrier block's generation at Int32 slot 16 and abort at 48 of its own.
 */
export function workerMain(): void {
  interface Init {
    readonly module: WebAssembly.Module;
    readonly memory: WebAssembly.Memory;
    readonly control: number;
    readonly part: number;
    readonly names: readonly string[];
  }
  const scope = globalThis as unknown as {
    process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown };
    postMessage?: (message: unknown) => void;
    onmessage?: ((event: { data: Init }) => void) | null;
    close?: () => void;
  };
  // process.getBuiltinModule, not require: a bundler rewrites require() into a helper of its own,
  // which this function, run from its source text in a fresh worker, would not have.
  const nodePort = typeof scope.process?.versions?.node === 'string' ? (scope.process.getBuiltinModule!('node:worker_threads') as typeof import('node:worker_threads')).parentPort : null;
  const reply = (message: unknown) => (nodePort ? nodePort.postMessage(message) : scope.postMessage!(message));

  const serve = (init: Init, kernels: readonly ((...args: number[]) => unknown)[], firstSeen: number) => {
    const control = new Int32Array(init.memory.buffer, init.control, 16);
    let seen = firstSeen;
    for (;;) {
      const spins = Atomics.load(control, 9);
      for (let i = 0; i < spins && Atomics.load(control, 0) === seen; i++);
      while (Atomics.load(control, 0) === seen) Atomics.wait(control, 0, seen);
      seen = Atomics.load(control, 0);
      if (Atomics.load(control, 2) === 1) return;
      const context = Atomics.load(control, 6) + init.part * Atomics.load(control, 7);
      try {
        const plan = new Float64Array(init.memory.buffer, Atomics.load(control, 4), Atomics.load(control, 5));
        for (let i = 0; i < plan.length; ) {
          const kernel = plan[i];
          const count = plan[i + 1];
          const solo = plan[i + 2] === 1;
          const args = Array.from(plan.subarray(i + 3, i + 3 + count));
          i += 3 + count;
          if (!solo) kernels[kernel](...args, context);
        }
      } catch {
        Atomics.store(control, 3, 1);
        const barrier = new Int32Array(init.memory.buffer, Atomics.load(control, 8), 64);
        Atomics.store(barrier, 48, 1);
        Atomics.add(barrier, 16, 1);
        Atomics.notify(barrier, 16);
      }
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
    }
  };

  const start = async (init: Init) => {
    const instance = await WebAssembly.instantiate(init.module, { env: { memory: init.memory } });
    const kernels = init.names.map((name) => instance.exports[name] as (...args: number[]) => unknown);
    // The job counter as it is before 'ready' goes out: the caller may post the first job the
    // moment it hears 'ready', before serve() would have read the counter.
    const seen = Atomics.load(new Int32Array(init.memory.buffer, init.control, 16), 0);
    reply('ready');
    serve(init, kernels, seen);
    if (nodePort) nodePort.close();
    else scope.close?.();
  };
  if (nodePort) nodePort.once('message', (init: Init) => void start(init));
  else scope.onmessage = (event) => void start(event.data);
}
