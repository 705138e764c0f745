/** How a worker's message ends its task: with a result, with an error, or not at all (undefined). */
export type Settled<Result> = { readonly done: Result } | { readonly failed: Error } | undefined;

/**
 * Posts `request` to a fresh worker and hands it each message until `onMessage` settles the task;
 * then, on an error event, or when `signal` aborts (the user's Stop), the worker is terminated on
 * the spot. `start` must contain the `new Worker(new URL(…, import.meta.url))` itself, the form
 * Vite finds and bundles. `what` names the worker in the error when it cannot start.
 */
export function runInWorker<Message, Result>(
  start: () => Worker,
  request: unknown,
  signal: AbortSignal,
  onMessage: (message: Message) => Settled<Result>,
  what: string,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = start();
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', stop);
    };
    const stop = () => {
      finish();
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop);
    worker.onmessage = ({ data }: MessageEvent<Message>) => {
      const settled = onMessage(data);
      if (settled === undefined) return;
      finish();
      if ('done' in settled) resolve(settled.done);
      else reject(settled.failed);
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`${what} failed: ${event.message || 'it could not start'}`));
    };
    // Cloned, not transferred: the page keeps its copy of the request's arrays.
    worker.postMessage(request);
  });
}
